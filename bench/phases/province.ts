/**
 * The province phase (issue 20, target 4): a server loaded with a generated registry of 20,000
 * outlets (a quarter of them ammonia slip), each reporting at its real interval (30 s: ≈ 670 msg/s
 * steady), then a burst (the loggers replaying a backlog after an outage), and 5,000 open alerts
 * made through the real pipeline: one exceeding ammonia-slip reading (a21001 9.5 > 8 mg/m³) per
 * ammonia outlet over MQTT; the steady load's normal readings then clear them, and a cleared
 * alert stays open until someone acknowledges it. Measured while the steady load runs:
 * GET /api/sources (whole list, a page, a filter) and, in headless Chromium, the overview and the
 * wall (province-browser.ts).
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { buildClientIfStale } from '../../scripts/client-build';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { freePort } from '../../tests/helpers/services';
import { benchFleet, writeRegistry, type BenchSource } from '../bench-registry';
import type { BenchContext } from '../context';
import { startLoad } from '../load/load-generator';
import { ammoniaPayload } from '../payloads';
import { memoryOf, ROOT, startServer, type ServerChild } from '../processes';
import { distribution, type Distribution } from '../stats';
import { summariseProfile, type ProfileSummary } from '../profile-summary';
import { measurePages, type PagesResult } from './province-browser';
import { sampleMemory, type StepMemory } from './province-memory';

/** Every bench outlet reports every 30 s (bench-registry.ts). */
const INTERVAL_S = 30;
const EXCEEDING = 9.5;
const BURST_S = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ProvinceResult {
  sources: number;
  steady: { targetRate: number; ackedRate: number };
  /** The burst's figures, or why there are none (a server too busy to answer /healthz). */
  burst: BurstResult | { failed: string };
  alerts: { open: number; wanted: number; seconds: number };
  sourcesApi: {
    whole: Distribution;
    wholeKb: number;
    page: Distribution;
    filtered: Distribution;
    summary: Distribution;
    /** GET /api/sources/points: the overview's compact points (map and grid). */
    points: Distribution;
    pointsKb: number;
  };
  /** The browser's figures, or why there are none (a page that never became interactive). */
  pages: PagesResult | { failed: string };
  serverRssMb: number;
  /** The server's peak RSS in each step and its parts then. */
  memory: StepMemory[];
  /** With --profile: where the province server's CPU went over the whole phase. */
  profile: ProfileSummary | null;
  /** Seconds each step of the phase took: starting the server on the registry, raising the alerts… */
  timings: PhaseTimings;
}

export interface BurstResult {
  targetRate: number;
  ackedRate: number;
  serverTakenRate: number;
  drainedSeconds: number | null;
}

export interface PhaseTimings {
  registryS: number;
  serverStartS: number;
  alertsS: number;
  apiS: number;
  browserS: number;
  burstS: number;
  totalS: number;
}

const seconds = (t0: number): number => Math.round((performance.now() - t0) / 100) / 10;

async function timeGet(server: ServerChild, paths: readonly string[], repeats: number): Promise<{ times: Distribution; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < repeats; i++) {
    const path = paths[i % paths.length]!;
    const t0 = performance.now();
    // A server that stopped answering fails the figure (the time it was given), not the phase.
    const body = await fetch(`${server.baseUrl}${path}`, { headers: { cookie: server.cookie }, signal: AbortSignal.timeout(120_000) }).then(
      async (res) => (res.ok ? res.arrayBuffer() : null),
      () => null,
    );
    times.push(performance.now() - t0);
    if (body === null) continue;
    bytes = body.byteLength;
  }
  return { times: distribution(times), bytes };
}

