/**
 * `npm run bench`: throughput, alert latency, query times and memory of the server on a real
 * Mosquitto and a real InfluxDB (started like the tests start them), the server as a child process.
 *
 *   1. minimal pipe  — the practical limit: the same load through a bare MQTT → /write pipe
 *   2. ingest        — the load through the server; count what landed per source
 *   3. alert latency — probes publish → alert:opened on socket.io, over a background load
 *   4. queries       — the dashboard's queries on the filled store (≥ 10 M values)
 *   5. memory        — the server's peak RSS (VmHWM) over the ingest run
 *   6. rollup report — the daily report cold over a day of hourly rollups, at the fleet's size and 20,000 sources;
 *                      a year's series of one source from the rollup (phases/year-series.ts)
 *   7. province      — 20,000 outlets, 5,000 open alerts: /api/sources and the pages in Chromium
 *                      (phases/province.ts; not in --quick; `--province` runs it alone)
 *   8. workers       — `--workers N` alone: the load through 1, then N `--role ingest` workers
 *                      (phases/workers.ts): throughput and CPU per worker
 *
 * Prints a table and writes bench/results/latest.json. Flags: see cli-args.ts (`-- --help`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startInfluxd, startMosquitto, type Service } from '../tests/helpers/services';
import { benchFleet, writeRegistry } from './bench-registry';
import { BROKER_SYS_INTERVAL_S } from './broker-drops';
import { parseBenchArgs, USAGE, type BenchArgs } from './cli-args';
import { DAY, type BenchContext } from './context';
import { FACTORS_PER_MESSAGE } from './payloads';
import { runRollupReport } from './phases/rollup-report';
import { runYearSeries } from './phases/year-series';
import { pipeRun } from './pipe-run';
import { runProvince } from './phases/province';
import { printWorkers, runWorkers } from './phases/workers';
import { printProvince, provinceRows } from './phases/province-report';
import { ROOT } from './processes';
import { codeVersion, machine, printReport, writeReport, type BenchReport } from './report';
import { serverRun } from './server-run';

const RESULTS = resolve(ROOT, 'bench/results');
/** The newest reading of the load is stamped this far before the run's start. */
const MARGIN_MS = 60_000;

const log = (s: string) => void process.stdout.write(`${s}\n`);
const cleanups: (() => Promise<unknown>)[] = [];
let finished = false;

async function cleanUp(): Promise<void> {
  finished = true;
  for (const c of cleanups.reverse()) await c().catch((err: Error) => log(`cleanup: ${err.message}`));
  cleanups.length = 0;
}

/** Says so if a service dies during the run (its last stderr lines with it). */
function watch(name: string, svc: Service): void {
  let tail = '';
  svc.process.stderr?.on('data', (b: Buffer) => (tail = (tail + b.toString()).slice(-2_000)));
  svc.process.once('exit', (code, signal) => finished || log(`${name} exited during the run (code ${code}, signal ${signal}): ${tail}`));
}

async function prepare(args: BenchArgs): Promise<BenchContext> {
  mkdirSync(RESULTS, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'o3-bench-'));
  cleanups.push(async () => rmSync(work, { recursive: true, force: true }));
  log('starting influxd and mosquitto');
  const influx = await startInfluxd();
  cleanups.push(() => influx.stop());
  const mqtt = await startMosquitto(undefined, {
    maxQueuedMessages: args.brokerQueue,
    maxInflightMessages: args.brokerInflight,
    sysIntervalS: BROKER_SYS_INTERVAL_S,
  });
  cleanups.push(() => mqtt.stop());
  watch('influxd', influx);
  watch('mosquitto', mqtt);

  const fleet = benchFleet(args.sources, args.probes);
  writeRegistry(join(work, 'registry.yaml'), fleet.registry);
  // Each source's readings back to back over the 24 h before the run, at most `perSource` of them.
  const perSource = Math.ceil((args.rate * args.duration) / args.sources);
  const tsStep = Math.floor(DAY / perSource);
  const runStart = Date.now();
  const tsBase = runStart - MARGIN_MS - perSource * tsStep;
  log(
    `${args.sources} outlets, ${perSource} readings each at most, stamped every ${(tsStep / 1000).toFixed(1)} s from ${new Date(tsBase).toISOString()}`,
  );
  return {
    args,
    influx,
    mqtt,
    fleet,
    runStart,
    work,
    results: RESULTS,
    log,
    defer: (stop) => cleanups.push(stop),
    load: {
      url: mqtt.url,
      sources: fleet.load,
      rate: args.rate,
      durationMs: args.duration * 1000,
      publishers: args.publishers,
      connectionsPerPublisher: args.connections,
      window: args.window,
      perSource,
      tsBase,
      tsStep,
      tsWrap: perSource,
    },
  };
}

