/**
 * Heavy-pollution and ozone warnings over REST (shapes from server/domain/warning.ts) and the runtime
 * checks of their socket events. The server scopes what an enterprise sees (those covering its
 * district, without the internal note).
 */
import {
  WARNING_BASES,
  WARNING_EVENTS,
  WARNING_KINDS,
  WARNING_LEVELS,
  WARNING_STATUSES,
  type Warning,
  type WarningBasis,
  type WarningHistoryEntry,
  type WarningKind,
  type WarningLevel,
  type WarningProposal,
  type WarningProposals,
} from '@domain/warning';
import type { WarningEvent, WarningsSnapshot } from '@domain/events';
import {
  arrayOf,
  isAnswer,
  isBool,
  isItems,
  isNum,
  isNumOrNull,
  isObj,
  isStr,
  isStrArray,
  isStrOrNull,
  nullable,
  oneOf,
} from './guard-kit';
import { requestJson } from './rest';

type Fetch = typeof fetch;

const isEntry = (v: unknown): v is WarningHistoryEntry =>
  isObj(v) &&
  isNum(v['at']) &&
  isStr(v['by']) &&
  oneOf(WARNING_EVENTS)(v['event']) &&
  nullable(oneOf(WARNING_LEVELS))(v['fromLevel']) &&
  nullable(oneOf(WARNING_LEVELS))(v['toLevel']) &&
  isStrOrNull(v['note']);

export const isWarningRecord = (v: unknown): v is Warning =>
  isObj(v) &&
  isNum(v['id']) &&
  oneOf(WARNING_KINDS)(v['kind']) &&
  oneOf(WARNING_LEVELS)(v['level']) &&
  oneOf(WARNING_BASES)(v['basis']) &&
  isStrArray(v['districts']) &&
  isStr(v['issuedBy']) &&
  isNum(v['issuedAt']) &&
  isNum(v['startAt']) &&
  isNumOrNull(v['plannedLiftAt']) &&
  isNumOrNull(v['liftedAt']) &&
  isStrOrNull(v['liftedBy']) &&
  oneOf(WARNING_STATUSES)(v['status']) &&
  isStrOrNull(v['note']) &&
  arrayOf(isEntry)(v['history']) &&
  isNum(v['version']);

const isProposal = (v: unknown): v is WarningProposal =>
  isObj(v) &&
  oneOf(WARNING_KINDS)(v['kind']) &&
  oneOf(WARNING_LEVELS)(v['level']) &&
  v['basis'] === 'own_forecast' &&
  isObj(v['run']) &&
  isStr(v['run']['from']) &&
  isStr(v['run']['to']) &&
  isNum(v['run']['days']) &&
  isNum(v['peak']) &&
  isNum(v['startAt']) &&
  isNum(v['plannedLiftAt']) &&
  isBool(v['covered']);

export const isProposals = (v: unknown): v is WarningProposals =>
  isObj(v) && isObj(v['horizon']) && isStr(v['horizon']['from']) && isStr(v['horizon']['to']) && arrayOf(isProposal)(v['items']);

export const isWarningEvent = (v: unknown): v is WarningEvent => isObj(v) && isWarningRecord(v['warning']);
export const isWarningsSnapshot = (v: unknown): v is WarningsSnapshot => isItems(isWarningRecord)(v);

const isWarningAnswer = isAnswer('warning', isWarningRecord);

export const fetchWarnings = async (fetchFn: Fetch = fetch): Promise<Warning[]> =>
  (await requestJson('GET', '/api/warnings', isItems(isWarningRecord), undefined, fetchFn)).items;

export const fetchProposals = (fetchFn: Fetch = fetch): Promise<WarningProposals> =>
  requestJson('GET', '/api/warnings/proposals', isProposals, undefined, fetchFn);

export interface IssueRequest {
  kind: WarningKind;
  level: WarningLevel;
  basis: WarningBasis;
  districts: string[];
  startAt: number;
  plannedLiftAt?: number | null;
  note?: string;
}

export const issueWarning = async (req: IssueRequest, fetchFn: Fetch = fetch): Promise<Warning> =>
  (await requestJson('POST', '/api/warnings', isWarningAnswer, req, fetchFn)).warning;

export interface ChangeRequest {
  version: number;
  level?: WarningLevel;
  note?: string;
}

export const changeWarning = async (id: number, req: ChangeRequest, fetchFn: Fetch = fetch): Promise<Warning> =>
  (await requestJson('PATCH', `/api/warnings/${id}`, isWarningAnswer, req, fetchFn)).warning;

export const closeWarning = async (
  id: number,
  action: 'lift' | 'cancel',
  note: string | undefined,
  fetchFn: Fetch = fetch,
): Promise<Warning> => (await requestJson('POST', `/api/warnings/${id}/${action}`, isWarningAnswer, note ? { note } : {}, fetchFn)).warning;