/** /healthz, asked again (up to 3 minutes) while the server is too busy to answer within its timeout. */
async function patientHealth(server: ServerChild): Promise<Awaited<ReturnType<ServerChild['health']>>> {
  for (const deadline = Date.now() + 180_000; ; await sleep(1_000)) {
    try {
      return await server.health();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

async function openAlerts(server: ServerChild): Promise<number> {
  const res = await fetch(`${server.baseUrl}/api/alerts?open=true&limit=1`, { headers: { cookie: server.cookie } });
  return ((await res.json()) as { total: number }).total;
}

/** One exceeding reading per ammonia outlet, stamped now, through the broker; waits for the alerts. */
async function raiseAlerts(ctx: BenchContext, server: ServerChild, outlets: readonly BenchSource[]): Promise<ProvinceResult['alerts']> {
  const t0 = performance.now();
  const logger = await mqtt.connectAsync(ctx.mqtt.url, { clientId: `o3-bench-province-${process.pid}`, clean: true });
  for (let i = 0; i < outlets.length; i += 200) {
    const ts = Date.now();
    await Promise.all(
      outlets.slice(i, i + 200).map((s) => logger.publishAsync(dataTopic(s.mn), ammoniaPayload(ts, EXCEEDING), { qos: 1 })),
    );
  }
  await logger.endAsync();
  let open = 0;
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(1_000)) {
    // A server busy with the alerts may drop a request: ask again next second.
    open = await openAlerts(server).catch(() => open);
    if (open >= outlets.length) break;
  }
  return { open, wanted: outlets.length, seconds: Math.round((performance.now() - t0) / 100) / 10 };
}

/**
 * A backlog replayed at `rate` for BURST_S, stamped a day back (older than what the sources show).
 * Drained: the server takes at the steady rate again (the broker holds nothing more for it) with at
 * most a second of the steady load in its spool: under a steady load the spool is never empty at
 * the instant it is asked, so "depth 0" would never come.
 */
async function burst(
  ctx: BenchContext,
  server: ServerChild,
  load: readonly BenchSource[],
  rate: number,
  steadyRate: number,
): Promise<BurstResult> {
  // A server draining a burst on a loaded machine may miss a /healthz deadline: ask again.
  const taken = async () => (await patientHealth(server)).ingest.accepted;
  const before = await taken();
  const run = await startLoad({
    url: ctx.mqtt.url,
    name: 'province-burst',
    sources: load,
    rate,
    durationMs: BURST_S * 1000,
    publishers: 1,
    connectionsPerPublisher: 4,
    window: ctx.args.window,
    perSource: null,
    tsBase: Date.now() - 86_400_000,
    tsStep: 1_000,
    tsWrap: 3_600,
  });
  const t0 = performance.now();
  const result = await run.done;
  let last = { at: performance.now(), taken: await taken() };
  const serverTakenRate = (last.taken - before) / ((last.at - t0) / 1000);
  let drainedSeconds: number | null = null;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    await sleep(1_000);
    const health = await patientHealth(server);
    const now = { at: performance.now(), taken: health.ingest.accepted };
    const takingRate = (now.taken - last.taken) / ((now.at - last.at) / 1000);
    last = now;
    if (takingRate <= 1.5 * steadyRate && health.spool.depth <= steadyRate) {
      drainedSeconds = Math.round((now.at - t0) / 100) / 10 - BURST_S;
      break;
    }
  }
  return { targetRate: rate, ackedRate: Math.round(result.offeredRate), serverTakenRate: Math.round(serverTakenRate), drainedSeconds };
}

/** The server's main-thread profile (written on SIGTERM); thread 1 is the tsx loader. */
function profileOf(dir: string): ProfileSummary | null {
  const files = readdirSync(dir).filter((f) => f.startsWith('CPU.') && f.endsWith('.cpuprofile'));
  const main = files.find((f) => /\.0\.\d+\.cpuprofile$/.test(f)) ?? files[0];
  return main ? summariseProfile(join(dir, main), ROOT) : null;
}

export async function runProvince(ctx: BenchContext, sources: number, burstRate: number): Promise<ProvinceResult> {
  const dir = join(ctx.work, 'province');
  mkdirSync(dir, { recursive: true });
  if (await buildClientIfStale()) ctx.log('dashboard built into dist/client');
  const phaseStart = performance.now();
  const timings: PhaseTimings = { registryS: NaN, serverStartS: NaN, alertsS: NaN, apiS: NaN, browserS: NaN, burstS: NaN, totalS: NaN };
  const fleet = benchFleet(sources, 0);
  writeRegistry(join(dir, 'registry.yaml'), fleet.registry);
  timings.registryS = seconds(phaseStart);
  const ammonia = fleet.load.filter((s) => s.kind === 'ammonia');
  const port = await freePort();
  const profileDir = join(ctx.results, `province-profile-${process.pid}`);
  if (ctx.args.profile) mkdirSync(profileDir, { recursive: true });
  ctx.log(`province: ${sources} outlets (${ammonia.length} ammonia slip), the server on :${port}`);
  const starting = performance.now();
  const server = await startServer(
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      MQTT_URL: ctx.mqtt.url,
      INFLUX_URL: ctx.influx.url,
      INFLUX_DB: 'o3province',
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'warn',
      REGISTRY_FILE: join(dir, 'registry.yaml'),
      MQTT_CLIENT_ID: `o3-bench-province-ingest-${process.pid}`,
      SIMULATE: 'false',
      // The phase has no HJ 212 TCP loggers; the default port may be another server's on this machine.
      HJ212_ENABLED: 'false',
    },
    // 20,000 outlets take a while to load and check (longer on a busy machine).
    {
      logFile: join(ctx.results, 'server-province.log'),
      startTimeoutMs: 300_000,
      ...(ctx.args.profile ? { cpuProfDir: profileDir } : {}),
    },
  );
  ctx.defer(() => server.stop());
  timings.serverStartS = seconds(starting);
  const memory = sampleMemory(server);
  ctx.defer(async () => void memory.stop());
  memory.step('steady');
  const steadyRate = Math.round(sources / INTERVAL_S);
  const steady = await startLoad({
    url: ctx.mqtt.url,
    name: 'province',
    sources: fleet.load,
    rate: steadyRate,
    durationMs: null,
    publishers: 1,
    connectionsPerPublisher: 2,
    window: ctx.args.window,
    perSource: null,
    // The k-th reading of an outlet is stamped k intervals after the start: its real interval.
    tsBase: Date.now() - INTERVAL_S * 1000,
    tsStep: INTERVAL_S * 1000,
    tsWrap: 1_000_000,
  });
  let stopped = false;
  const stopSteady = () => void (stopped || ((stopped = true), steady.stop()));
  ctx.defer(async () => stopSteady());
  try {
    ctx.log(`province: steady ${steadyRate} msg/s; raising ${ammonia.length} alerts through the pipeline`);
    memory.step('alerts');
    const alerts = await raiseAlerts(ctx, server, ammonia);
    ctx.log(`province: ${alerts.open} open alerts after ${alerts.seconds} s`);
    timings.alertsS = alerts.seconds;
    // The pages first: what a duty officer meets, before the API's repeated whole lists weigh on the server.
    ctx.log('province: the overview and the wall in headless Chromium');
    memory.step('pages');
    let t0 = performance.now();
    const which = ctx.args.provincePages;
    const pagesResult =
      which === 'none'
        ? { overview: null, wall: null, map: null }
        : await measurePages(server.baseUrl, server.cookie, ctx.args.quick ? 1 : 3, which).catch((err: Error) => ({
            failed: err.message.split('\n')[0] ?? err.message,
          }));
    timings.browserS = seconds(t0);
    ctx.log(`province: pages ${JSON.stringify(pagesResult)}`);
    ctx.log('province: GET /api/sources (whole list, pages, filters, summary)');
    memory.step('api');
    t0 = performance.now();
    const repeats = ctx.args.quick ? 10 : 40;
    // The whole list is for information (the dashboard's first paint): a few calls, not 20 × 15 MB.
    const whole = await timeGet(server, ['/api/sources'], sources >= 10_000 ? 5 : Math.ceil(repeats / 2));
    const summary = await timeGet(server, ['/api/sources/summary'], repeats);
    const points = await timeGet(server, ['/api/sources/points'], repeats);
    const pages = Array.from({ length: 20 }, (_, i) => `/api/sources?limit=100&offset=${i * 997}`);
    const page = await timeGet(server, pages, repeats);
    const filters = [
      'status=exceeding&limit=100',
      'kind=vocs&limit=100',
      'q=outlet%201999&limit=100',
      `enterpriseId=${fleet.load[0]!.enterpriseId}`,
    ];
    const filtered = await timeGet(
      server,
      filters.map((f) => `/api/sources?${f}`),
      repeats,
    );
    timings.apiS = seconds(t0);
    // The burst last: its backlog must not weigh on the figures above, and a server too busy to
    // answer during it costs the burst's figures only, not the phase.
    ctx.log(`province: burst ${burstRate} msg/s for ${BURST_S} s`);
    memory.step('burst');
    t0 = performance.now();
    const burstResult = await burst(ctx, server, fleet.load, burstRate, steadyRate).catch((err: Error) => ({
      failed: err.message.split('\n')[0] ?? err.message,
    }));
    timings.burstS = seconds(t0);
    stopSteady();
    const steadyDone = await steady.done;
    const steps = memory.stop();
    const serverRssMb = Math.round(memoryOf(server.pid).peakMb);
    await server.stop();
    return {
      sources,
      steady: { targetRate: steadyRate, ackedRate: Math.round(steadyDone.offeredRate) },
      burst: burstResult,
      alerts,
      sourcesApi: {
        whole: whole.times,
        wholeKb: Math.round(whole.bytes / 1024),
        page: page.times,
        filtered: filtered.times,
        summary: summary.times,
        points: points.times,
        pointsKb: Math.round(points.bytes / 1024),
      },
      pages: pagesResult,
      timings: { ...timings, totalS: seconds(phaseStart) },
      serverRssMb,
      memory: steps,
      profile: ctx.args.profile ? profileOf(profileDir) : null,
    };
  } finally {
    stopSteady();
    await server.stop();
  }
}