async function main(args: BenchArgs): Promise<void> {
  const started = Date.now();
  const ctx = await prepare(args);
  if (args.workers !== undefined) {
    const workers = await runWorkers(ctx, args.workers);
    log(`\nO3 Sentinel bench, ingest workers alone · ${new Date(started).toISOString()} · ${((Date.now() - started) / 1000).toFixed(0)} s`);
    printWorkers(workers, log);
    writeReport(join(RESULTS, 'workers.json'), { startedAt: new Date(started).toISOString(), args, workers });
    return;
  }
  if (args.province) {
    const province = await runProvince(ctx, args.provinceSources, args.provinceBurst);
    log(`\nO3 Sentinel bench, province phase alone · ${new Date(started).toISOString()} · ${((Date.now() - started) / 1000).toFixed(0)} s`);
    printProvince(province, log);
    writeReport(join(RESULTS, 'province.json'), { startedAt: new Date(started).toISOString(), args, province });
    return;
  }
  const piped = args.pipe ? await pipeRun(ctx) : null;
  const server = await serverRun(ctx);
  const province = args.quick ? null : await runProvince(ctx, args.provinceSources, args.provinceBurst);
  const pipe = piped?.result ?? null;
  log('rollup report: the daily report cold over a day of hourly rollups (in process)');
  // The fleet's size (hours put as they close, the day packed), and a province's 20,000 sources (packed rows written directly).
  // --quick leaves out the province's complete XLSX (12 s of a one-minute run; info only).
  const rollupReports = [
    await runRollupReport(ctx.work, args.sources, log),
    await runRollupReport(ctx.work, 20_000, log, { xlsx: !args.quick }),
  ];
  log('year series: a year of one source from the hourly rollup (in process)');
  const yearSeries = await runYearSeries(ctx.work, log);
  const { tsBase, tsStep, perSource } = ctx.load;
  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    args,
    machine: machine(String(ctx.influx.process.spawnfile), String(ctx.mqtt.process.spawnfile)),
    code: codeVersion(ROOT),
    setup: {
      loadSources: args.sources,
      probeSources: args.probes,
      factorsPerMessage: FACTORS_PER_MESSAGE,
      qos: 1,
      readingsStampedFrom: new Date(tsBase).toISOString(),
      readingsStampedTo: new Date(tsBase + ((perSource ?? 1) - 1) * tsStep).toISOString(),
    },
    ...server,
    rollupReports,
    yearSeries,
    pipe,
    pipeWriters: piped?.writers ?? null,
    pipeRatio: pipe && pipe.msgPerS > 0 ? Math.round((100 * server.ingest.msgPerS) / pipe.msgPerS) / 100 : null,
  };
  printReport(report, log, province ? provinceRows(province) : []);
  const out = join(RESULTS, 'latest.json');
  writeReport(out, { ...report, province });
  log(`\nwritten: ${out}`);
}

let parsed: BenchArgs | 'help' | null = null;
try {
  parsed = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 2;
}
if (parsed === 'help') log(USAGE);
else if (parsed) {
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  main(parsed)
    .then(cleanUp)
    .catch(async (err: Error) => {
      log(`bench failed: ${err.stack ?? err.message}`);
      await cleanUp();
      process.exitCode = 1;
    });
}
