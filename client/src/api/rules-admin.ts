/** A source's limits and rule override (/api/rules/sources/:mn) and the silences (/api/silences). */
import type { Silence } from '@domain/alert';
import type { SourceOverride, SourceRules } from '../features/rules-admin/rule-override';
import type { SilenceBody } from '../features/rules-admin/silence-rows';
import { isAnswer, isAnyObject, isItems, isObj } from './guard-kit';
import { isSilence } from './guards';
import { ApiError, requestJson } from './rest';

type Fetch = typeof fetch;

const isOverride = (v: unknown): v is SourceOverride =>
  isObj(v) && (v['limits'] === undefined || isObj(v['limits'])) && (v['rules'] === undefined || isObj(v['rules']));
export const isSourceRules = (v: unknown): v is SourceRules =>
  isObj(v) &&
  typeof v['mn'] === 'string' &&
  isObj(v['limits']) &&
  (v['params'] === null || isObj(v['params'])) &&
  (v['override'] === null || isOverride(v['override']));
const isOverrideAnswer = isAnswer('override', isOverride);
const isSilenceAnswer = isAnswer('silence', isSilence);

const rulesPath = (mn: string): string => `/api/rules/sources/${encodeURIComponent(mn)}`;

export const fetchSourceRules = (mn: string, fetchFn: Fetch = fetch): Promise<SourceRules> =>
  requestJson('GET', rulesPath(mn), isSourceRules, undefined, fetchFn);

export async function putSourceOverride(mn: string, body: SourceOverride, fetchFn: Fetch = fetch): Promise<SourceOverride> {
  return (await requestJson('PUT', rulesPath(mn), isOverrideAnswer, body, fetchFn)).override;
}

export async function deleteSourceOverride(mn: string, fetchFn: Fetch = fetch): Promise<void> {
  await requestJson('DELETE', rulesPath(mn), isAnyObject, undefined, fetchFn);
}

/** The `where: why` lines of an `invalid_rules` refusal; null for any other failure. */
export function rulesIssues(err: unknown): string[] | null {
  if (!(err instanceof ApiError) || err.code !== 'invalid_rules') return null;
  const issues = (err.body as { issues?: unknown } | null)?.issues;
  return Array.isArray(issues) ? issues.filter((i): i is string => typeof i === 'string') : null;
}

export async function fetchSilences(activeOnly: boolean, fetchFn: Fetch = fetch): Promise<Silence[]> {
  const q = activeOnly ? '?active=true&limit=500' : '?limit=500';
  return (await requestJson('GET', `/api/silences${q}`, isItems(isSilence), undefined, fetchFn)).items;
}

export async function endSilence(id: number, fetchFn: Fetch = fetch): Promise<Silence> {
  return (await requestJson('DELETE', `/api/silences/${id}`, isSilenceAnswer, undefined, fetchFn)).silence;
}

export async function createSilence(body: SilenceBody, fetchFn: Fetch = fetch): Promise<Silence> {
  return (await requestJson('POST', '/api/silences', isSilenceAnswer, body, fetchFn)).silence;
}
