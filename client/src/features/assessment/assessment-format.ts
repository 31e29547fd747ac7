/**
 * How the assessment's figures are shown: each indicator's unit and decimals (HJ 663 precision:
 * whole µg/m³, CO mg/m³ to 0.1; ratios in % to 0.01), which way its target points, and its
 * year-on-year change (percentage points for the ratios, % for the statistics).
 */
import type { AssessmentRow, TargetKey } from '../../api/assessment';

export type UnitKey = 'pct' | 'ug' | 'mg';

export const unitOf = (k: TargetKey): UnitKey => (k === 'goodDays' || k === 'heavyDays' ? 'pct' : k === 'co' ? 'mg' : 'ug');

export const decimalsOf = (k: TargetKey): number => (unitOf(k) === 'pct' ? 2 : k === 'co' ? 1 : 0);

/** The good-day ratio must reach its target; every other figure must stay at or below its own. */
export const atLeast = (k: TargetKey): boolean => k === 'goodDays';

/** The figure with its decimals, or null. */
export const fixed = (v: number | null, decimals: number): string | null => (v === null ? null : v.toFixed(decimals));

/** The change from a year earlier and its unit ('pp' for the ratios, 'pct' for the statistics). */
export function changeOf(row: Pick<AssessmentRow, 'change'>, k: TargetKey): { value: number; unit: 'pp' | 'pct' } | null {
  const c = row.change;
  if (!c) return null;
  const value = k === 'goodDays' ? c.goodPct : k === 'heavyDays' ? c.heavyPct : c.stats[k];
  if (value === null) return null;
  return { value, unit: unitOf(k) === 'pct' ? 'pp' : 'pct' };
}

/** A change with its sign: +3.3, −5.56, 0. */
export const signed = (v: number, decimals: number): string =>
  v > 0 ? `+${v.toFixed(decimals)}` : v < 0 ? `−${(-v).toFixed(decimals)}` : v.toFixed(decimals);

/** Targets met of those decided (pass true / decided). */
export function targetsMet(row: Pick<AssessmentRow, 'checks'>): { met: number; all: number } {
  const decided = row.checks.filter((c) => c.pass !== null);
  return { met: decided.filter((c) => c.pass === true).length, all: row.checks.length };
}
