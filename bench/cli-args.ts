/** `npm run bench -- [flags]`: parsed with node:util, validated with zod. */
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `npm run bench -- [flags]
  --quick                 ~1-minute smoke run (short phases, lower rate, small store)
  --rate N                offered load in messages/s during the ingest runs (default 20000; quick 5000)
  --duration S            seconds of load per ingest run, ≥ 60 for the figures (default 60; quick 8)
  --sources N             load outlets in the generated registry (default 500; quick 200)
  --publishers N          publisher processes of the load generator (default 2)
  --connections N         MQTT connections per publisher (default 4)
  --window N              unacknowledged QoS 1 messages per connection (default 1000)
  --background-rate N     messages/s behind the alert-latency probes (default 5000)
  --samples N             alert-latency samples (default 250; quick 200)
  --probes N              ammonia-slip probe sources for the latency samples (default 10)
  --drain-timeout S       longest wait for a target to drain after the load (default 150; quick 30)
  --min-values N          top the store up to N values by direct /write if the ingest left fewer,
                          before the query timings (default 10000000; quick 0)
  --broker-queue N        Mosquitto max_queued_messages for each subscriber (default 1000000, as the
                          tests and README "Production"): a backlog beyond it is dropped by the broker
  --broker-inflight N     Mosquitto max_inflight_messages: unacknowledged QoS 1 messages per subscriber
                          session (default 1000, as the tests; Mosquitto's own default is 20). An ingest
                          worker acknowledges once InfluxDB has the reading: this window bounds it
  --no-pipe               skip the minimal-pipe run (no practical-limit ratio)
  --pipe-writes N         concurrent /write requests of the minimal pipe (default: the server's
                          influx.concurrency in config/default.yaml)
  --province              run only the province phase (20,000 outlets at their intervals, a burst,
                          5,000 open alerts, GET /api/sources and the pages in Chromium); the full
                          run includes it, --quick does not
  --province-sources N    outlets of the province phase (default 20000)
  --province-burst N      messages/s of the province phase's burst (default 5000)
  --province-pages P      which pages the province phase opens in Chromium: all (default), overview
                          wall (the overview's map with the overview) or none (the server alone)
  --workers N             run only the ingest workers phase: the load through 1, then N --role ingest
                          workers on the same broker, InfluxDB and PostgreSQL; throughput and CPU
                          per worker (phases/workers.ts)
  --profile               run the server with --cpu-prof into bench/results/ and summarise it
  --help`;

const int = (min: number) => z.coerce.number().int().min(min);

const argsSchema = z.object({
  quick: z.boolean(),
  rate: int(1),
  duration: int(1),
  sources: int(4),
  publishers: int(1).max(8),
  connections: int(1).max(64),
  window: int(1).max(60_000),
  backgroundRate: int(0),
  samples: int(1),
  probes: int(1).max(1000),
  drainTimeout: int(1),
  minValues: int(0),
  brokerQueue: int(1),
  brokerInflight: int(0),
  pipe: z.boolean(),
  pipeWrites: int(1).max(16).optional(),
  profile: z.boolean(),
  province: z.boolean(),
  provinceSources: int(40),
  provinceBurst: int(1),
  provincePages: z.enum(['all', 'overview', 'wall', 'none']),
  workers: int(1).max(8).optional(),
});
export type BenchArgs = z.infer<typeof argsSchema>;

export function parseBenchArgs(argv: string[]): BenchArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      rate: { type: 'string' },
      duration: { type: 'string' },
      sources: { type: 'string' },
      publishers: { type: 'string' },
      connections: { type: 'string' },
      window: { type: 'string' },
      'background-rate': { type: 'string' },
      samples: { type: 'string' },
      probes: { type: 'string' },
      'drain-timeout': { type: 'string' },
      'min-values': { type: 'string' },
      'broker-queue': { type: 'string' },
      'broker-inflight': { type: 'string' },
      'no-pipe': { type: 'boolean', default: false },
      'pipe-writes': { type: 'string' },
      profile: { type: 'boolean', default: false },
      province: { type: 'boolean', default: false },
      'province-sources': { type: 'string' },
      'province-burst': { type: 'string' },
      'province-pages': { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const parsed = argsSchema.safeParse({
    quick,
    rate: values.rate ?? (quick ? 5_000 : 20_000),
    duration: values.duration ?? (quick ? 8 : 60),
    sources: values.sources ?? (quick ? 200 : 500),
    publishers: values.publishers ?? 2,
    connections: values.connections ?? 4,
    window: values.window ?? 1_000,
    backgroundRate: values['background-rate'] ?? 5_000,
    samples: values.samples ?? (quick ? 200 : 250),
    probes: values.probes ?? 10,
    drainTimeout: values['drain-timeout'] ?? (quick ? 30 : 150),
    minValues: values['min-values'] ?? (quick ? 0 : 10_000_000),
    brokerQueue: values['broker-queue'] ?? 1_000_000,
    brokerInflight: values['broker-inflight'] ?? 1_000,
    pipe: values['no-pipe'] !== true,
    pipeWrites: values['pipe-writes'],
    profile: values.profile === true,
    province: values.province === true,
    provinceSources: values['province-sources'] ?? 20_000,
    provinceBurst: values['province-burst'] ?? 5_000,
    provincePages: values['province-pages'] ?? 'all',
    workers: values.workers,
  });
  if (!parsed.success) throw new Error(`bad arguments:\n${z.prettifyError(parsed.error)}\n\n${USAGE}`);
  return parsed.data;
}
