/**
 * Heavy-pollution responses over REST (shapes from server/domain/response.ts) and the runtime check
 * of their socket event. The server scopes what an enterprise sees (its own part only).
 */
import type { ResponseEvent } from '@domain/events';
import { RESPONSE_LEVELS } from '@domain/reduction-list';
import {
  RESPONSE_STATUSES,
  type ReductionResponse,
  type ResponseAck,
  type ResponseEnterprisePart,
  type ResponseStatus,
} from '@domain/response';
import { isAnswer, isItems, isNum, isNumOrNull, isObj, isStr, isStrArray, nullable, oneOf } from './guard-kit';
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
