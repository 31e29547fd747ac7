/**
 * Reports (server/http/reports-router.ts; row shapes from server/reports/report-builder.ts): the
 * JSON answers for the page, and the URLs of the same endpoints as CSV / XLSX downloads. Rates are
 * fractions 0–1; dates are local days `YYYY-MM-DD`.
 */
import type { DailySource, HourlyReport, TransmissionRow } from '@domain/report';
import { isDailySource, isHourlyReport, isItems, isTransmissionRow } from './guards';
import { requestJson } from './rest';

type Fetch = typeof fetch;

export type { DailyFactor, DailySource, HourlyReport, HourlyRow, MeanFigure, TransmissionRow } from '@domain/report';
export type { LimitView } from '@domain/limit-pack';

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
  const path = `/api/reports/daily?${params({ kind: 'daily', date })}`;
  return (await requestJson('GET', path, isItems(isDailySource), undefined, fetchFn)).items;
}

export const fetchHourlyReport = (mn: string, date: string, fetchFn: Fetch = fetch): Promise<HourlyReport> =>
  requestJson('GET', `/api/reports/hourly?${params({ kind: 'hourly', mn, date })}`, isHourlyReport, undefined, fetchFn);

/** Per source per day, `to` inclusive (at most 62 days). */
export async function fetchTransmission(from: string, to: string, fetchFn: Fetch = fetch): Promise<TransmissionRow[]> {
  return (
    await requestJson(
      'GET',
      `/api/reports/transmission?${params({ kind: 'transmission', from, to })}`,
      isItems(isTransmissionRow),
      undefined,
      fetchFn,
    )
  ).items;
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
