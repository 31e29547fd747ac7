/**
 * Credit scorecards (server/http/scorecard-router.ts; shapes in server/domain/scorecard.ts): one
 * enterprise's card over a year, quarter or month, and every enterprise's ranked (the bureau).
 */
import type { Scorecard } from '@domain/scorecard';
import { arrayOf, isNum, isNumOrNull, isObj, isStr } from './guard-kit';
import { requestJson } from './rest';

type Fetch = typeof fetch;
export type { AlertCategory, RuleCount, Scorecard } from '@domain/scorecard';

const isScorecard = (v: unknown): v is Scorecard =>
  isObj(v) &&
  isStr(v['enterpriseId']) &&
  isStr(v['enterpriseName']) &&
  isStr(v['period']) &&
  isNumOrNull(v['rank']) &&
  isObj(v['alerts']) &&
  isNum((v['alerts'] as Record<string, unknown>)['total']) &&
  isObj(v['exceedance']) &&
  isObj(v['transmission']) &&
  isObj(v['falsification']) &&
  isObj(v['measures']) &&
  isObj(v['cases']);
const isRanking = (v: unknown): v is { period: string; items: Scorecard[] } =>
  isObj(v) && isStr(v['period']) && arrayOf(isScorecard)(v['items']);

export const fetchScorecard = (enterpriseId: string, period: string, fetchFn: Fetch = fetch): Promise<Scorecard> =>
  requestJson(
    'GET',
    `/api/enterprises/${encodeURIComponent(enterpriseId)}/scorecard?${new URLSearchParams({ period })}`,
    isScorecard,
    undefined,
    fetchFn,
  );

export const fetchScorecards = (period: string, fetchFn: Fetch = fetch): Promise<{ period: string; items: Scorecard[] }> =>
  requestJson('GET', `/api/quality/scorecards?${new URLSearchParams({ period })}`, isRanking, undefined, fetchFn);

/** The ranking as the XLSX sheet (a link the browser downloads). */
export const scorecardsXlsxPath = (period: string): string => `/api/quality/scorecards?${new URLSearchParams({ period, format: 'xlsx' })}`;
