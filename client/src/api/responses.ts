/**
 * Heavy-pollution responses over REST (shapes from server/domain/response.ts) and the runtime check
 * of their socket event. The server scopes what an enterprise sees (its own part only).
 */
import type { ResponseEvent } from '@domain/events';
import { REDUCTION_POLLUTANTS, RESPONSE_LEVELS } from '@domain/reduction-list';
import type { PollutantReduction, ResponseEffect, ResponseEffectRow } from '@domain/response-effect';
import {
  RESPONSE_STATUSES,
  type ReductionResponse,
  type ResponseAck,
  type ResponseEnterprisePart,
  type ResponseStatus,
} from '@domain/response';
import { arrayOf, isAnswer, isBool, isItems, isNum, isNumOrNull, isObj, isStr, isStrArray, nullable, oneOf } from './guard-kit';
import { requestJson } from './rest';

type Fetch = typeof fetch;

const isAck = (v: unknown): v is ResponseAck => isObj(v) && isStr(v['username']) && isNum(v['at']);

const isPart = (v: unknown): v is ResponseEnterprisePart =>
  isObj(v) &&
  isStr(v['enterpriseId']) &&
  isStr(v['name']) &&
  isStr(v['grade']) &&
  Array.isArray(v['measures']) &&
  isNum(v['required']) &&
  nullable(isAck)(v['acknowledged']) &&
  Array.isArray(v['verification']);

export const isResponse = (v: unknown): v is ReductionResponse =>
  isObj(v) &&
  isNum(v['id']) &&
  isNum(v['warningId']) &&
  oneOf(RESPONSE_LEVELS)(v['level']) &&
  isStrArray(v['districts']) &&
  oneOf(RESPONSE_STATUSES)(v['status']) &&
  isNum(v['startAt']) &&
  isNumOrNull(v['endAt']) &&
  Array.isArray(v['enterprises']) &&
  v['enterprises'].every(isPart) &&
  isStrArray(v['withoutList']) &&
  Array.isArray(v['city']) &&
  isNum(v['version']);

export const isResponseEvent = (v: unknown): v is ResponseEvent => isObj(v) && isResponse(v['response']);

export async function fetchResponses(
  q: { warningId?: number; status?: ResponseStatus } = {},
  fetchFn: Fetch = fetch,
): Promise<ReductionResponse[]> {
  const p = new URLSearchParams();
  if (q.warningId !== undefined) p.set('warningId', String(q.warningId));
  if (q.status !== undefined) p.set('status', q.status);
  const qs = p.toString();
  return (await requestJson('GET', `/api/responses${qs ? `?${qs}` : ''}`, isItems(isResponse), undefined, fetchFn)).items;
}

export async function acknowledgeResponse(id: number, fetchFn: Fetch = fetch): Promise<ReductionResponse> {
  return (await requestJson('POST', `/api/responses/${id}/acknowledge`, isAnswer('response', isResponse), undefined, fetchFn)).response;
}

const isReduction = (v: unknown): v is PollutantReduction =>
  isObj(v) &&
  oneOf(REDUCTION_POLLUTANTS)(v['pollutant']) &&
  isNum(v['expectedKg']) &&
  isNumOrNull(v['achievedKg']) &&
  isNum(v['outletHours']) &&
  isNum(v['measuredHours']) &&
  isNumOrNull(v['achievedPct']);

const isEffectRow = (v: unknown): v is ResponseEffectRow =>
  isObj(v) &&
  isStr(v['enterpriseId']) &&
  isStr(v['name']) &&
  isStr(v['grade']) &&
  isBool(v['listed']) &&
  isBool(v['acknowledged']) &&
  ['required', 'compliant', 'failed', 'unverified'].every((k) => isNum(v[k])) &&
  arrayOf(isReduction)(v['reductions']);

/** The effect report of a response (issue 18 item 6): an enterprise's has its own row, no city and no ambient effect. */
export const isResponseEffect = (v: unknown): v is ResponseEffect =>
  isObj(v) &&
  isNum(v['responseId']) &&
  isNum(v['warningId']) &&
  oneOf(RESPONSE_LEVELS)(v['level']) &&
  isStrArray(v['districts']) &&
  oneOf(RESPONSE_STATUSES)(v['status']) &&
  isObj(v['period']) &&
  isNum(v['period']['from']) &&
  isNum(v['period']['to']) &&
  arrayOf(isEffectRow)(v['rows']) &&
  isObj(v['totals']) &&
  (v['city'] === null || (isObj(v['city']) && arrayOf(isReduction)(v['city']['reductions']))) &&
  isObj(v['ambient']) &&
  isBool(v['ambient']['available']);

export const fetchResponseEffect = (id: number, fetchFn: Fetch = fetch): Promise<ResponseEffect> =>
  requestJson('GET', `/api/responses/${id}/effect`, isResponseEffect, undefined, fetchFn);

/** The effect report's XLSX download. */
export const responseEffectXlsxUrl = (id: number): string => `/api/responses/${id}/effect?format=xlsx`;
