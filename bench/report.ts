/** The bench's result: a table on stdout and bench/results/latest.json. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { BenchArgs } from './cli-args';
import type { IngestResult } from './phases/ingest';
import { PAGE, type RollupReportResult } from './phases/rollup-report';
import type { YearSeriesResult } from './phases/year-series';
import type { ServerRunResult } from './server-run';
import { diskRows } from './phases/disk';
import { printProfile } from './profile-summary';

export const TARGETS = {
  msgPerS: 20_000,
  valuesPerS: 200_000,
  /** Issue 20: the whole product lands no less than the bare pipe (compared at the printed two decimals). */
  pipeRatio: 1.0,
  alertP99Ms: 250,
  queryP95Ms: 150,
  coldReportMs: 1_000,
  rssMb: 300,
  initialJsKb: 600,
};

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  influxd: string;
  mosquitto: string;
}

export interface BenchReport extends ServerRunResult {
  startedAt: string;
  seconds: number;
  args: BenchArgs;
  machine: Machine;
  code: { commit: string; changedFiles: number };
  setup: {
    loadSources: number;
    probeSources: number;
    factorsPerMessage: number;
    qos: 1;
    readingsStampedFrom: string;
    readingsStampedTo: string;
  };
  /** The daily report cold over a day of rollups: the fleet's size, and 20,000 sources. */
  rollupReports: RollupReportResult[];
  /** A year's series of one source from the rollup. */
  yearSeries: YearSeriesResult;
  pipe: IngestResult | null;
  pipeWriters: number | null;
  pipeRatio: number | null;
}

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5_000 })
      .split('\n')[0]!
      .trim();
  } catch (err) {
    return ((err as { stdout?: string }).stdout ?? '').split('\n')[0]!.trim() || 'unknown';
  }
}

/** The commit measured and how many files differed from it (read-only git). */
export function codeVersion(root: string): { commit: string; changedFiles: number } {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      changedFiles: git('status', '--porcelain', '--', 'server', 'config').split('\n').filter(Boolean).length,
    };
  } catch {
    return { commit: 'unknown', changedFiles: 0 };
  }
}

export function machine(influxd: string, mosquitto: string): Machine {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    influxd: version(influxd, ['version']),
    mosquitto: version(mosquitto, ['-h']),
  };
}

