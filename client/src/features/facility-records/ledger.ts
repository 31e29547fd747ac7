/**
 * The facility ledger's pure parts (issue 16 item 2): which facilities take adsorbent, when each is
 * due, and a start/stop plan as a draft the enterprise edits (rows checked as typed, made into the
 * PUT body). Dates are China-local calendar dates, `YYYY-MM-DD`.
 */
import type { Facility } from '@domain/registry';
import type { PlanEntry, StartStopKind } from '@domain/facility-records';
import { addDays, localDate } from '@domain/local-time';

/** China time (UTC+8): the bureau's calendar. */
export const CHINA_OFFSET_MINUTES = 480;
export const todayInChina = (now: number = Date.now()): string => localDate(now, CHINA_OFFSET_MINUTES);
export const yearInChina = (now: number = Date.now()): number => Number(todayInChina(now).slice(0, 4));

/** Facilities with an adsorbent to replace: an adsorbent interval, or a treatment facility. */
export const adsorbersOf = (facilities: readonly Facility[]): Facility[] =>
  facilities.filter((f) => f.adsorbentDays !== undefined || f.kind === 'treatment');

/** The enterprise's production lines (what a plan names). */
export const linesOf = (facilities: readonly Facility[]): Facility[] => facilities.filter((f) => f.kind === 'production-line');

/** When the next replacement is due (the last + the interval), or null when either is unknown. */
export const dueDate = (last: string | undefined, days: number | undefined): string | null =>
  last !== undefined && days !== undefined ? addDays(last, days) : null;

export const isOverdue = (due: string | null, today: string): boolean => due !== null && today > due;

/** One row of the plan as typed. */
export interface PlanRow {
  facilityId: string;
  kind: StartStopKind;
  date: string;
  note: string;
}

export type RowError = 'lineRequired' | 'dateRequired' | 'dateOutsideYear' | 'duplicate';

export const rowsOf = (entries: readonly PlanEntry[]): PlanRow[] => entries.map((e) => ({ ...e, note: e.note ?? '' }));

/** Each row's problem (by index), if any. */
export function planErrors(rows: readonly PlanRow[], year: number): Map<number, RowError> {
  const out = new Map<number, RowError>();
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (!r.facilityId) out.set(i, 'lineRequired');
    else if (!r.date) out.set(i, 'dateRequired');
    else if (!r.date.startsWith(`${year}-`)) out.set(i, 'dateOutsideYear');
    else {
      const key = `${r.facilityId}|${r.kind}|${r.date}`;
      if (seen.has(key)) out.set(i, 'duplicate');
      seen.add(key);
    }
  });
  return out;
}

/** The rows as the plan's entries (a blank note left out). */
export const entriesOf = (rows: readonly PlanRow[]): PlanEntry[] =>
  rows.map((r) => ({ facilityId: r.facilityId, kind: r.kind, date: r.date, ...(r.note.trim() ? { note: r.note.trim() } : {}) }));

/** [from, to) of a China-local calendar year, epoch ms. */
export const yearRange = (year: number): { from: number; to: number } => ({
  from: Date.UTC(year, 0, 1) - CHINA_OFFSET_MINUTES * 60_000,
  to: Date.UTC(year + 1, 0, 1) - CHINA_OFFSET_MINUTES * 60_000,
});
