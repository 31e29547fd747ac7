/**
 * Reports (server/http/reports-router.ts; row shapes from server/reports/report-builder.ts): the
 * JSON answers for the page, and the URLs of the same endpoints as CSV / XLSX downloads. Rates are
 * fractions 0–1; dates are local days `YYYY-MM-DD`.
 */
import type { DailySource, HourlyReport, MeanFigure } from '@domain/report';
import { isItems, isTransmissionRow, type TransmissionRow } from './guards';
import { requestJson } from './rest';

type Fetch = typeof fetch;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

export type { TransmissionRow };

export type { DailyFactor, DailySource, HourlyReport, HourlyRow, LimitView, MeanFigure } from '@domain/report';

const isFigure = (v: unknown): v is MeanFigure =>
  isObj(v) && isStr(v['factor']) && isStr(v['unit']) && (v['value'] === null || isNum(v['value'])) && typeof v['valid'] === 'boolean' && isNum(v['inputs']);

const isDailySource = (v: unknown): v is DailySource =>
  isObj(v) && isStr(v['mn']) && isStr(v['name']) && Array.isArray(v['factors']) && v['factors'].every(isFigure) && isObj(v['transmission']) && isNum(v['transmission']['effectiveRate']);

const isHourlyReport = (v: unknown): v is HourlyReport =>
  isObj(v) && isStr(v['mn']) && isStr(v['date']) && Array.isArray(v['items']) && v['items'].every((r) => isObj(r) && isFigure(r) && isNum(r['hour']));

export type ReportKind = 'daily' | 'hourly' | 'transmission';
export type ExportFormat = 'csv' | 'xlsx';

/** The query of one report (what the page asks for, and what its export links carry). */
export type ReportQuery =
  | { kind: 'daily'; date: string; mn?: string }
  | { kind: 'hourly'; mn: string; date: string }
  | { kind: 'transmission'; from: string; to: string };

function params(q: ReportQuery): URLSearchParams {
  switch (q.kind) {
    case 'daily':
      return new URLSearchParams({ date: q.date, ...(q.mn ? { mn: q.mn } : {}) });
    case 'hourly':
      return new URLSearchParams({ mn: q.mn, date: q.date });
    case 'transmission':
      return new URLSearchParams({ from: q.from, to: q.to });
  }
}

/** The export link: the same endpoint with format and the headers' language (the UI's). */
export function exportUrl(q: ReportQuery, format: ExportFormat, uiLocale: string): string {
  const p = params(q);
  p.set('format', format);
  p.set('lang', uiLocale === 'en' ? 'en' : 'zh');
  return `/api/reports/${q.kind}?${p}`;
}

export async function fetchDailyReport(date: string, fetchFn: Fetch = fetch): Promise<DailySource[]> {
  const valid = (v: unknown): v is { items: DailySource[] } => isObj(v) && Array.isArray(v['items']) && v['items'].every(isDailySource);
  return (await requestJson('GET', `/api/reports/daily?${params({ kind: 'daily', date })}`, valid, undefined, fetchFn)).items;
}

export const fetchHourlyReport = (mn: string, date: string, fetchFn: Fetch = fetch): Promise<HourlyReport> =>
  requestJson('GET', `/api/reports/hourly?${params({ kind: 'hourly', mn, date })}`, isHourlyReport, undefined, fetchFn);

/** Per source per day, `to` inclusive (at most 62 days). */
export async function fetchTransmission(from: string, to: string, fetchFn: Fetch = fetch): Promise<TransmissionRow[]> {
  return (await requestJson('GET', `/api/reports/transmission?${params({ kind: 'transmission', from, to })}`, isItems(isTransmissionRow), undefined, fetchFn)).items;
}

/** Mean effective transmission rate (a fraction 0–1) of the newest day reported, or null without rows. */
export function meanEffectiveRate(rows: readonly TransmissionRow[]): number | null {
  if (rows.length === 0) return null;
  const newest = rows.reduce((d, r) => (r.date > d ? r.date : d), '');
  const day = rows.filter((r) => r.date === newest);
  return day.reduce((s, r) => s + r.effectiveRate, 0) / day.length;
}

/** The pass mark of the effective transmission rate (HJ 75 / the bureau: ≥ 90 %). */
export const PASS_RATE = 0.9;
