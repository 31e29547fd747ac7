/**
 * How a credit scorecard reads (pure, tested): the periods offered (this and the last two years,
 * the last eight quarters, the last twelve months, newest first), a period's label, and the alert
 * categories in the order the card lists them. No id, key or epoch in the text.
 */
import { ALERT_CATEGORIES, type AlertCategory } from '@domain/scorecard';

type T = (key: string, params?: Record<string, unknown>) => string;

export interface PeriodGroup {
  kind: 'year' | 'quarter' | 'month';
  periods: string[];
}

/** The periods to choose from, given today's local date (YYYY-MM-DD). */
export function periodGroups(today: string): PeriodGroup[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const years = [year, year - 1, year - 2].map(String);
  const quarters: string[] = [];
  for (let y = year, q = Math.ceil(month / 3); quarters.length < 8; q--) {
    if (q === 0) [y, q] = [y - 1, 4];
    quarters.push(`${y}-Q${q}`);
  }
  const months: string[] = [];
  for (let y = year, m = month; months.length < 12; m--) {
    if (m === 0) [y, m] = [y - 1, 12];
    months.push(`${y}-${String(m).padStart(2, '0')}`);
  }
  return [
    { kind: 'year', periods: years },
    { kind: 'quarter', periods: quarters },
    { kind: 'month', periods: months },
  ];
}

/** `2026` → 2026 年度; `2026-Q4` → 2026 年第 4 季度; `2026-11` → 2026 年 11 月. */
export function periodText(p: string, t: T): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(p);
  if (q) return t('scorecard.quarterLabel', { year: q[1], q: q[2] });
  const m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) return t('scorecard.monthLabel', { year: m[1], m: Number(m[2]) });
  return /^\d{4}$/.test(p) ? t('scorecard.yearLabel', { year: p }) : p;
}

/** The categories with a count, in the card's order (all of them when `all`). */
export function categoryRows(counts: Record<AlertCategory, number>, all = false): { category: AlertCategory; count: number }[] {
  return ALERT_CATEGORIES.map((category) => ({ category, count: counts[category] })).filter((r) => all || r.count > 0);
}
