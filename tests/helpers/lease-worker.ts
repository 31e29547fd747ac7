/**
 * An ingest worker for the partition tests (tests/integration/cluster/), run as its own process
 * (`tsx tests/helpers/lease-worker.ts`) so a test can kill it for real (SIGKILL: its PostgreSQL and
 * MQTT connections die with it). It owns partitions through PgPartitionLeases, opens their MQTT
 * sessions through PartitionSessions, and prints one JSON line per event on stdout:
 *   {"ev":"acquired","p":3,"epoch":2,"at":…}  {"ev":"released","p":3,"why":"rebalance","at":…}
 *   {"ev":"message","p":3,"topic":"sentinel/v1/MN/data","payload":"…"}  {"ev":"ready"}
 * Its settings come from the environment: PG_URL, BROKER_URL, WORKER, PARTITIONS, MNS (comma list),
 * MQTT_VERSION (4 or 5). SIGTERM stops it gracefully.
 */
import { z } from 'zod';
import { createLogger } from '../../server/logger';
import { PgPartitionLeases } from '../../server/cluster/partition-leases';
import { PartitionSessions } from '../../server/cluster/partition-sessions';
import { partitionOf } from '../../server/cluster/partitioning';

const env = z
  .object({
    PG_URL: z.string().min(1),
    BROKER_URL: z.string().min(1),
    WORKER: z.string().min(1),
    PARTITIONS: z.coerce.number().int().positive(),
    MNS: z.string().min(1),
    MQTT_VERSION: z.enum(['4', '5']).default('4'),
  })
  .parse(process.env);

const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const log = createLogger('warn', false, process.stderr).child({ module: 'cluster', worker: env.WORKER });
const mns = env.MNS.split(',');
const ownership = new PgPartitionLeases({ url: env.PG_URL, partitions: env.PARTITIONS, worker: env.WORKER }, log);
ownership.on('acquired', (p, epoch) => void print({ ev: 'acquired', p, epoch, at: Date.now() }));
ownership.on('released', (p, why) => void print({ ev: 'released', p, why, at: Date.now() }));
new PartitionSessions(
  { url: env.BROKER_URL, protocolVersion: env.MQTT_VERSION === '5' ? 5 : 4 },
  {
    ownership,
    sources: () => mns,
    log,
    routes: {
      ready: () => null,
      handlers: [
        {
          filter: '#',
          matches: () => true,
          handle: (topic, payload) => {
            const mn = topic.split('/')[2] ?? '';
            print({ ev: 'message', p: partitionOf(mn, env.PARTITIONS), topic, payload: payload.toString() });
            return null;
          },
        },
      ],
    },
  },
);
await ownership.start();
print({ ev: 'ready' });
process.on('SIGTERM', () => {
  void ownership.stop().then(() => process.exit(0));
});
