/**
 * The daily report cold, over the hourly rollup store as a running server leaves it (issue 20
 * target 3): a day of every source's hours, each built by the HourAccumulator from a logger's
 * real-time readings (the load's payloads, every 30 s), in the store (SQLite `reports.db`, what the
 * server uses without DATABASE_URL) as a closed day is kept — one packed row per source-day. At the
 * fleet's size the hours are put as they close and the day packed by the store (`compact`), the
 * server's own path; at 20,000 sources (a province) the packed rows are written directly, so the fill
 * takes seconds. Then a freshly started rollup and report service (nothing in memory) answers the
 * day for all sources. Timed in process: the report (one store query for the day) and its JSON, then
 * the same built again, then the kept answer.
 * The raw store is never read: a raw read fails the phase.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Reading } from '../../server/domain/reading';
import type { Limit, Source } from '../../server/domain/registry';
import { createLogger } from '../../server/logger';
import { ContinuousRollup } from '../../server/reports/continuous-rollup';
import { HourAccumulator } from '../../server/reports/hour-accumulator';
import { ReportService } from '../../server/reports/report-service';
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
  /** The first call on a fresh service: report, then its JSON. */
  /** cpuMs: this process's CPU time in the call (on a loaded machine, what it would take alone, roughly). */
  cold: { reportMs: number; jsonMs: number; totalMs: number; cpuMs: number; answerMb: number };
  /** The second call, its JSON included (nothing kept yet). */
  rebuiltMs: number;
  /** Later calls: the day's answer as it was built and kept (ReportService.dailyJson). */
  warm: Distribution;
}

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

export async function runRollupReport(work: string, sourceCount: number, log: (s: string) => void): Promise<RollupReportResult> {
  const { registry } = benchFleet(sourceCount, 0);
  const sources = registry.sources;
  const byMn = new Map(sources.map((s) => [s.mn, s]));
  const day = Date.parse('2026-07-01T00:00:00+08:00');
  const file = join(work, `rollup-${sourceCount}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const t0 = performance.now();
  const sourceHours = await fill(file, sources, day);
  const fillSeconds = (performance.now() - t0) / 1000;
  log(`  ${sourceCount} sources: ${sourceHours} source-hours written in ${fillSeconds.toFixed(1)} s; the daily report, cold`);

  // A fresh start on that store: nothing in memory.
  const store = new SqlHourlyRollup(file);
  await store.init();
  const rollup = new ContinuousRollup({
    records: {
      records: async () => {
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
  const noxLimits: Record<string, Limit> = { a21002: { max: 50, o2Converted: true, severity: 'major' } };
  const noLimits: Record<string, Limit> = {};
  const service = new ReportService({
    rollup,
    subject: (mn) => {
      const source = byMn.get(mn);
      if (!source) return undefined;
      // The same objects on every call, as the rule book hands them out (a kept answer checks them).
      const limits = source.kind === 'vocs' ? noLimits : noxLimits;
      return { source, enterpriseName: source.enterpriseId, limits, minValidMinutes: 45, minValidHours: 20 };
    },
    alertsOpened: async () => [],
    utcOffsetMinutes: OFFSET_MIN,
    now: () => day + 26 * H,
  });
  const call = async () => {
    const cpu = process.cpuUsage();
    const a = performance.now();
    const items = await service.daily(sources, day, true);
    const b = performance.now();
    const body = JSON.stringify({ items });
    const c = performance.now();
    if (items.length !== sources.length) throw new Error(`daily report: ${items.length} sources of ${sources.length}`);
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    return { reportMs: b - a, jsonMs: c - b, totalMs: c - a, cpuMs, answerMb: Math.round(body.length / 1e5) / 10 };
  };
  const kept = async () => {
    const a = performance.now();
    await service.dailyJson(sources, day, true);
    return performance.now() - a;
  };
  try {
    const cold = await call();
    // Built again (nothing kept yet, the code warm), then the kept answer of the closed day.
    const rebuiltMs = await kept();
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push(await kept());
    return { sources: sourceCount, sourceHours, fillSeconds, cold, rebuiltMs, warm: distribution(warm) };
  } finally {
    await rollup.stop();
    await store.close();
  }
}
