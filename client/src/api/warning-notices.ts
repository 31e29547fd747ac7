/**
 * Pre-notices (预通知), acknowledgements (已知悉) and the effect report of a lifted warning over REST
 * (shapes from server/domain/prenotice.ts and warning-effect.ts) and the runtime checks of their
 * socket events. The server scopes what an enterprise sees (its own entry of what is addressed to it).
 */
import type { PreNoticeEvent, WarningAcknowledgedEvent } from '@domain/events';
import type { NoticeRecipient, PreNotice, PreNoticeProposal, WarningAcknowledgements } from '@domain/prenotice';
import type { WarningEffect } from '@domain/warning-effect';
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
import { isWarningRecord } from './warnings';

type Fetch = typeof fetch;
const WORSE = ['orange', 'red'] as const;

export const isRecipient = (v: unknown): v is NoticeRecipient =>
  isObj(v) &&
  isStr(v['enterpriseId']) &&
  isStr(v['name']) &&
  isStr(v['district']) &&
  isStrOrNull(v['industryCode']) &&
  isStrOrNull(v['industryName']) &&
  isNumOrNull(v['acknowledgedAt']) &&
  isStrOrNull(v['acknowledgedBy']);

const isEpisode = (v: unknown): boolean =>
  isObj(v) && isStr(v['from']) && isStr(v['to']) && isNum(v['days']) && isNum(v['peak']) && oneOf(WORSE)(v['level']);

const isOutlook = (v: unknown): boolean =>
  isObj(v) &&
  isObj(v['horizon']) &&
  isStr(v['horizon']['from']) &&
  isStr(v['horizon']['to']) &&
  Array.isArray(v['episodes']) &&
  v['episodes'].every(isEpisode) &&
  isNum(v['qualifyingDays']) &&
  isBool(v['frequent']);

export const isPreNotice = (v: unknown): v is PreNotice =>
  isObj(v) &&
  isNum(v['id']) &&
  isStrArray(v['districts']) &&
  oneOf(WORSE)(v['level']) &&
  isStr(v['from']) &&
  isStr(v['to']) &&
  isStr(v['message']) &&
  isStr(v['issuedBy']) &&
  isNum(v['issuedAt']) &&
  (v['outlook'] === null || isOutlook(v['outlook'])) &&
  arrayOf(isRecipient)(v['recipients']);

export const isPreNoticeProposal = (v: unknown): v is PreNoticeProposal =>
  isObj(v) &&
  isOutlook(v['outlook']) &&
  nullable(oneOf(WORSE))(v['level']) &&
  isStrOrNull(v['from']) &&
  isStrOrNull(v['to']) &&
  arrayOf(isRecipient)(v['recipients']) &&
  Array.isArray(v['industries']);

const isDay = (v: unknown): boolean =>
  isObj(v) && isStr(v['date']) && isNumOrNull(v['forecast']) && isNumOrNull(v['observed']) && isNumOrNull(v['difference']);
const isHours = (v: unknown): boolean =>
  isObj(v) && isStr(v['district']) && isNum(v['heavyHours']) && isNum(v['hoursWithData']) && isNumOrNull(v['peak']);
const isNotices = (v: unknown): boolean =>
  isObj(v) &&
  oneOf(['warning', 'pre_notice'] as const)(v['kind']) &&
  isNum(v['id']) &&
  isNum(v['notified']) &&
  isNum(v['acknowledged']) &&
  arrayOf(isRecipient)(v['recipients']);

export const isWarningEffect = (v: unknown): v is WarningEffect =>
  isObj(v) &&
  isWarningRecord(v['warning']) &&
  isObj(v['period']) &&
  isNum(v['period']['from']) &&
  isNum(v['period']['to']) &&
  Array.isArray(v['days']) &&
  v['days'].every(isDay) &&
  isObj(v['means']) &&
  Array.isArray(v['heavyHours']) &&
  v['heavyHours'].every(isHours) &&
  isNum(v['heavyHoursTotal']) &&
  Array.isArray(v['notices']) &&
  v['notices'].every(isNotices) &&
  Array.isArray(v['timeline']) &&
  isObj(v['compliance']);

export const isPreNoticeEvent = (v: unknown): v is PreNoticeEvent => isObj(v) && isPreNotice(v['preNotice']);
export const isWarningAcknowledgedEvent = (v: unknown): v is WarningAcknowledgedEvent =>
  isObj(v) && isNum(v['warningId']) && isRecipient(v['recipient']);
const isAcknowledgements = (v: unknown): v is WarningAcknowledgements =>
  isObj(v) && isNum(v['warningId']) && arrayOf(isRecipient)(v['items']);

export const fetchPreNotices = async (fetchFn: Fetch = fetch): Promise<PreNotice[]> =>
  (await requestJson('GET', '/api/pre-notices', isItems(isPreNotice), undefined, fetchFn)).items;

export const fetchPreNoticeProposal = (fetchFn: Fetch = fetch): Promise<PreNoticeProposal> =>
  requestJson('GET', '/api/pre-notices/proposal', isPreNoticeProposal, undefined, fetchFn);

export interface PreNoticeRequest {
  districts: string[];
  level?: 'orange' | 'red';
  from?: string;
  to?: string;
  message?: string;
}

export const issuePreNotice = async (req: PreNoticeRequest, fetchFn: Fetch = fetch): Promise<PreNotice> =>
  (await requestJson('POST', '/api/pre-notices', isAnswer('preNotice', isPreNotice), req, fetchFn)).preNotice;

export const acknowledgePreNotice = async (id: number, fetchFn: Fetch = fetch): Promise<PreNotice> =>
  (await requestJson('POST', `/api/pre-notices/${id}/acknowledge`, isAnswer('preNotice', isPreNotice), {}, fetchFn)).preNotice;

export const acknowledgeWarning = async (id: number, fetchFn: Fetch = fetch): Promise<NoticeRecipient> =>
  (await requestJson('POST', `/api/warnings/${id}/acknowledge`, isAnswer('recipient', isRecipient), {}, fetchFn)).recipient;

export const fetchAcknowledgements = async (id: number, fetchFn: Fetch = fetch): Promise<NoticeRecipient[]> =>
  (await requestJson('GET', `/api/warnings/${id}/acknowledgements`, isAcknowledgements, undefined, fetchFn)).items;

export const fetchEffect = (id: number, fetchFn: Fetch = fetch): Promise<WarningEffect> =>
  requestJson('GET', `/api/warnings/${id}/effect`, isWarningEffect, undefined, fetchFn);

/** The effect report's XLSX download. */
export const effectXlsxUrl = (id: number): string => `/api/warnings/${id}/effect?format=xlsx`;
