/** Alert detail and the officer's (and the enterprise's "explain") actions over REST. */
import type { Alert, AlertDetail, AlertHistoryEntry, Assignee, BulkResult } from '@domain/alert';
import { isAlert, isAlertAnswer, isAlertDetail, isAssignee, isBulkResult, isHistoryEntry, isItems } from './guards';
import { isAnswer, arrayOf } from './guard-kit';
import { requestJson } from './rest';

type Fetch = typeof fetch;
const path = (id: number, action?: string): string => `/api/alerts/${id}${action ? `/${action}` : ''}`;

export const fetchAlertDetail = (id: number, fetchFn: Fetch = fetch): Promise<AlertDetail> =>
  requestJson('GET', path(id), isAlertDetail, undefined, fetchFn);

/** The alert history of one source, newest first. */
export async function fetchSourceAlertHistory(mn: string, limit = 200, fetchFn: Fetch = fetch): Promise<AlertHistoryEntry[]> {
  const q = new URLSearchParams({ mn, limit: String(limit) });
  return (await requestJson('GET', `/api/alerts/history?${q}`, isItems(isHistoryEntry), undefined, fetchFn)).items;
}

/** Every alert action the wall offers, with its body. */
export type AlertAction =
  | { kind: 'acknowledge'; note?: string }
  | { kind: 'assign'; assignee: string | null; note?: string }
  | { kind: 'comment'; text: string; internal?: boolean }
  | { kind: 'resolve'; note?: string }
  | { kind: 'silence'; reason: string; durationMin: number };

export async function runAlertAction(id: number, action: AlertAction, fetchFn: Fetch = fetch): Promise<Alert> {
  const { kind, ...body } = action;
  return (await requestJson('POST', path(id, kind), isAlertAnswer, body, fetchFn)).alert;
}

export type { BulkResult } from '@domain/alert';

const isBulkAnswer = isAnswer('results', arrayOf(isBulkResult));

/** Acknowledges several alerts with one note; each id answers for itself. */
export async function acknowledgeMany(ids: readonly number[], note: string | undefined, fetchFn: Fetch = fetch): Promise<BulkResult[]> {
  return (await requestJson('POST', '/api/alerts/acknowledge', isBulkAnswer, { ids, ...(note ? { note } : {}) }, fetchFn)).results;
}

/** The enabled officers and administrators an alert can be assigned to. */
export async function fetchAssignees(fetchFn: Fetch = fetch): Promise<Assignee[]> {
  return (await requestJson('GET', '/api/assignees', isItems(isAssignee), undefined, fetchFn)).items;
}

const isAlertPage = (v: unknown): v is { items: Alert[]; total: number } =>
  isItems(isAlert)(v) && typeof (v as { total?: unknown }).total === 'number';

/** How many alerts match `query`: the `total` of a one-item page, never the alerts themselves. */
export async function countAlerts(query: URLSearchParams, fetchFn: Fetch = fetch): Promise<number> {
  const q = new URLSearchParams(query);
  q.set('limit', '1');
  return (await fetchAlertPage(q, fetchFn)).total;
}

/** One page of the alerts matching `query` (GET /api/alerts?…), with how many match in all. */
export async function fetchAlertPage(query: URLSearchParams, fetchFn: Fetch = fetch): Promise<{ items: Alert[]; total: number }> {
  return requestJson('GET', `/api/alerts?${query}`, isAlertPage, undefined, fetchFn);
}
