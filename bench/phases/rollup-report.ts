/**
 * The daily report cold, over the hourly rollup store as a running server leaves it (issue 20
 * target 3): a day of every source's hours, each built by the HourAccumulator from a logger's
 * real-time readings (the load's payloads, every 30 s), in the store (SQLite `reports.db`, what the
 * server uses without DATABASE_URL) as a closed day is kept — one packed row per source-day. At the
 * fleet's size the hours are put as they close and the day packed by the store (`compact`), the
 * server's own path; at 20,000 sources (a province) the packed rows are written directly, so the fill
 * takes seconds. The running server then builds the day's report figures as it packs the day
 * (ReportService.prepareDay, timed as info). A freshly started rollup and report service (nothing in
 * memory) answers the page a user opens: the first 50 sources in the report's order with the totals
 * of every source (the figures' rows, then the page's packed days), and its JSON. Then the same page
 * again, a filtered page, and the complete report as XLSX streamed (time and RSS added, info).
 * The raw store is never read: a raw read fails the phase.
 */
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import type { Reading } from '../../server/domain/reading';
import type { Enterprise, Limit, Source } from '../../server/domain/registry';
import { createLogger } from '../../server/logger';
import { ContinuousRollup } from '../../server/reports/continuous-rollup';
import { HourAccumulator } from '../../server/reports/hour-accumulator';
import { streamXlsx } from '../../server/reports/report-export';
import { ReportService } from '../../server/reports/report-service';
import { dailyLayout, dailyRows } from '../../server/reports/report-tables';
import type { SourceHour } from '../../server/storage/hourly-rollup';
import { lastHourOf, packDay } from '../../server/storage/rollup-day';
import { openSqlDatabase } from '../../server/storage/sql/database';
import { SqlHourlyRollup } from '../../server/storage/sql/rollup-store';
import type { RollupTables } from '../../server/storage/sql/rollup-tables';
import { benchFleet, type BenchKind } from '../bench-registry';
import { loadTemplates, render } from '../payloads';
import { distribution, type Distribution } from '../stats';

const H = 3_600_000;
const OFFSET_MIN = 480;
const CONVERSION = { o2Ref: 6, o2Cap: 19, intervalS: 30 };

export interface RollupReportResult {
  sources: number;
  /** Source-hours in the store for the day. */
  sourceHours: number;
  fillSeconds: number;
  /** The day's report figures built as the running server builds them when the day is packed (info). */
  figuresSeconds: number;
  /**
   * The page a user opens, on a fresh service (nothing in memory): the first PAGE sources in the
   * report's order with the scope's totals, and its JSON. cpuMs: this process's CPU time in the call
   * (on a loaded machine, what it would take alone, roughly).
   */
  cold: { reportMs: number; jsonMs: number; totalMs: number; cpuMs: number; answerKb: number };
  /** The same page again (figures held), and a filtered page (exceeding sources), p50 of 3. */
  warm: Distribution;
  filteredMs: number;
  /** The complete report as XLSX, streamed (info): time, bytes, and the RSS it added at its peak; null: not asked (`--quick` at 20,000). */
  exportXlsx: { ms: number; mb: number; peakRssAddedMb: number } | null;
}

/** Sources on the page the client opens. */
export const PAGE = 50;

/** One hour of one kind's logger: 120 real-time readings of the load's payloads through the accumulator. */
function templateHour(kind: BenchKind, hour: number): SourceHour {
  const templates = loadTemplates(kind);
  const acc = new HourAccumulator('template', hour, CONVERSION);
  for (let i = 0; i < 120; i++) {
    const ts = hour + i * 30_000;
    const payload = JSON.parse(render(templates[i % templates.length]!, ts)) as Pick<Reading, 'factors'>;
    acc.add('2011', { ts, factors: payload.factors });
  }
  return acc.result();
}

/** Above this many sources the packed rows are written directly (the hours' fill would take minutes). */
const DIRECT_FILL = 5_000;

async function fill(file: string, sources: readonly Source[], day: number): Promise<number> {
  const templates = new Map<string, SourceHour[]>();
  for (const kind of ['cems', 'ammonia', 'vocs'] as const)
    templates.set(
      kind,
      Array.from({ length: 24 }, (_, h) => templateHour(kind, day + h * H)),
    );
  const store = new SqlHourlyRollup(file);
  await store.init();
  try {
    if (sources.length <= DIRECT_FILL) {
      // As a running server: each hour put as it closes, then the closed day packed.
      for (let h = 0; h < 24; h++) await store.put(sources.map((s) => ({ ...(templates.get(s.kind)?.[h] as SourceHour), mn: s.mn })));
      await store.compact(day);
    } else {
      await store.close();
      const sql = openSqlDatabase<RollupTables>(file);
      const packed = new Map([...templates].map(([kind, hours]) => [kind, Buffer.from(packDay(day, hours))]));
      for (let i = 0; i < sources.length; i += 1_000) {
        const rows = sources.slice(i, i + 1_000).map((s) => {
          const data = packed.get(s.kind) as Buffer;
          return { mn: s.mn, day, last_hour: lastHourOf(day, data), data };
        });
        await sql.db.insertInto('rollup_days').values(rows).execute();
      }
      await sql.close();
    }
  } finally {
    if (sources.length <= DIRECT_FILL) await store.close();
  }
  return sources.length * 24;
}

