/**
 * Everything measured on the server child: the ingest load, alert latency over a background
 * load, the queries on the filled store, its memory, its log and (with --profile) its CPU profile.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InfluxHttp } from '../server/storage/influx/influx-http';
import { telemetryOf } from '../server/storage/influx/influx-retention';
import { diskRun, type DiskResult } from './phases/disk';
import { freePort } from '../tests/helpers/services';
import { DAY, type BenchContext } from './context';
import { fillStore } from './fill-store';
import { COUNTED_FIELD, FACTORS_PER_MESSAGE } from './payloads';
import { buildClientIfStale } from '../scripts/client-build';
import { runAlertLatency, type LatencyResult } from './phases/alert-latency';
import { runClient, type ClientResult } from './phases/client';
import { runIngest, type IngestResult } from './phases/ingest';
import { runQueries, type QueryTiming } from './phases/queries';
import { metricValue } from '../tests/helpers/cluster-suite';
import { memoryOf, resetPeak, ROOT, startServer, type ServerChild } from './processes';
import { summariseProfile, type ProfileSummary } from './profile-summary';

const SERVER_DB = 'o3bench';

export interface ServerRunResult {
  ingest: IngestResult;
  latency: LatencyResult;
  store: { values: number; points: number; toppedUpValues: number };
  queries: QueryTiming[];
  client: ClientResult;
  memory: {
    serverPeakRssMb: number;
    serverRssAfterIngestMb: number;
    serverPeakRssWholeRunMb: number;
    serverPeakRssLatencyPhaseMb: number | null;
  };
  /** Bytes per value stored and the province-year projection (issue 20). */
  disk: DiskResult;
  serverLog: { warnings: number; errors: number; reconnects: number; file: string };
  profile: ProfileSummary | null;
}

type Progress = () => Promise<{ taken: number; buffered: number; written: number }>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function launch(ctx: BenchContext, port: number, logFile: string): Promise<ServerChild> {
  const env = {
    PORT: String(port),
    // Its own HJ 212 port: another server on the machine (a test, a second bench) may hold 6212.
    HJ212_PORT: String(await freePort()),
    HOST: '127.0.0.1',
    MQTT_URL: ctx.mqtt.url,
    INFLUX_URL: ctx.influx.url,
    INFLUX_DB: SERVER_DB,
    DATA_DIR: join(ctx.work, 'data'),
    LOG_LEVEL: 'warn',
    REGISTRY_FILE: join(ctx.work, 'registry.yaml'),
    MQTT_CLIENT_ID: `o3-bench-ingest-${process.pid}`,
    SIMULATE: 'false',
  };
  ctx.log(
    `starting the server (node dist/server/main.mjs, built from server/main.ts${ctx.args.profile ? ' --cpu-prof' : ''}); its log: ${logFile}`,
  );
  return startServer(env, { logFile, ...(ctx.args.profile ? { cpuProfDir: ctx.results } : {}) });
}

const processes = (ctx: BenchContext, server: ServerChild) => ({
  server: [server.pid],
  mosquitto: [ctx.mqtt.process.pid!],
  influxd: [ctx.influx.process.pid!],
});

async function latencyRun(ctx: BenchContext, server: ServerChild, progress: Progress): Promise<LatencyResult> {
  const { args, load } = ctx;
  ctx.log(`alert latency: ${args.samples} samples on ${args.probes} probes over ${args.backgroundRate} msg/s background`);
  return runAlertLatency(
    {
      baseUrl: server.baseUrl,
      cookie: server.cookie,
      mqttUrl: ctx.mqtt.url,
      probes: ctx.fleet.probes,
      samples: args.samples,
      // Between the ingest's instants; past the last one it wraps round, 1 ms later each time.
      background: {
        ...load,
        rate: args.backgroundRate,
        durationMs: null,
        perSource: null,
        tsBase: load.tsBase + Math.floor(load.tsStep / 2),
      },
      warmupMs: args.quick ? 1_000 : 3_000,
      timeoutMs: 5_000,
      cpuGroups: processes(ctx, server),
      serverProgress: progress,
    },
    ctx.log,
  );
}

async function storeSize(db: InfluxHttp): Promise<number> {
  const [series = []] = await db.query(`SELECT count("${COUNTED_FIELD}") FROM ${telemetryOf('2011')}`);
  return Number(series[0]?.values[0]?.[1] ?? 0);
}

/** Where the replayed day's late-data recompute stands (the server's /metrics): it shares the event loop with the queries. */
async function lateRecompute(baseUrl: string): Promise<string> {
  const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
  return `late source-hours waiting ${metricValue(text, 'o3s_rollup_late_queued')}, recomputed ${metricValue(text, 'o3s_rollup_late_recomputes_total')}`;
}

