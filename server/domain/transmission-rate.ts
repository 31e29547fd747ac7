/**
 * The overview's transmission figure: the mean effective transmission rate of the newest day
 * reported, from the per-source rows of yesterday and today (GET /api/reports/transmission/rate
 * answers it, so the dashboard never takes a province's rows: 40,000 at 20,000 outlets). The server
 * sums each day as it reads it (`DayRates`, `rateOfDays`) rather than building those rows; the
 * figure of rows is the same sum (`transmissionRate`).
 */
import type { TransmissionRow } from './report';

export interface TransmissionRate {
  /** The day the rate is of (the newest with rows), null without rows. */
  date: string | null;
  /** Mean effective rate of that day's sources, a fraction 0–1; null without rows. */
  rate: number | null;
  /** How many sources that day's mean is over. */
  sources: number;
  /** The first day after install (no source received anything on an earlier day): not yet meaningful. */
  firstDay: boolean;
}

/** Mean effective transmission rate (a fraction 0–1) of the newest day reported, or null without rows. */
export function meanEffectiveRate(rows: readonly TransmissionRow[]): number | null {
  return rateOfDays(daysOfRows(rows), '').rate;
}

/** No history yet: the report has rows for today but no source received anything on an earlier day. */
export function isFirstDay(rows: readonly TransmissionRow[], today: string): boolean {
  return rateOfDays(daysOfRows(rows), today).firstDay;
}

/** The figure of `rows` (yesterday's and today's), `today` being the local day asked for. */
export function transmissionRate(rows: readonly TransmissionRow[], today: string): TransmissionRate {
  return rateOfDays(daysOfRows(rows), today);
}

/** The rows summed per day. */
function daysOfRows(rows: readonly TransmissionRow[]): DayRates[] {
  const days = new Map<string, DayRates>();
  for (const r of rows) {
    let d = days.get(r.date);
    if (!d) days.set(r.date, (d = { date: r.date, sources: 0, effectiveSum: 0, received: false }));
    d.sources += 1;
    d.effectiveSum += r.effectiveRate;
    d.received ||= r.received > 0;
  }
  return [...days.values()];
}

/** One day's rows summed: what the figure needs of them. */
export interface DayRates {
  date: string;
  /** Rows (sources) of the day. */
  sources: number;
  /** Sum of their effective rates. */
  effectiveSum: number;
  /** Whether any of them received anything. */
  received: boolean;
}

/** `transmissionRate` of the rows these days sum (a day without sources has no rows). */
export function rateOfDays(days: readonly DayRates[], today: string): TransmissionRate {
  const withRows = days.filter((d) => d.sources > 0);
  const newest = withRows.reduce<DayRates | null>((n, d) => (n === null || d.date > n.date ? d : n), null);
  return {
    date: newest?.date ?? null,
    rate: newest ? newest.effectiveSum / newest.sources : null,
    sources: newest?.sources ?? 0,
    firstDay: withRows.some((d) => d.date === today) && !withRows.some((d) => d.date < today && d.received),
  };
}
