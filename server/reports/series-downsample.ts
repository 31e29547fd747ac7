/**
 * A series over a long range (issue 20): real-time or minute data over more than 7 days comes as
 * hourly means of the reports' hourly rollup, over more than a year as daily means of it
 * (server/domain/retention.ts `seriesResolution`), so a year reads 8,760 kept hours instead of
 * millions of raw points, and ranges past the raw data's retention still have a series.
 *
 * A point's value is the mean of the period's valid inputs (`avg`; `zs` the same converted to
 * reference O2) and its flag the period's flag (N when more than 75 % of its inputs — hours, for a
 * day — were N): the figures the reports print. A period with inputs but none valid keeps its flag
 * and has no value.
 */
import { dayStartOf, HOUR_MS, hourStartOf } from '../domain/local-time';
import type { DataFlag, DataKind, SeriesPoint } from '../domain/reading';
import { seriesResolution, type SeriesAnswer, type SeriesResolution } from '../domain/retention';
import type { FactorHourStats, HourlyRollupStore, SourceHour } from '../storage/hourly-rollup';
import type { TelemetryStore } from '../storage/telemetry-store';

export interface SeriesRequest {
  mn: string;
  cn: DataKind;
  factor: string;
  from: number;
  to: number;
  /** Absent: chosen from the range (seriesResolution). */
  resolution?: SeriesResolution;
}

export interface SeriesReaderDeps {
  telemetry: Pick<TelemetryStore, 'series'>;
  /** The kept hours of the rollup store (no computing: a year of raw data is never read here). */
  rollups: Pick<HourlyRollupStore, 'get'>;
  /** The hours of the last `recentMs` through the reports' rollup cache (open hours computed from raw data). */
  recentHours: (mn: string, from: number, to: number) => Promise<Map<number, SourceHour>>;
  utcOffsetMinutes: number;
  now: () => number;
}

/** Hours newer than this are read through the cache (not yet kept, or still open). */
const RECENT_MS = 2 * 24 * HOUR_MS;

const pointOf = (ts: number, s: Pick<FactorHourStats, 'nValid' | 'sum' | 'nZs' | 'sumZs'>, flag: DataFlag): SeriesPoint => ({
  ts,
  flag,
  ...(s.nValid > 0 ? { avg: s.sum / s.nValid } : {}),
  ...(s.nZs > 0 ? { zs: s.sumZs / s.nZs } : {}),
});

/** One point per hour that had inputs of the factor, oldest first. */
export function hourlyPoints(hours: Iterable<SourceHour>, factor: string): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const h of hours) {
    const s = h.factors[factor];
    if (s && s.n > 0) out.push(pointOf(h.hour, s, s.flag));
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/** N when more than 75 % of the hours were N, else the most frequent other flag (DOMAIN §4). */
function dayFlag(flags: readonly DataFlag[]): DataFlag {
  const counts = new Map<DataFlag, number>();
  for (const f of flags) counts.set(f, (counts.get(f) ?? 0) + 1);
  if ((counts.get('N') ?? 0) > 0.75 * flags.length) return 'N';
  counts.delete('N');
  let best: DataFlag = 'N';
  let most = 0;
  for (const [f, n] of counts) if (n > most) [best, most] = [f, n];
  return best;
}

/** One point per local day that had inputs of the factor (means over the day's valid inputs), oldest first. */
export function dailyPoints(hours: Iterable<SourceHour>, factor: string, utcOffsetMinutes: number): SeriesPoint[] {
  const days = new Map<number, { nValid: number; sum: number; nZs: number; sumZs: number; flags: DataFlag[] }>();
  for (const h of hours) {
    const s = h.factors[factor];
    if (!s || s.n === 0) continue;
    const day = dayStartOf(h.hour, utcOffsetMinutes);
    let d = days.get(day);
    if (!d) days.set(day, (d = { nValid: 0, sum: 0, nZs: 0, sumZs: 0, flags: [] }));
    d.nValid += s.nValid;
    d.sum += s.sum;
    d.nZs += s.nZs;
    d.sumZs += s.sumZs;
    d.flags.push(s.flag);
  }
  return [...days].map(([day, d]) => pointOf(day, d, dayFlag(d.flags))).sort((a, b) => a.ts - b.ts);
}

export class SeriesReader {
  constructor(private readonly d: SeriesReaderDeps) {}

  async read(q: SeriesRequest): Promise<SeriesAnswer> {
    const resolution = q.resolution ?? seriesResolution(q.cn, q.from, q.to);
    if (resolution === 'raw') return { resolution, items: await this.d.telemetry.series(q) };
    const off = this.d.utcOffsetMinutes;
    // Whole periods: the hour (or local day) containing `from` is included.
    const start = resolution === 'day' ? dayStartOf(q.from, off) : hourStartOf(q.from, off);
    const hours = await this.hours(q.mn, start, q.to);
    const items = resolution === 'hour' ? hourlyPoints(hours, q.factor) : dailyPoints(hours, q.factor, this.d.utcOffsetMinutes);
    return { resolution, items };
  }

  /** The kept hours of [from, to) (from hour-aligned), the recent ones through the cache. */
  private async hours(mn: string, from: number, until: number): Promise<SourceHour[]> {
    const now = this.d.now();
    const to = Math.min(until, now + HOUR_MS); // no future hours to compute
    const recentFrom = Math.max(from, Math.min(to, hourStartOf(now - RECENT_MS, this.d.utcOffsetMinutes)));
    const byHour = new Map<number, SourceHour>();
    if (recentFrom > from) for (const h of await this.d.rollups.get([mn], from, recentFrom)) byHour.set(h.hour, h);
    if (to > recentFrom) for (const [hour, h] of await this.d.recentHours(mn, recentFrom, to)) byHour.set(hour, h);
    return [...byHour.values()];
  }
}
