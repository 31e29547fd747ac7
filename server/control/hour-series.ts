/**
 * Hour means of one factor of one source from the TelemetryStore: the source's own hour data
 * (CN 2061, the interval's `avg`) where it sent it, and for the hours after its last hour record,
 * means computed in memory from its real-time values (CN 2011). Only valid (flag N) values count;
 * only complete hours (ended by `to`) are returned.
 */
import { isValidFlag, primaryValue, type DataKind, type SeriesPoint } from '../domain/reading';
import type { TelemetryStore } from '../storage/telemetry-store';
import { HOUR_MS, hourStartOf } from '../domain/local-time';

/** Hour records as sent: hour start → valid avg. */
export function hourMeansFromHourData(points: readonly SeriesPoint[], offsetMin: number): Map<number, number> {
  return meansBy(points, '2061', offsetMin, () => 1);
}

/**
 * Real-time values averaged per local hour; an hour is valid with at least `minCoverage` of the
 * samples the source's interval implies (HJ 75: 45 of 60 minutes → 0.75).
 */
export function hourMeansFromRealtime(
  points: readonly SeriesPoint[],
  intervalS: number,
  minCoverage: number,
  offsetMin: number,
): Map<number, number> {
  const needed = Math.max(1, Math.ceil((3600 / intervalS) * minCoverage - 1e-9));
  return meansBy(points, '2011', offsetMin, () => needed);
}

function meansBy(points: readonly SeriesPoint[], cn: DataKind, offsetMin: number, needed: () => number): Map<number, number> {
  const acc = new Map<number, { sum: number; n: number }>();
  for (const p of points) {
    const v = primaryValue(cn, p);
    if (v === undefined || !Number.isFinite(v) || !isValidFlag(p.flag)) continue;
    const h = hourStartOf(p.ts, offsetMin);
    const a = acc.get(h) ?? { sum: 0, n: 0 };
    a.sum += v;
    a.n++;
    acc.set(h, a);
  }
  const out = new Map<number, number>();
  for (const [h, a] of [...acc].sort((x, y) => x[0] - y[0])) if (a.n >= needed()) out.set(h, a.sum / a.n);
  return out;
}

export interface HourSeriesQuery {
  mn: string;
  factor: string;
  from: number;
  to: number;
  intervalS: number;
  minCoverage: number;
  offsetMin: number;
}

/**
 * One hour-data query, then (only for the tail its records do not cover) one real-time query;
 * a source that sends no hour data is computed entirely from real-time values.
 */
export async function loadHourMeans(store: TelemetryStore, q: HourSeriesQuery): Promise<Map<number, number>> {
  const from = hourStartOf(q.from, q.offsetMin);
  const lastComplete = hourStartOf(q.to, q.offsetMin); // hours starting before this are over
  const hourData = await store.series({ mn: q.mn, cn: '2061', factor: q.factor, from, to: lastComplete });
  const hours = hourMeansFromHourData(hourData, q.offsetMin);
  const lastRecord = hourData.length > 0 ? hourStartOf((hourData[hourData.length - 1] as SeriesPoint).ts, q.offsetMin) + HOUR_MS : from;
  if (lastRecord < lastComplete) {
    const rt = await store.series({ mn: q.mn, cn: '2011', factor: q.factor, from: lastRecord, to: lastComplete });
    for (const [h, v] of hourMeansFromRealtime(rt, q.intervalS, q.minCoverage, q.offsetMin)) if (!hours.has(h)) hours.set(h, v);
  }
  return hours;
}
