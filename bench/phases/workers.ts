/**
 * `npm run bench -- --workers N` (issue 15): the same load through 1, then N `--role ingest` workers
 * (server/ingest-role.ts) on the same Mosquitto, InfluxDB and PostgreSQL, each run into a fresh
 * database of each. Prints the throughput of each run and each worker's CPU, and the CPU cost per
 * reading — the figure that sizes a cluster (docs/scale-out.md "Topologies and sizing"). On a
 * 2-core machine the workers compete with the broker, InfluxDB and the load generator for the same
 * cores: the N-worker run shows the overhead of partitioning, not a speed-up, and the line says so.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { InfluxHttp } from '../../server/storage/influx/influx-http';
import { telemetryOf } from '../../server/storage/influx/influx-retention';
import { freePort, startPostgres } from '../../tests/helpers/services';
import type { BenchContext } from '../context';
import { memoryOf, startServer, type ServerChild } from '../processes';
import { runIngest, type IngestResult } from './ingest';

/** The partitions of the runs (the product's default). */
const PARTITIONS = 64;

export interface WorkersRun {
  workers: number;
  ingest: IngestResult;
  /** Each worker's share of one core over the run, %. */
  workerCpuPercent: number[];
  /** Worker CPU (all of them) per reading landed, µs. */
  cpuMicrosPerReading: number;
}

