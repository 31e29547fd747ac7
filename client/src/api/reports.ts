/**
 * Reports (server/http/reports-router.ts; row shapes from server/reports/report-builder.ts): the
 * JSON answers for the page, and the URLs of the same endpoints as CSV / XLSX downloads. Rates are
 * fractions 0–1; dates are local days `YYYY-MM-DD`.
 */
import type { DailyReport, DailyStatus, HourlyReport, TransmissionRow } from '@domain/report';
import type { TransmissionRate } from '@domain/transmission-rate';
import { isDailyReport, isHourlyReport, isItems, isTransmissionRate, isTransmissionRow } from './guards';
import { requestJson } from './rest';

type Fetch = typeof fetch;

export type {
  DailyFactor,
  DailyReport,
  DailySource,
  DailyStatus,
  DailyTotals,
  HourlyReport,
  HourlyRow,
  MeanFigure,
  TransmissionRow,
} from '@domain/report';
export type { LimitView } from '@domain/limit-pack';

export type ReportKind = 'daily' | 'hourly' | 'transmission';
export type ExportFormat = 'csv' | 'xlsx';

/** What the daily report is narrowed to (the server filters; '' or absent: any). */
export interface DailyFilter {
  district?: string;
  industry?: string;
  status?: DailyStatus | '';
  q?: string;
}

/** The query of one report (what the page asks for, and what its export links carry: the export is every match). */
export type ReportQuery =
  | ({ kind: 'daily'; date: string; mn?: string } & DailyFilter)
  | { kind: 'hourly'; mn: string; date: string }
  | { kind: 'transmission'; from: string; to: string };

function params(q: ReportQuery): URLSearchParams {
  switch (q.kind) {
    case 'daily': {
      const p = new URLSearchParams({ date: q.date, ...(q.mn ? { mn: q.mn } : {}) });
      for (const k of ['district', 'industry', 'status', 'q'] as const) if (q[k]) p.set(k, q[k]);
      return p;
    }
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

/** A page of the daily report: `limit` matching sources from `offset`, worst first, with the totals of every visible source. */
export function fetchDailyReport(
  q: { date: string; offset: number; limit: number } & DailyFilter,
  fetchFn: Fetch = fetch,
): Promise<DailyReport> {
  const p = params({ kind: 'daily', ...q });
  p.set('offset', String(q.offset));
  p.set('limit', String(q.limit));
  return requestJson('GET', `/api/reports/daily?${p}`, isDailyReport, undefined, fetchFn);
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

/** The overview's figure: the mean effective rate of the newest day reported (yesterday or `date`), computed by the server. */
export async function fetchTransmissionRate(date: string, fetchFn: Fetch = fetch): Promise<TransmissionRate> {
  return requestJson('GET', `/api/reports/transmission/rate?${new URLSearchParams({ date })}`, isTransmissionRate, undefined, fetchFn);
}

/** The pass mark of the effective transmission rate (HJ 75 / the bureau: ≥ 90 %). */
export const PASS_RATE = 0.9;
