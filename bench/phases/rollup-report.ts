/**
 * The daily report cold, over the hourly rollup store as a running server leaves it (issue 20
 * target 3): a day of every source's hours is written into the store (SQLite `reports.db`, what the
 * server uses without DATABASE_URL) the way hours close — each hour built by the HourAccumulator
 * from a logger's real-time readings (the load's payloads, every 30 s) — then a freshly started
 * rollup and report service (nothing in memory) answers the day for all sources. Timed in process:
 * the report (one store query for all sources and the day) and its JSON, at 510 sources (the load's
 * fleet) and at 20,000 (a province). The raw store is never read: a raw read fails the phase.
 */
import { join } from 'node:path';
import type { Reading } from '../../server/domain/reading';
import type { Limit, Source } from '../../server/domain/registry';
import { createLogger } from '../../server/logger';
import { ContinuousRollup } from '../../server/reports/continuous-rollup';
import { HourAccumulator } from '../../server/reports/hour-accumulator';
import { ReportService } from '../../server/reports/report-service';
import type { SourceHour } from '../../server/storage/hourly-rollup';
import { SqlHourlyRollup } from '../../server/storage/sql/rollup-store';
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
  cold: { reportMs: number; jsonMs: number; totalMs: number; answerMb: number };
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

async function fill(store: SqlHourlyRollup, sources: readonly Source[], day: number): Promise<number> {
  const templates = new Map<string, SourceHour[]>();
  for (const kind of ['cems', 'ammonia', 'vocs'] as const)
    templates.set(
      kind,
      Array.from({ length: 24 }, (_, h) => templateHour(kind, day + h * H)),
    );
  let batch: SourceHour[] = [];
  let written = 0;
  for (const s of sources) {
    for (const t of templates.get(s.kind) ?? []) batch.push({ ...t, mn: s.mn });
    if (batch.length >= 20_000) {
      await store.put(batch);
      written += batch.length;
      batch = [];
    }
  }
  await store.put(batch);
  return written + batch.length;
}

export async function runRollupReport(work: string, sourceCount: number, log: (s: string) => void): Promise<RollupReportResult> {
  const { registry } = benchFleet(sourceCount, 0);
  const sources = registry.sources;
  const byMn = new Map(sources.map((s) => [s.mn, s]));
  const day = Date.parse('2026-07-01T00:00:00+08:00');
  const file = join(work, `rollup-${sourceCount}.db`);
  const t0 = performance.now();
  const filling = new SqlHourlyRollup(file);
  await filling.init();
  const sourceHours = await fill(filling, sources, day);
  await filling.close();
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
  const noxLimit: Limit = { max: 50, o2Converted: true, severity: 'major' };
  const service = new ReportService({
    rollup,
    subject: (mn) => {
      const source = byMn.get(mn);
      if (!source) return undefined;
      const limits: Record<string, Limit> = source.kind === 'vocs' ? {} : { a21002: noxLimit };
      return { source, enterpriseName: source.enterpriseId, limits, minValidMinutes: 45, minValidHours: 20 };
    },
    alertsOpened: async () => [],
    utcOffsetMinutes: OFFSET_MIN,
    now: () => day + 26 * H,
  });
  const call = async () => {
    const a = performance.now();
    const items = await service.daily(sources, day, true);
    const b = performance.now();
    const body = JSON.stringify({ items });
    const c = performance.now();
    if (items.length !== sources.length) throw new Error(`daily report: ${items.length} sources of ${sources.length}`);
    return { reportMs: b - a, jsonMs: c - b, totalMs: c - a, answerMb: Math.round(body.length / 1e5) / 10 };
  };
  try {
    const cold = await call();
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push((await call()).totalMs);
    return { sources: sourceCount, sourceHours, fillSeconds, cold, warm: distribution(warm) };
  } finally {
    await rollup.stop();
    await store.close();
  }
}