export interface WorkersResult {
  cores: number;
  partitions: number;
  runs: WorkersRun[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function partitionsOf(worker: ServerChild): Promise<number> {
  const res = await fetch(`${worker.baseUrl}/healthz`);
  const body = (await res.json()) as { partitions?: { owned: number } };
  return body.partitions?.owned ?? 0;
}

/** Starts `n` workers one after another (the first seeds the registry), until they hold every partition between them. */
async function startWorkers(ctx: BenchContext, n: number, env: Record<string, string>, run: string): Promise<ServerChild[]> {
  const workers: ServerChild[] = [];
  for (let i = 1; i <= n; i++) {
    const logFile = join(ctx.results, `worker-${run}-${i}.log`);
    const w = await startServer(
      { ...env, PORT: String(await freePort()), CLUSTER_WORKER: `bench-${run}-${i}`, DATA_DIR: join(ctx.work, `worker-${run}-${i}`) },
      { logFile, startTimeoutMs: 120_000 },
    );
    ctx.defer(() => w.stop());
    workers.push(w);
  }
  const share = Math.ceil(PARTITIONS / n);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
    const held = await Promise.all(workers.map(partitionsOf));
    if (held.reduce((a, b) => a + b, 0) === PARTITIONS && held.every((h) => h <= share)) return workers;
  }
  throw new Error(`the ${n} workers did not share the ${PARTITIONS} partitions within 60 s`);
}

async function workersRun(ctx: BenchContext, pgUrl: string, n: number): Promise<WorkersRun> {
  const run = `${n}w`;
  const database = `o3bench_${run}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  const env = {
    ROLE: 'ingest',
    HOST: '127.0.0.1',
    DATABASE_URL: pgUrl.replace(/\/postgres$/, `/${database}`),
    MQTT_URL: ctx.mqtt.url,
    INFLUX_URL: ctx.influx.url,
    INFLUX_DB: database,
    LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'warn',
    REGISTRY_FILE: join(ctx.work, 'registry.yaml'),
    HJ212_ENABLED: 'false',
    CLUSTER_PARTITIONS: String(PARTITIONS),
    // The bench's Mosquitto is anonymous: every partition session signs in as nobody in particular.
    CLUSTER_USERNAME_PER_PARTITION: 'false',
    SIMULATE: 'false',
  };
  ctx.log(`workers: ${n} --role ingest worker(s) on ${PARTITIONS} partitions`);
  const workers = await startWorkers(ctx, n, env, run);
  const influx = new InfluxHttp({ url: ctx.influx.url, db: database, timeoutMs: 300_000 });
  const progress = async () => {
    const all = await Promise.all(workers.map((w) => w.health()));
    const sum = (f: (h: (typeof all)[number]) => number) => all.reduce((t, h) => t + f(h), 0);
    const taken = sum((h) => h.ingest.accepted + Object.values(h.ingest.rejected).reduce((a, b) => a + b, 0));
    return { taken, buffered: sum((h) => Math.max(h.writer.buffered, h.spool.depth)), written: sum((h) => h.writer.written) };
  };
  const cpuGroups = {
    ...Object.fromEntries(workers.map((w, i) => [`worker-${i + 1}`, [w.pid]])),
    mosquitto: [ctx.mqtt.process.pid!],
    influxd: [ctx.influx.process.pid!],
  };
  const target = {
    name: `${n} worker${n > 1 ? 's' : ''}`,
    progress,
    influx,
    from: telemetryOf('2011'),
    memory: () => {
      const m = workers.map((w) => memoryOf(w.pid));
      return { rssMb: Math.max(...m.map((x) => x.rssMb)), peakMb: Math.max(...m.map((x) => x.peakMb)) };
    },
    cpuGroups,
  };
  const ingest = await runIngest(target, ctx.load, ctx.args.drainTimeout * 1000, ctx.log);
  await Promise.all(workers.map((w) => w.stop()));
  const workerCpuPercent = workers.map((_, i) => ingest.cpuPercent[`worker-${i + 1}`] ?? 0);
  // The meter ran from the load's start to the drain's end: the workers' CPU seconds over what landed.
  const meteredSeconds = ingest.loadSeconds + ingest.drainSeconds;
  const cpuSeconds = (workerCpuPercent.reduce((a, b) => a + b, 0) / 100) * meteredSeconds;
  return {
    workers: n,
    ingest,
    workerCpuPercent,
    cpuMicrosPerReading: ingest.landed > 0 ? Math.round((cpuSeconds * 1e6) / ingest.landed) : 0,
  };
}

export async function runWorkers(ctx: BenchContext, n: number): Promise<WorkersResult> {
  ctx.log('starting postgres (the workers’ leases and shared state)');
  const postgres = await startPostgres();
  ctx.defer(() => postgres.stop());
  const runs: WorkersRun[] = [];
  for (const k of n > 1 ? [1, n] : [1]) runs.push(await workersRun(ctx, postgres.url, k));
  return { cores: cpus().length, partitions: PARTITIONS, runs };
}

export function printWorkers(result: WorkersResult, log: (line: string) => void): void {
  log(`\ningest workers (--role ingest, ${result.partitions} partitions, same broker, InfluxDB and PostgreSQL), ${result.cores} cores`);
  for (const r of result.runs) {
    const i = r.ingest;
    const cpu = r.workerCpuPercent.map((c, k) => `worker ${k + 1} ${c} %`).join(', ');
    log(
      `  ${r.workers} worker${r.workers > 1 ? 's' : ''}: ${i.msgPerS} msg/s landed (${i.valuesPerS} values/s), ` +
        `${i.lost} lost, ${i.extra} extra; CPU ${cpu} of one core; ${r.cpuMicrosPerReading} µs of worker CPU per reading`,
    );
  }
  const [one, more] = [result.runs[0], result.runs[1]];
  if (one && more) {
    const ratio = one.ingest.msgPerS > 0 ? (more.ingest.msgPerS / one.ingest.msgPerS).toFixed(2) : 'n/a';
    log(
      `  ${more.workers} workers / 1: ×${ratio} throughput, ${more.cpuMicrosPerReading} vs ${one.cpuMicrosPerReading} µs per reading. ` +
        (result.cores <= 2
          ? `On ${result.cores} cores the workers share them with the broker, InfluxDB and the load generator: this shows the ` +
            'overhead of partitioning, not a speed-up; the figure that sizes a cluster is the CPU per reading of one worker.'
          : 'The figure that sizes a cluster is the CPU per reading of one worker.'),
    );
  }
}