export async function runRollupReport(
  work: string,
  sourceCount: number,
  log: (s: string) => void,
  { xlsx = true } = {},
): Promise<RollupReportResult> {
  const { registry } = benchFleet(sourceCount, 0);
  const sources = registry.sources;
  const day = Date.parse('2026-07-01T00:00:00+08:00');
  const file = join(work, `rollup-${sourceCount}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const t0 = performance.now();
  const sourceHours = await fill(file, sources, day);
  const fillSeconds = (performance.now() - t0) / 1000;
  log(`  ${sourceCount} sources: ${sourceHours} source-hours written in ${fillSeconds.toFixed(1)} s; the daily report, cold`);

  const open = () => openService(file, sources, day, registry.enterprises);
  // The running server, as it packs the day: builds the day's report figures.
  const t1 = performance.now();
  const server = await open();
  try {
    await server.service.prepareDay(sources, day);
  } finally {
    await server.close();
  }
  const figuresSeconds = (performance.now() - t1) / 1000;
  log(`  ${sourceCount} sources: the day's report figures built in ${figuresSeconds.toFixed(1)} s (at day close); the first page, cold`);

  // A fresh start on that store: nothing in memory.
  const { service, close } = await open();
  const page = async (q: { status?: 'exceeding' } = {}) => {
    const cpu = process.cpuUsage();
    const a = performance.now();
    const report = await service.dailyPage(sources, day, true, { ...q, offset: 0, limit: PAGE });
    const b = performance.now();
    const body = JSON.stringify(report);
    const c = performance.now();
    if (report.totals.sources !== sources.length || report.items.length !== Math.min(PAGE, report.total))
      throw new Error(`daily report: ${report.items.length} items, totals of ${report.totals.sources} sources of ${sources.length}`);
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    return { reportMs: b - a, jsonMs: c - b, totalMs: c - a, cpuMs, answerKb: Math.round(body.length / 1e3) };
  };
  try {
    const cold = await page();
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push((await page()).totalMs);
    const filteredMs = (await page({ status: 'exceeding' })).totalMs;
    const exportXlsx = xlsx ? await timedExport(service, sources, day) : null;
    return { sources: sourceCount, sourceHours, fillSeconds, figuresSeconds, cold, warm: distribution(warm), filteredMs, exportXlsx };
  } finally {
    await close();
  }
}

/** The XLSX of every source, streamed into a byte counter, with the process's RSS sampled meanwhile. */
async function timedExport(
  service: ReportService,
  sources: readonly Source[],
  day: number,
): Promise<NonNullable<RollupReportResult['exportXlsx']>> {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  });
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const a = performance.now();
  try {
    const chunks = (async function* () {
      for await (const items of service.dailyChunks(sources, day, true, {})) yield dailyRows(items);
    })();
    await streamXlsx({ ...dailyLayout('zh', '2026-07-01'), chunks }, 'zh', sink);
    if (!sink.writableFinished) await once(sink, 'finish');
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - a;
  return { ms, mb: Math.round(bytes / 1e5) / 10, peakRssAddedMb: Math.round((Math.max(peak, process.memoryUsage().rss) - base) / 1e6) };
}

/** A rollup and report service freshly started on the store (nothing in memory). */
async function openService(file: string, sources: readonly Source[], day: number, enterprises: readonly Enterprise[]) {
  const byMn = new Map(sources.map((s) => [s.mn, s]));
  const byId = new Map(enterprises.map((e) => [e.id, e]));
  const store = new SqlHourlyRollup(file);
  await store.init();
  const rollup = new ContinuousRollup({
    records: {
      records: async () => {
        throw new Error('the daily report read the raw store');
      },
      sourcesWithRecords: async () => {
        throw new Error('the daily report read the raw store');
      },
      recordsOfSources: async () => {
        throw new Error('the daily report read the raw store');
      },
    },
    store,
    conversion: () => CONVERSION,
    sources: () => sources.map((s) => s.mn),
    utcOffsetMinutes: OFFSET_MIN,
    graceMs: () => 300_000,
    settleMs: 10_000,
    maxLateWaitMs: 60_000,
    catchUpMs: 0,
    concurrency: 4,
    now: () => day + 26 * H,
    log: createLogger('silent'),
  });
  await rollup.start(3_600_000);
  const service = new ReportService({
    rollup,
    figures: store,
    subject: (mn) => {
      const source = byMn.get(mn);
      if (!source) return undefined;
      // The same objects on every call, as the rule book hands them out.
      const limits = source.kind === 'vocs' ? NO_LIMITS : NOX_LIMITS;
      return { source, enterpriseName: source.enterpriseId, limits, minValidMinutes: 45, minValidHours: 20 };
    },
    alertCounts: async () => [],
    placeOf: (source) => {
      const e = byId.get(source.enterpriseId);
      return { district: source.district ?? e?.district ?? '', industry: e?.industry ?? null };
    },
    utcOffsetMinutes: OFFSET_MIN,
    now: () => day + 26 * H,
  });
  return {
    service,
    async close() {
      await rollup.stop();
      await store.close();
    },
  };
}

const NOX_LIMITS: Record<string, Limit> = { a21002: { max: 50, o2Converted: true, severity: 'major' } };
const NO_LIMITS: Record<string, Limit> = {};
