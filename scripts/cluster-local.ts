/**
 * `npm run cluster:local [-- --web 2 --ingest 2 --gateways 1 --partitions 64 --port 8080 --simulate]`:
 * a cluster of the product on this machine, for development (README "Scale-out", docs/scale-out.md):
 * PostgreSQL, Redis, InfluxDB and a secured Mosquitto in a temp dir on free loopback ports, then 2
 * web, 2 ingest and 1 HJ 212 gateway processes of the bundled server, a round-robin balancer in
 * front of the web processes (tests/helpers/local-cluster.ts, which the cluster tests use too).
 * Prints the addresses and a demo account; Ctrl-C stops every process it started, by pid, and
 * removes the temp dir. `--simulate` also runs the demo's simulated loggers against the broker
 * (each signed in as itself) and stops them with the rest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { demoAccounts } from '../server/auth/demo-accounts';
import { formatZodIssues } from '../server/domain/zod-issues';
import { startLocalCluster, type LocalCluster } from '../tests/helpers/local-cluster';
import { ROOT } from '../tests/helpers/product-process';
import { buildClientIfStale } from './client-build';

const count = (min: number, max: number, fallback: number) =>
  z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max)).default(fallback);
const args = z
  .object({
    web: count(1, 8, 2),
    ingest: count(1, 8, 2),
    gateways: count(0, 8, 1),
    partitions: count(1, 1024, 64),
    port: count(0, 65_535, 8080),
    simulate: z.boolean().default(false),
  })
  .safeParse(
    parseArgs({
      options: {
        web: { type: 'string' },
        ingest: { type: 'string' },
        gateways: { type: 'string' },
        partitions: { type: 'string' },
        port: { type: 'string' },
        simulate: { type: 'boolean' },
      },
    }).values,
  );
if (!args.success) {
  process.stderr.write(
    `cluster:local: ${formatZodIssues(args.error, { root: 'args' })}\n` +
      'usage: npm run cluster:local -- [--web 2] [--ingest 2] [--gateways 1] [--partitions 64] [--port 8080] [--simulate]\n',
  );
  process.exit(2);
}
const opts = args.data;
const out = (line = '') => process.stdout.write(`${line}\n`);

if (process.env.O3_SKIP_CLIENT_BUILD !== '1' && (await buildClientIfStale())) out('dashboard built into dist/client');

let cluster: LocalCluster | null = null;
let simulators: ChildProcess | null = null;
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  out(`\n${signal}: stopping the cluster`);
  if (simulators?.exitCode === null) simulators.kill('SIGTERM');
  await cluster?.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

/** Whether the balancer's port can be had (asked before two minutes of starting, not after). */
const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
if (opts.port !== 0 && !(await portFree(opts.port))) {
  process.stderr.write(`cluster:local: port ${opts.port} is taken: --port <another>, or --port 0 for a free one\n`);
  process.exit(1);
}

try {
  cluster = await startLocalCluster({
    web: opts.web,
    ingest: opts.ingest,
    gateways: opts.gateways,
    partitions: opts.partitions,
    balancerPort: opts.port,
    // A throwaway cluster: the demo accounts sign in as printed, without the forced first change.
    env: { AUTH_FORCE_PASSWORD_CHANGE: 'false' },
    progress: (step) => out(`cluster:local: ${step}`),
    echo: (name, line) => out(`[${name}] ${line}`),
  });
} catch (err) {
  process.stderr.write(`cluster:local: the cluster did not start: ${String((err as Error).stack ?? err)}\n`);
  process.exit(1);
}
if (stopping) process.exit(0);

if (opts.simulate) {
  // The demo's loggers over MQTT JSON, each signed in as itself (username = MN, its MQTT password), as the ACL wants.
  const env = { ...process.env };
  delete env.MQTT_USERNAME;
  delete env.MQTT_PASSWORD;
  simulators = spawn(process.execPath, ['--import', 'tsx', 'simulators/cli.ts', '--url', cluster.broker.url, '--scenario', 'demo'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const c = cluster;
const officer = demoAccounts(c.registry.enterprises).find((a) => a.username === 'officer');
const pids = (list: typeof c.web) => list.map((p) => `${p.name} pid ${p.pid} ${p.baseUrl}`).join(' · ');
out(
  [
    '',
    '  O3 Sentinel local cluster is running',
    `  Dashboard   ${c.balancer.url}  (round-robin over the web processes)`,
    `  Web         ${pids(c.web)}`,
    `  Ingest      ${pids(c.ingest)}  (${c.partitions} partitions; /healthz shows each one's share)`,
    ...c.gateways.map(
      (g, i) => `  Gateway     ${g.name} pid ${g.pid}: HJ 212 on 127.0.0.1:${c.hj212Ports[i]}, health ${g.baseUrl}/healthz`,
    ),
    `  PostgreSQL  ${c.databaseUrl}`,
    `  Redis       ${c.redis.url}`,
    `  InfluxDB    ${c.influx.url} db=${c.influxDb}`,
    `  MQTT        ${c.broker.url}  (secured; ingest user ${c.ingestUser.username} / ${c.ingestUser.password})`,
    `  Simulators  ${
      simulators
        ? 'the demo loggers over MQTT'
        : `off (--simulate; or npm run simulate -- --url ${c.broker.url}: each logger signs in as itself)`
    }`,
    `  Sign in     ${officer ? `${officer.username} / ${officer.password} (duty officer; every demo account of npm start works)` : 'the demo accounts'}`,
    `  Files       ${c.dir} (removed on exit)`,
    '  Stop with Ctrl+C',
    '',
  ].join('\n'),
);
