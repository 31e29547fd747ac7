/**
 * Rectification cases over REST (shapes from server/domain/case.ts) and the runtime check of their
 * socket event. The server scopes what an enterprise sees (its own cases, without the internal note).
 */
import {
  ATTACHMENT_KINDS,
  CASE_EVENTS,
  CASE_STATUSES,
  CASE_TYPES,
  type CaseAttachment,
  type CaseDeadline,
  type CaseHistoryEntry,
  type CasePage,
  type CaseStatus,
  type CaseType,
  type CaseView,
  type RectificationCase,
} from '@domain/case-kinds';
import type { CaseEvent } from '@domain/events';
import { arrayOf, isAnswer, isBool, isNum, isNumOrNull, isObj, isStr, isStrArray, isStrOrNull, nullable, oneOf } from './guard-kit';
import { requestJson, requestWithFile } from './rest';

type Fetch = typeof fetch;

const isDeadline = (v: unknown): v is CaseDeadline =>
  isObj(v) && ((v['kind'] === 'date' && isStr(v['date'])) || (v['kind'] === 'overhaul' && isStr(v['latest'])));

export const isAttachment = (v: unknown): v is CaseAttachment =>
  isObj(v) &&
  isStr(v['id']) &&
  isStr(v['name']) &&
  oneOf(ATTACHMENT_KINDS)(v['kind']) &&
  isNum(v['size']) &&
  isStr(v['uploadedBy']) &&
  isNum(v['uploadedAt']) &&
  (v['party'] === 'enterprise' || v['party'] === 'bureau');

const isEntry = (v: unknown): v is CaseHistoryEntry =>
  isObj(v) &&
  isNum(v['seq']) &&
  isNum(v['at']) &&
  isStr(v['by']) &&
  oneOf(CASE_EVENTS)(v['event']) &&
  isStrOrNull(v['note']) &&
  (v['detail'] === null || isObj(v['detail'])) &&
  isBool(v['internal']);

const isReport = (v: unknown) =>
  isObj(v) && isStr(v['text']) && isStrArray(v['attachmentIds']) && isNum(v['submittedAt']) && isStr(v['submittedBy']);

export const isCaseRecord = (v: unknown): v is RectificationCase =>
  isObj(v) &&
  isNum(v['id']) &&
  oneOf(CASE_TYPES)(v['type']) &&
  isStr(v['enterpriseId']) &&
  isStr(v['district']) &&
  arrayOf(isNum)(v['alertIds']) &&
  isStrArray(v['sources']) &&
  isStrArray(v['rules']) &&
  isStr(v['officer']) &&
  isDeadline(v['deadline']) &&
  isStrArray(v['requirements']) &&
  isStrOrNull(v['internalNote']) &&
  oneOf(CASE_STATUSES)(v['status']) &&
  isNumOrNull(v['cleanDays']) &&
  isNumOrNull(v['verifyingSince']) &&
  (v['report'] === null || isReport(v['report'])) &&
  isStrOrNull(v['returnReason']) &&
  isNumOrNull(v['overdueAt']) &&
  isNum(v['createdAt']) &&
  isNumOrNull(v['closedAt']) &&
  nullable(isStr)(v['closedBy']) &&
  isNum(v['version']) &&
  arrayOf(isAttachment)(v['attachments']) &&
  arrayOf(isEntry)(v['history']);

export const isCaseView = (v: unknown): v is CaseView => isCaseRecord(v) && isBool((v as unknown as Record<string, unknown>)['overdue']);
const isPage = (v: unknown): v is CasePage =>
  isObj(v) && arrayOf(isCaseView)(v['items']) && isNum(v['total']) && isNum(v['limit']) && isNum(v['offset']);
export const isCaseEvent = (v: unknown): v is CaseEvent => isObj(v) && isCaseRecord(v['case']);
const isCaseAnswer = isAnswer('case', isCaseView);

export interface CaseFilters {
  status?: CaseStatus | undefined;
  type?: CaseType | undefined;
  district?: string | undefined;
  enterprise?: string | undefined;
  overdue?: boolean | undefined;
  limit: number;
  offset: number;
}

export function casesPath(f: CaseFilters): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') q.set(k, String(v));
  return `/api/cases?${q.toString()}`;
}

/** The ledger (XLSX) of every case the filters match, for the browser to download. */
export function ledgerPath(f: Omit<CaseFilters, 'limit' | 'offset'>): string {
  const q = new URLSearchParams({ format: 'xlsx' });
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '' && k !== 'limit' && k !== 'offset') q.set(k, String(v));
  return `/api/cases/ledger?${q.toString()}`;
}

export const fetchCases = (f: CaseFilters, fetchFn: Fetch = fetch): Promise<CasePage> =>
  requestJson('GET', casesPath(f), isPage, undefined, fetchFn);

export const fetchCase = async (id: number, fetchFn: Fetch = fetch): Promise<CaseView> =>
  (await requestJson('GET', `/api/cases/${id}`, isCaseAnswer, undefined, fetchFn)).case;

export interface NewCaseRequest {
  type: CaseType;
  enterpriseId?: string;
  alertIds?: number[];
  sources?: string[];
  officer: string;
  deadline: CaseDeadline;
  requirements: string[];
  internalNote?: string;
}

export const createCase = async (req: NewCaseRequest, fetchFn: Fetch = fetch): Promise<CaseView> =>
  (await requestJson('POST', '/api/cases', isCaseAnswer, req, fetchFn)).case;

export type CaseMove =
  | { action: 'submit'; text: string }
  | { action: 'accept'; cleanDays: number; note?: string }
  | { action: 'close'; note?: string }
  | { action: 'return'; reason: string }
  | { action: 'reassign'; officer?: string; deadline?: CaseDeadline; note?: string };

export const moveCase = async (id: number, move: CaseMove, fetchFn: Fetch = fetch): Promise<CaseView> =>
  (await requestJson('POST', `/api/cases/${id}/transition`, isCaseAnswer, move, fetchFn)).case;

export const uploadAttachment = async (id: number, file: File, fetchFn: Fetch = fetch): Promise<CaseAttachment> =>
  (
    await requestWithFile(
      'POST',
      `/api/cases/${id}/attachments?name=${encodeURIComponent(file.name)}`,
      isAnswer('attachment', isAttachment),
      'application/octet-stream',
      file,
      fetchFn,
    )
  ).attachment;

/** Deletes an attachment (its party, while the case allows it: the server says why not). */
export const deleteAttachment = async (caseId: number, attachmentId: string, fetchFn: Fetch = fetch): Promise<void> => {
  await requestJson('DELETE', attachmentUrl(caseId, attachmentId), isObj, undefined, fetchFn);
};

/** Where the browser downloads an attachment (the server sends it as a download only). */
export const attachmentUrl = (caseId: number, attachmentId: string): string =>
  `/api/cases/${caseId}/attachments/${encodeURIComponent(attachmentId)}`;
