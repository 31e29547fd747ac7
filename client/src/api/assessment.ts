/**
 * Ambient-air assessment over REST (GET /api/air/assessment, GET /api/air/bulletin): the figures of
 * the city or its districts over a period against the targets, and the monthly county bulletin (and
 * its XLSX). The shapes are declared once in server/domain/assessment-api.ts; each body is checked
 * before a component sees it.
 */
import { ASSESSED } from '@domain/assessment';
import {
  ASSESSMENT_SCOPES,
  BEHIND_ON,
  BULLETIN_BASES,
  type AssessmentResponse,
  type AssessmentScope,
  type BulletinResponse,
} from '@domain/assessment-api';
import { PERIOD_KINDS } from '@domain/assessment-period';
import { arrayOf, isBool, isNum, isNumOrNull, isObj, isStr, isStrOrNull, nullable, oneOf, type Obj } from './guard-kit';
import { requestJson } from './rest';

type Fetch = typeof fetch;

export type { AssessmentResponse, AssessmentRow, AssessmentScope, BulletinResponse, BulletinRow, BehindOn } from '@domain/assessment-api';
export type { PeriodFigures, TargetCheck, Assessed, TargetKey } from '@domain/assessment';
export type { PathPoint } from '@domain/assessment-path';

const isStatistic = (v: unknown): v is Obj => isObj(v) && isNumOrNull(v['value']) && isNum(v['validDays']) && isBool(v['valid']);

const isFigures = (v: unknown): v is Obj =>
  isObj(v) &&
  ['days', 'validDays', 'goodDays', 'heavyDays', 'minValidDays'].every((k) => isNum(v[k])) &&
  isNumOrNull(v['goodPct']) &&
  isNumOrNull(v['heavyPct']) &&
  isObj(v['stats']) &&
  ASSESSED.every((p) => isStatistic((v['stats'] as Record<string, unknown>)[p]));

const isCheck = (v: unknown): v is Obj =>
  isObj(v) && isStr(v['key']) && isNum(v['target']) && isNumOrNull(v['actual']) && (v['pass'] === null || isBool(v['pass']));

const isChange = (v: unknown): v is Obj =>
  isObj(v) && isNumOrNull(v['goodPct']) && isNumOrNull(v['heavyPct']) && isNum(v['heavyDays']) && isObj(v['stats']);

const isPoint = (v: unknown): v is Obj =>
  isObj(v) &&
  isStr(v['date']) &&
  isNumOrNull(v['pm25Required']) &&
  isNumOrNull(v['pm25Actual']) &&
  isNum(v['heavyAllowed']) &&
  isNumOrNull(v['heavyActual']);

const isPath = (v: unknown): v is Obj =>
  isObj(v) &&
  isNumOrNull(v['pm25Previous']) &&
  isNumOrNull(v['heavyDaysPrevious']) &&
  isNumOrNull(v['pm25Target']) &&
  isNum(v['heavyDaysTarget']) &&
  arrayOf(isPoint)(v['points']) &&
  isObj(v['behind']) &&
  isBool(v['behindSchedule']) &&
  isObj(v['target']);

const isRow = (v: unknown): v is Obj =>
  isObj(v) &&
  isStr(v['id']) &&
  isStr(v['name']) &&
  isStrOrNull(v['district']) &&
  isNum(v['stations']) &&
  isFigures(v['figures']) &&
  nullable(isFigures)(v['previous']) &&
  nullable(isChange)(v['change']) &&
  isObj(v['targets']) &&
  arrayOf(isCheck)(v['checks']) &&
  nullable(isPath)(v['autumnWinter']) &&
  isNumOrNull(v['rank']) &&
  isBool(v['behindSchedule']);

const isSpan = (v: unknown): v is Obj => isObj(v) && isStr(v['from']) && isStr(v['to']);

export const isAssessmentResponse = (v: unknown): v is AssessmentResponse =>
  isObj(v) &&
  isSpan(v['period']) &&
  oneOf(PERIOD_KINDS)((v['period'] as Record<string, unknown>)['kind']) &&
  oneOf(ASSESSMENT_SCOPES)(v['scope']) &&
  isStrOrNull(v['through']) &&
  nullable(isSpan)(v['previous']) &&
  arrayOf(isRow)(v['rows']);

const isBulletinRow = (v: unknown): v is Obj =>
  isObj(v) &&
  isStr(v['id']) &&
  isStr(v['name']) &&
  isNum(v['stations']) &&
  isNumOrNull(v['rank']) &&
  isStatistic(v['pm25']) &&
  ['validDays', 'goodDays', 'heavyDays'].every((k) => isNum(v[k])) &&
  isNumOrNull(v['goodPct']) &&
  isNumOrNull(v['pm25Change']) &&
  isNumOrNull(v['cumulativePm25']) &&
  isNumOrNull(v['requiredPm25']) &&
  isBool(v['behindSchedule']) &&
  arrayOf(oneOf(BEHIND_ON))(v['behindOn']);

export const isBulletinResponse = (v: unknown): v is BulletinResponse =>
  isObj(v) &&
  isStr(v['month']) &&
  isStrOrNull(v['through']) &&
  isSpan(v['basis']) &&
  oneOf(BULLETIN_BASES)((v['basis'] as Record<string, unknown>)['kind']) &&
  isBulletinRow(v['city']) &&
  arrayOf(isBulletinRow)(v['rows']);

export function fetchAssessment(period: string, scope: AssessmentScope, fetchFn: Fetch = fetch): Promise<AssessmentResponse> {
  const q = new URLSearchParams({ period, scope });
  return requestJson('GET', `/api/air/assessment?${q}`, isAssessmentResponse, undefined, fetchFn);
}

export function fetchBulletin(month: string, fetchFn: Fetch = fetch): Promise<BulletinResponse> {
  return requestJson('GET', `/api/air/bulletin?${new URLSearchParams({ month })}`, isBulletinResponse, undefined, fetchFn);
}

/** The bulletin as an XLSX download, its headers in the UI's language. */
export const bulletinXlsxUrl = (month: string, locale: string): string =>
  `/api/air/bulletin?${new URLSearchParams({ month, format: 'xlsx', lang: locale === 'en' ? 'en' : 'zh' })}`;