/** Tops the store up to --min-values if the runs left fewer, then times the dashboard's queries. */
async function queryRun(ctx: BenchContext, server: ServerChild, db: InfluxHttp): Promise<Pick<ServerRunResult, 'store' | 'queries'>> {
  let points = await storeSize(db);
  let toppedUpValues = 0;
  if (points * FACTORS_PER_MESSAGE < ctx.args.minValues) {
    const needed = Math.ceil(ctx.args.minValues / FACTORS_PER_MESSAGE) - points;
    ctx.log(`store holds ${points * FACTORS_PER_MESSAGE} values; topping up ${needed * FACTORS_PER_MESSAGE} by direct /write`);
    toppedUpValues = (await fillStore(db, ctx.fleet.load, needed, ctx.load)).values;
    points = await storeSize(db);
  }
  ctx.log(`queries on ${points * FACTORS_PER_MESSAGE} values; ${await lateRecompute(server.baseUrl)}`);
  const queries = await runQueries({
    baseUrl: server.baseUrl,
    cookie: server.cookie,
    sources: ctx.fleet.load,
    from: ctx.runStart - DAY,
    to: ctx.runStart,
    repeats: ctx.args.quick ? { list: 50, series: 30, report: 3 } : { list: 200, series: 100, report: 10 },
  });
  ctx.log(`  after the queries: ${await lateRecompute(server.baseUrl)}`);
  return { store: { values: points * FACTORS_PER_MESSAGE, points, toppedUpValues }, queries };
}

/** Warnings and errors in the server's log (pino JSON lines), and how often its MQTT client reconnected. */
function logSummary(file: string): ServerRunResult['serverLog'] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
  return { warnings: count(/"level":40/), errors: count(/"level":(50|60)/), reconnects: count(/reconnecting/), file: relative(ROOT, file) };
}

/** The main thread's profile of the server (CPU.<date>.<time>.<pid>.0.<n>); thread 1 is the tsx loader. */
function profileOf(dir: string, pid: number): ProfileSummary | null {
  const file = readdirSync(dir).find((f) => f.startsWith('CPU.') && f.includes(`.${pid}.0.`) && f.endsWith('.cpuprofile'));
  return file ? summariseProfile(join(dir, file), ROOT) : null;
}

export async function serverRun(ctx: BenchContext): Promise<ServerRunResult> {
  const logFile = join(ctx.results, 'server.log');
  if (await buildClientIfStale()) ctx.log('dashboard built into dist/client');
  const server = await launch(ctx, await freePort(), logFile);
  ctx.defer(() => server.stop());
  const db = new InfluxHttp({ url: ctx.influx.url, db: SERVER_DB, timeoutMs: 300_000 });
  const progress: Progress = async () => {
    const h = await server.health();
    const rejected = Object.values(h.ingest.rejected).reduce((a, b) => a + b, 0);
    // Waiting for the store: the spool's depth (it includes what the writer holds in memory).
    return { taken: h.ingest.accepted + rejected, buffered: Math.max(h.writer.buffered, h.spool.depth), written: h.writer.written };
  };
  try {
    ctx.log(`ingest: ${ctx.args.rate} msg/s for ${ctx.args.duration} s through the server`);
    const target = {
      name: 'server',
      progress,
      influx: db,
      from: telemetryOf('2011'),
      memory: () => memoryOf(server.pid),
      breakdown: () => server.memoryBreakdown(),
      cpuGroups: processes(ctx, server),
    };
    const ingest = await runIngest(target, ctx.load, ctx.args.drainTimeout * 1000, ctx.log);
    const afterIngest = memoryOf(server.pid);
    // Printed now: a later phase failing on a loaded machine does not take the figure with it.
    const parts = ingest.memoryAtPeak;
    ctx.log(
      `  server peak RSS during ingest ${ingest.peakRssMb} MB` +
        (parts
          ? `; at the highest sample heap ${parts.heapTotalMb} (used ${parts.heapUsedMb}), external ${parts.externalMb}, other ${parts.otherMb}`
          : ''),
    );
    const { rejected } = (await server.health()).ingest;
    if (Object.values(rejected).some((x) => x > 0)) ctx.log(`  server rejected: ${JSON.stringify(rejected)}`);

    const peakReset = resetPeak(server.pid);
    const latency = await latencyRun(ctx, server, progress);
    const duringLatency = memoryOf(server.pid);
    for (const deadline = Date.now() + ctx.args.drainTimeout * 1000; Date.now() < deadline && (await progress()).buffered > 0;)
      await sleep(500);

    ctx.log('client: initial JS size and time to the first alert rendered, in headless Chromium');
    const client = await runClient(server.baseUrl, server.cookie, join(ROOT, 'dist/client'), ctx.args.quick ? 3 : 10);
    const { store, queries } = await queryRun(ctx, server, db);
    const end = memoryOf(server.pid);
    const disk = await diskRun(ctx.influx.dir, SERVER_DB, store.values, FACTORS_PER_MESSAGE);
    await server.stop();
    return {
      ingest,
      latency,
      store,
      queries,
      client,
      disk,
      memory: {
        serverPeakRssMb: ingest.peakRssMb,
        serverRssAfterIngestMb: Math.round(afterIngest.rssMb),
        serverPeakRssWholeRunMb: Math.max(ingest.peakRssMb, Math.round(end.peakMb)),
        serverPeakRssLatencyPhaseMb: peakReset ? Math.round(duringLatency.peakMb) : null,
      },
      serverLog: logSummary(logFile),
      profile: ctx.args.profile ? profileOf(ctx.results, server.pid) : null,
    };
  } finally {
    await server.stop();
  }
}
