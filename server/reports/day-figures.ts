/**
 * Pure: the daily report's figures per source-day (what its head counts and its filter and order
 * read), kept per packed day (rollup_day_figures) so a page of a 20,000-source day reads small rows
 * instead of every packed day; the filter, the report's order and the scope's totals over them.
 */
import type { DailySource, DailyStatus, DailyTotals } from '../domain/report';
import type { Limit } from '../domain/registry';
import type { ReportSubject } from './report-builder';
import { transmissionRates } from './report-figures';

/** One source-day's figures. */
export interface DayFigure {
  /** Valid hours over a limit, summed over the factors. */
  exceedingHours: number;
  /** Factors whose valid day mean is over the limit. */
  exceedingFactors: number;
  expected: number;
  received: number;
  valid: number;
}

export function figureOf(d: DailySource): DayFigure {
  let exceedingHours = 0;
  let exceedingFactors = 0;
  for (const f of d.factors) {
    exceedingHours += f.exceedingHours;
    if (f.exceeds) exceedingFactors++;
  }
  const t = d.transmission;
  return { exceedingHours, exceedingFactors, expected: t.expected, received: t.received, valid: t.valid };
}

export const encodeFigure = (f: DayFigure): string =>
  JSON.stringify([f.exceedingHours, f.exceedingFactors, f.expected, f.received, f.valid]);

/** Undefined for a malformed row (computed again). */
export function decodeFigure(data: string): DayFigure | undefined {
  try {
    const a = JSON.parse(data) as unknown;
    if (!Array.isArray(a) || a.length !== 5 || !a.every((x) => typeof x === 'number')) return undefined;
    const [exceedingHours, exceedingFactors, expected, received, valid] = a as number[];
    return { exceedingHours, exceedingFactors, expected, received, valid } as DayFigure;
  } catch {
    return undefined;
  }
}

const limitsText = new WeakMap<Record<string, Limit>, string>();

/** What a source's figures depend on besides its hours: its limits, validity counts and interval. */
export function basisOf(s: ReportSubject): string {
  let limits = limitsText.get(s.limits);
  if (limits === undefined) {
    limits = JSON.stringify(Object.entries(s.limits).sort(([a], [b]) => (a < b ? -1 : 1)));
    limitsText.set(s.limits, limits);
  }
  return `${s.minValidMinutes} ${s.minValidHours} ${s.source.intervalS} ${limits}`;
}

/** A source of the report with its figures, alerts and place. */
export interface DailyRow {
  subject: ReportSubject;
  figure: DayFigure;
  alerts: number;
  district: string;
  industry: string | null;
}

export interface DailyFilter {
  district?: string;
  /** An industry code (GB/T 4754). */
  industry?: string;
  enterpriseId?: string;
  status?: DailyStatus;
  /** Text in the source's name, MN or enterprise name (case ignored). */
  q?: string;
}

const passes = (f: DayFigure): boolean => transmissionRates(f.expected, f.received, f.valid).pass;

export function hasStatus(r: DailyRow, status: DailyStatus): boolean {
  const f = r.figure;
  switch (status) {
    case 'exceeding':
      return f.exceedingFactors > 0 || f.exceedingHours > 0;
    case 'failing':
      return !passes(f);
    case 'alerts':
      return r.alerts > 0;
    case 'noData':
      return f.received === 0;
  }
}

export function matches(r: DailyRow, f: DailyFilter): boolean {
  if (f.district !== undefined && r.district !== f.district) return false;
  if (f.industry !== undefined && r.industry !== f.industry) return false;
  if (f.enterpriseId !== undefined && r.subject.source.enterpriseId !== f.enterpriseId) return false;
  if (f.status !== undefined && !hasStatus(r, f.status)) return false;
  if (f.q !== undefined) {
    const q = f.q.toLowerCase();
    const s = r.subject;
    if (!s.source.name.toLowerCase().includes(q) && !s.source.mn.toLowerCase().includes(q) && !s.enterpriseName.toLowerCase().includes(q))
      return false;
  }
  return true;
}

/** 0: a day mean over the limit; 1: hours over it; 2: failing transmission; 3: alerts; 4: the rest. */
function rank(r: DailyRow): number {
  if (r.figure.exceedingFactors > 0) return 0;
  if (r.figure.exceedingHours > 0) return 1;
  if (!passes(r.figure)) return 2;
  return r.alerts > 0 ? 3 : 4;
}

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The report's order: worst first (rank, then more hours over the limit, more alerts), then enterprise, name, MN. */
export function ordered(rows: readonly DailyRow[]): DailyRow[] {
  const ranked = rows.map((r) => ({ r, k: rank(r) }));
  ranked.sort(
    (a, b) =>
      a.k - b.k ||
      b.r.figure.exceedingHours - a.r.figure.exceedingHours ||
      b.r.alerts - a.r.alerts ||
      text(a.r.subject.enterpriseName, b.r.subject.enterpriseName) ||
      text(a.r.subject.source.name, b.r.subject.source.name) ||
      text(a.r.subject.source.mn, b.r.subject.source.mn),
  );
  return ranked.map((x) => x.r);
}

export function totalsOf(rows: readonly DailyRow[]): DailyTotals {
  const t = { sources: rows.length, exceeding: 0, withExceedingHours: 0, exceedingHours: 0, failing: 0, noData: 0, alerts: 0 };
  let [expected, received, valid] = [0, 0, 0];
  for (const r of rows) {
    const f = r.figure;
    if (f.exceedingFactors > 0) t.exceeding++;
    if (f.exceedingHours > 0) t.withExceedingHours++;
    t.exceedingHours += f.exceedingHours;
    if (!passes(f)) t.failing++;
    if (f.received === 0) t.noData++;
    t.alerts += r.alerts;
    expected += f.expected;
    received += f.received;
    valid += f.valid;
  }
  return { ...t, transmission: transmissionRates(expected, received, valid) };
}
