/**
 * The periods an assessment is asked for (GET /api/air/assessment?period=…), as local calendar dates:
 * - `2026`            a calendar year;
 * - `2026-11`         a calendar month;
 * - `aw-2026`         the autumn–winter period 1 Oct 2026 – 31 Mar 2027 (秋冬季, PLANS F3);
 * - `2026-10-01..2026-12-04`  a custom range, both days included (at most 366 days).
 * Pure.
 */
import { addDays, parseLocalDate } from './local-time';

export const PERIOD_KINDS = ['year', 'month', 'autumn-winter', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface AssessmentPeriod {
  kind: PeriodKind;
  /** As asked for (the canonical spelling above). */
  id: string;
  /** First and last day, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
}

/** The longest custom range, days. */
export const MAX_RANGE_DAYS = 366;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Days from `from` to `to`, both included. */
export const daysBetween = (from: string, to: string): number =>
  Math.round(((parseLocalDate(to, 0) as number) - (parseLocalDate(from, 0) as number)) / 86_400_000) + 1;

/** The period a text names, or null. */
export function parsePeriod(text: string): AssessmentPeriod | null {
  let m = /^(\d{4})$/.exec(text);
  if (m) return { kind: 'year', id: text, from: `${m[1]}-01-01`, to: `${m[1]}-12-31` };
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12) return null;
    return { kind: 'month', id: text, from: `${m[1]}-${m[2]}-01`, to: `${m[1]}-${m[2]}-${pad(lastDayOfMonth(y, mo))}` };
  }
  m = /^aw-(\d{4})$/.exec(text);
  if (m) return { kind: 'autumn-winter', id: text, from: `${m[1]}-10-01`, to: `${Number(m[1]) + 1}-03-31` };
  m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (m) {
    const [from, to] = [m[1] as string, m[2] as string];
    if (parseLocalDate(from, 0) === null || parseLocalDate(to, 0) === null || from > to) return null;
    if (daysBetween(from, to) > MAX_RANGE_DAYS) return null;
    return { kind: 'range', id: text, from, to };
  }
  return null;
}

/** The same calendar day a year earlier (29 February → 28 February). */
export function yearBefore(date: string): string {
  const y = Number(date.slice(0, 4)) - 1;
  const md = date.slice(5);
  return md === '02-29' ? `${pad(y, 4)}-02-28` : `${pad(y, 4)}-${md}`;
}

/** The autumn–winter period a date lies in (1 Oct – 31 Mar), or null outside it. */
export function autumnWinterOf(date: string): AssessmentPeriod | null {
  const y = Number(date.slice(0, 4));
  const mo = Number(date.slice(5, 7));
  if (mo >= 10) return parsePeriod(`aw-${y}`);
  if (mo <= 3) return parsePeriod(`aw-${y - 1}`);
  return null;
}

/** Every date from `from` to `to`, both included. */
export function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