const n = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : Math.round(x).toString()) : '—');
const verdict = (ok: boolean | null) => (ok === null ? '' : ok ? 'PASS' : 'FAIL');
const cpu = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${v}%`)
    .join(' · ');

function rows(r: BenchReport): string[][] {
  const { ingest: i, pipe: p, latency: l } = r;
  const out: string[][] = [
    [
      'Ingest: offered load',
      `${n(i.offeredRate)} msg/s acked of ${n(i.offeredRateTarget)} asked (${n(i.published)} in ${i.loadSeconds.toFixed(0)} s)`,
      '',
      '',
    ],
    [
      'Ingest: landed in InfluxDB',
      `${n(i.msgPerS)} msg/s · ${n(i.valuesPerS)} values/s (${n(i.landed)} msgs in ${i.landedSeconds.toFixed(0)} s; ${n(i.msgPerSDuringLoad)} msg/s during load)`,
      `≥ ${n(TARGETS.msgPerS)} msg/s · ≥ ${n(TARGETS.valuesPerS)} values/s`,
      verdict(i.msgPerS >= TARGETS.msgPerS && i.valuesPerS >= TARGETS.valuesPerS),
    ],
    [
      'Ingest: lost (published vs counted per MN)',
      `${n(i.lost)} of ${n(i.published)} on ${i.sourcesWithLoss} sources; ${n(i.extra)} extra; ${i.drained ? 'drained' : 'NOT drained'} ${i.drainSeconds.toFixed(0)} s after load; broker dropped ${n(i.brokerDropped)}`,
      '0 at QoS 1',
      verdict(i.lost === 0 && i.drained),
    ],
    ['Ingest: CPU during run (% of one core)', cpu(i.cpuPercent), '', ''],
  ];
  if (p) {
    out.push(
      [
        `Minimal pipe (practical limit; ${r.pipeWriters} /write at a time)`,
        `${n(p.msgPerS)} msg/s · ${n(p.valuesPerS)} values/s (offered ${n(p.offeredRate)}; lost ${n(p.lost)}, broker dropped ${n(p.brokerDropped)}; ${p.drained ? 'drained' : 'NOT drained'})`,
        '',
        '',
      ],
      ['Minimal pipe: CPU (% of one core)', cpu(p.cpuPercent), '', ''],
      [
        'Server ÷ minimal pipe (landed msg/s)',
        r.pipeRatio === null ? '—' : r.pipeRatio.toFixed(2),
        `≥ ${TARGETS.pipeRatio.toFixed(2)}`,
        verdict(r.pipeRatio === null ? null : Number(r.pipeRatio.toFixed(2)) >= TARGETS.pipeRatio),
      ],
    );
  }
  out.push(
    [
      'Alert latency publish → alert:opened',
      `p50 ${ms(l.opened.p50)} · p95 ${ms(l.opened.p95)} · p99 ${ms(l.opened.p99)} · max ${ms(l.opened.max)} ms (n=${l.opened.n}, timeouts ${l.timeouts})`,
      `p99 ≤ ${TARGETS.alertP99Ms} ms`,
      verdict(l.opened.n > 0 && l.opened.p99 <= TARGETS.alertP99Ms && l.timeouts === 0),
    ],
    [
      '  background load during the samples',
      `${n(l.backgroundRate)} msg/s acked of ${n(l.backgroundTarget)} asked; server took ${n(l.serverTakenRate)} msg/s, write backlog ≤ ${n(l.serverMaxBuffered)}`,
      '',
      '',
    ],
    ['  CPU during the samples (% of one core)', cpu(l.cpuPercent), '', ''],
    [
      '  publish → alert:resolved (info)',
      `p50 ${ms(l.resolved.p50)} · p95 ${ms(l.resolved.p95)} · p99 ${ms(l.resolved.p99)} ms (n=${l.resolved.n})`,
      '',
      '',
    ],
    [
      'Store for the queries',
      `${n(r.store.values)} values (${n(r.store.points)} readings)${r.store.toppedUpValues ? `, of which ${n(r.store.toppedUpValues)} topped up by direct /write` : ''}`,
      '≥ 10,000,000 values',
      verdict(r.store.values >= 10_000_000),
    ],
  );
  for (const q of r.queries) {
    const target = q.info ? ['', ''] : [`p95 ≤ ${TARGETS.queryP95Ms} ms`, verdict(q.times.p95 <= TARGETS.queryP95Ms)];
    out.push([
      `Query: ${q.name}`,
      `p50 ${ms(q.times.p50)} · p95 ${ms(q.times.p95)} ms (n=${q.times.n}; ${q.answer}; ${q.how})`,
      ...target,
    ] as [string, string, string, string]);
  }
  out.push([
    'Query: a year of one source (the 1-year range: hourly means of the rollup, in process)',
    `${ms(r.yearSeries.coldMs)} ms cold: ${n(r.yearSeries.points)} ${r.yearSeries.resolution} points of ${n(r.yearSeries.hours)} kept hours; again p50 ${ms(r.yearSeries.warm.p50)} ms`,
    `≤ ${n(TARGETS.coldReportMs)} ms`,
    verdict(r.yearSeries.coldMs <= TARGETS.coldReportMs),
  ]);
  for (const x of r.rollupReports) {
    out.push([
      `Report: daily, cold, ${n(x.sources)} sources: first page of ${PAGE} + totals (in process, rollup store only)`,
      `${ms(x.cold.totalMs)} ms: report ${ms(x.cold.reportMs)} + JSON ${ms(x.cold.jsonMs)} (CPU ${ms(x.cold.cpuMs)} ms; ${n(x.cold.answerKb)} KB; ${n(x.sourceHours)} source-hours; again p50 ${ms(x.warm.p50)} ms; filtered ${ms(x.filteredMs)} ms)`,
      `≤ ${n(TARGETS.coldReportMs)} ms`,
      verdict(x.cold.totalMs <= TARGETS.coldReportMs),
    ]);
    out.push([
      `  ${n(x.sources)} sources: figures at day close, complete XLSX streamed (info)`,
      `figures ${x.figuresSeconds.toFixed(1)} s; ` +
        (x.exportXlsx
          ? `XLSX ${ms(x.exportXlsx.ms)} ms, ${x.exportXlsx.mb} MB, RSS +${n(x.exportXlsx.peakRssAddedMb)} MB at its peak`
          : 'XLSX not streamed (--quick)'),
      '',
      '',
    ]);
  }
  out.push([
    'Server peak RSS during ingest (VmHWM)',
    `${n(r.memory.serverPeakRssMb)} MB (after ingest ${n(r.memory.serverRssAfterIngestMb)} MB; whole run ${n(r.memory.serverPeakRssWholeRunMb)} MB)`,
    `≤ ${TARGETS.rssMb} MB`,
    verdict(r.memory.serverPeakRssMb <= TARGETS.rssMb),
  ]);
  const parts = r.ingest.memoryAtPeak;
  if (parts) {
    const spaces = Object.entries(parts.spacesUsedMb)
      .filter(([, mb]) => mb >= 1)
      .map(([space, mb]) => `${space} ${mb}`)
      .join(', ');
    out.push([
      '  at the highest-RSS sample (info)',
      `RSS ${n(parts.rssMb)} MB = V8 heap ${n(parts.heapTotalMb)} (used ${n(parts.heapUsedMb)}: ${spaces}) + external ${n(parts.externalMb)} + other ${n(parts.otherMb)} (code, native, malloc, stacks)`,
      '',
      '',
    ]);
  }
  if (r.memory.serverPeakRssLatencyPhaseMb !== null) {
    out.push([
      '  peak RSS during the latency run (info)',
      `${n(r.memory.serverPeakRssLatencyPhaseMb)} MB at ${n(l.backgroundRate)} msg/s (VmHWM reset before it)`,
      '',
      '',
    ]);
  }
  const c = r.client;
  out.push(
    [
      'Client: initial JavaScript (gzip)',
      `${c.initialJsGzipKb} KB (${c.initialJsFiles.length} files; charts load later)`,
      `≤ ${TARGETS.initialJsKb} KB`,
      verdict(c.initialJsGzipKb <= TARGETS.initialJsKb),
    ],
    [
      'Client: navigation → first alert rendered',
      `p50 ${ms(c.firstAlertMs.p50)} · max ${ms(c.firstAlertMs.max)} ms (n=${c.firstAlertMs.n}, headless Chromium)`,
      '',
      '',
    ],
  );
  out.push(...diskRows(r.disk));
  const sl = r.serverLog;
  out.push([
    'Server log over the run (info)',
    `${n(sl.warnings)} warnings, ${n(sl.errors)} errors, ${n(sl.reconnects)} broker reconnects (${sl.file})`,
    '',
    '',
  ]);
  return out;
}

/** `extra`: rows of phases that report on their own (the province phase). */
export function printReport(r: BenchReport, print: (s: string) => void, extra: string[][] = []): void {
  const m = r.machine;
  print(
    `\nO3 Sentinel bench · ${r.startedAt} · ${r.seconds.toFixed(0)} s${r.args.quick ? ' · QUICK (smoke run; figures not comparable)' : ''}`,
  );
  print(`code: ${r.code.commit}${r.code.changedFiles ? ` + ${r.code.changedFiles} uncommitted files in server/ and config/` : ''}`);
  print(`machine: ${m.cpuModel} · ${m.cores} cores · ${m.memoryGiB} GiB · node ${m.node} · ${m.influxd} · ${m.mosquitto}`);
  print(
    `load: ${r.setup.loadSources} outlets (+${r.setup.probeSources} probes), ${r.setup.factorsPerMessage} factors/message, QoS 1, ` +
      `${r.args.publishers} publishers × ${r.args.connections} connections, window ${r.args.window}; readings stamped ${r.setup.readingsStampedFrom} … ${r.setup.readingsStampedTo}\n`,
  );
  const table = [['measure', 'figure', 'target', ''], ...rows(r), ...extra];
  const widths = [0, 1, 2].map((c) => Math.max(...table.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell))
      .join(' │ ')
      .trimEnd();
  print(line(table[0]!));
  print(widths.map((w) => '─'.repeat(w)).join('─┼─') + '─┼─────');
  for (const row of table.slice(1)) print(line(row));
  const busy = [
    ['ingest', r.ingest.cpuPercent],
    ['minimal pipe', r.pipe?.cpuPercent],
    ['alert latency', r.latency.cpuPercent],
  ] as const;
  for (const [phase, c] of busy) {
    if ((c?.others ?? 0) >= 20)
      print(
        `WARNING: processes outside the bench used ${c?.others}% of a core during the ${phase} run (shared machine?): its figures are pessimistic.`,
      );
  }
  if (r.profile) printProfile('server', r.profile, print);
}

export function writeReport(file: string, r: object): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
}
