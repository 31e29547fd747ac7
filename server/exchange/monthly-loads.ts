/**
 * Emission loads per enterprise, local month and pollutant, in kg (the per-hour formula is
 * emission-load.ts): the outlets' hours of each month up to now — not treatment-unit inlets (what
 * goes into a treatment unit is not emitted) and not ambient stations. Hours come from the reports'
 * hourly rollup, the loggers' hour amounts (Cou) from their CN 2061 records.
 *
 * Enterprises in id order; those before the cursor's are not computed, and the work stops once the
 * page is full.
 */
import { encodeCursor, LOAD_UNIT, sortKey, type ExchangeLoad, type ExchangePage, type ExchangePaging } from '../domain/exchange';
import { HOUR_MS, hourStartOf } from '../domain/local-time';
import type { Enterprise, Source } from '../domain/registry';
import { roundGbt8170 } from '../domain/rounding';
import type { ReportService } from '../reports/report-service';
import type { StoredRecord } from '../storage/telemetry-store';
import { sourceLoads, type PollutantLoad } from './emission-load';

export interface LoadMonth {
  /** `YYYY-MM`. */
  month: string;
  /** Epoch ms of its first local instant, and of the next month's. */
  start: number;
  end: number;
}

export interface LoadFilter {
  enterpriseId?: string | undefined;
  pollutant?: string | undefined;
  /** In order. */
  months: readonly LoadMonth[];
}

export interface LoadDeps {
  /** The registry now. */
  sources: () => readonly Source[];
  enterprises: () => readonly Enterprise[];
  reports: Pick<ReportService, 'rollupHours'>;
  /** A source's hour data (CN 2061) in [from, to): the logger's hourly Cou amounts. */
  hourRecords: (mn: string, from: number, to: number) => Promise<StoredRecord[]>;
  utcOffsetMinutes: number;
  now: () => number;
}

/** Rounds to the grams a kg figure can honestly claim. */
const kg = (value: number): number => roundGbt8170(value, 3);

const keyOf = (r: ExchangeLoad): string => sortKey(r.enterpriseId, r.month, r.pollutant);

export async function monthlyLoads(
  d: LoadDeps,
  tenant: string | null,
  f: LoadFilter,
  p: ExchangePaging,
): Promise<ExchangePage<ExchangeLoad>> {
  const names = new Map(d.enterprises().map((e) => [e.id, e.name]));
  const emitting = d.sources().filter((s) => s.position !== 'inlet' && s.kind !== 'ambient');
  const ids = [...new Set(emitting.map((s) => s.enterpriseId))]
    .filter((id) => (tenant === null || id === tenant) && (f.enterpriseId === undefined || id === f.enterpriseId))
    .sort();
  const after = p.after;
  const firstId = after === undefined ? '' : (after.split('\u0001')[0] ?? '');
  const horizon = hourStartOf(d.now(), d.utcOffsetMinutes) + HOUR_MS;
  const kept: ExchangeLoad[] = [];
  for (const id of ids) {
    if (id < firstId) continue;
    const sources = emitting.filter((s) => s.enterpriseId === id).toSorted((a, b) => (a.mn < b.mn ? -1 : 1));
    for (const m of f.months) {
      const end = Math.min(m.end, horizon);
      if (end <= m.start) continue;
      const rows = await enterpriseMonth(d, { id, name: names.get(id) ?? id }, sources, { ...m, end }, f.pollutant);
      kept.push(...rows.filter((r) => after === undefined || keyOf(r) > after));
    }
    if (kept.length > p.limit) break;
  }
  const items = kept.slice(0, p.limit);
  const last = items.at(-1);
  return { items, next: kept.length > p.limit && last !== undefined ? encodeCursor({ after: keyOf(last) }) : null };
}

/** One enterprise's month: a row per pollutant with a load, its sources' shares beside. */
async function enterpriseMonth(
  d: LoadDeps,
  enterprise: { id: string; name: string },
  sources: readonly Source[],
  m: LoadMonth,
  pollutant: string | undefined,
): Promise<ExchangeLoad[]> {
  const mns = sources.map((s) => s.mn);
  const hours = await d.reports.rollupHours(mns, m.start, m.end);
  const hourOf = (ts: number) => hourStartOf(ts, d.utcOffsetMinutes);
  const bySource = await Promise.all(
    mns.map(async (mn) => [mn, sourceLoads(hours.get(mn) ?? new Map(), await d.hourRecords(mn, m.start, m.end), hourOf)] as const),
  );
  const byPollutant = new Map<string, { total: PollutantLoad; sources: ExchangeLoad['sources'] }>();
  for (const [mn, loads] of bySource) {
    for (const [p, l] of loads) {
      if (pollutant !== undefined && p !== pollutant) continue;
      let acc = byPollutant.get(p);
      if (!acc) byPollutant.set(p, (acc = { total: { load: 0, hours: 0, couHours: 0 }, sources: [] }));
      acc.total.load += l.load;
      acc.total.hours += l.hours;
      acc.total.couHours += l.couHours;
      acc.sources.push({ mn, load: kg(l.load), hours: l.hours, couHours: l.couHours });
    }
  }
  return [...byPollutant]
    .toSorted(([a], [b]) => (a < b ? -1 : 1))
    .map(([p, acc]) => ({
      enterpriseId: enterprise.id,
      enterpriseName: enterprise.name,
      month: m.month,
      pollutant: p,
      unit: LOAD_UNIT,
      load: kg(acc.total.load),
      hours: acc.total.hours,
      couHours: acc.total.couHours,
      sources: acc.sources,
    }));
}
