/**
 * Facility records over REST (issue 16 item 2): adsorbent replacements of a facility, the year's
 * start/stop plan of an enterprise and who has filed it, start/stop events counted per enterprise.
 * The server scopes every answer to the caller (an enterprise user: its own).
 */
import type {
  AdsorbentReplacement,
  NewReplacement,
  PlanEntry,
  PlanStatus,
  StartStopCount,
  StartStopEvent,
  StartStopPlan,
} from '@domain/facility-records';
import { isAnyObject, isItems } from './guards';
import { requestJson } from './rest';

export type { AdsorbentReplacement, NewReplacement, PlanEntry, PlanStatus, StartStopCount, StartStopEvent, StartStopPlan };

type Fetch = typeof fetch;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export const isReplacement = (v: unknown): v is AdsorbentReplacement =>
  isAnyObject(v) && isStr(v['id']) && isStr(v['facilityId']) && isStr(v['date']) && isNum(v['amountKg']) && isNum(v['loggedAt']);

export const isPlan = (v: unknown): v is StartStopPlan =>
  isAnyObject(v) &&
  isStr(v['enterpriseId']) &&
  isNum(v['year']) &&
  Array.isArray(v['entries']) &&
  isNum(v['version']) &&
  isNum(v['filedAt']);

export const isPlanStatus = (v: unknown): v is PlanStatus =>
  isAnyObject(v) && isStr(v['enterpriseId']) && isStr(v['name']) && typeof v['filed'] === 'boolean' && typeof v['late'] === 'boolean';

const isCount = (v: unknown): v is StartStopCount =>
  isAnyObject(v) && isStr(v['enterpriseId']) && isNum(v['starts']) && isNum(v['stops']) && isNum(v['inSeason']) && isNum(v['unplanned']);

const hasReplacement = (v: unknown): v is { replacement: AdsorbentReplacement } => isAnyObject(v) && isReplacement(v['replacement']);
const hasPlan = (v: unknown): v is { plan: StartStopPlan } => isAnyObject(v) && isPlan(v['plan']);
const isPlanAnswer = (v: unknown): v is { plan: StartStopPlan | null; due: string } =>
  isAnyObject(v) && (v['plan'] === null || isPlan(v['plan'])) && isStr(v['due']);
const isEventsAnswer = (v: unknown): v is { counts: StartStopCount[]; events: StartStopEvent[] } =>
  isAnyObject(v) && Array.isArray(v['counts']) && v['counts'].every(isCount) && Array.isArray(v['events']);

const facilityPath = (id: string) => `/api/facilities/${encodeURIComponent(id)}/adsorbent-replacements`;

export const fetchReplacements = async (facilityId: string, fetchFn?: Fetch) =>
  (await requestJson('GET', facilityPath(facilityId), isItems(isReplacement), undefined, fetchFn)).items;
export const logReplacement = async (facilityId: string, r: NewReplacement, fetchFn?: Fetch) =>
  (await requestJson('POST', facilityPath(facilityId), hasReplacement, r, fetchFn)).replacement;
export const fetchPlanStatuses = async (year: number, fetchFn?: Fetch) =>
  (await requestJson('GET', `/api/start-stop-plans?year=${year}`, isItems(isPlanStatus), undefined, fetchFn)).items;
export const fetchPlan = (enterpriseId: string, year: number, fetchFn?: Fetch) =>
  requestJson('GET', `/api/start-stop-plans/${encodeURIComponent(enterpriseId)}/${year}`, isPlanAnswer, undefined, fetchFn);
/** Files or replaces the plan; `version` the one read (0: none filed yet). */
export const savePlan = async (enterpriseId: string, year: number, entries: PlanEntry[], version: number, fetchFn?: Fetch) =>
  (await requestJson('PUT', `/api/start-stop-plans/${encodeURIComponent(enterpriseId)}/${year}`, hasPlan, { entries, version }, fetchFn))
    .plan;
export const fetchStartStopEvents = (from: number, to: number, fetchFn?: Fetch) =>
  requestJson('GET', `/api/start-stop-events?from=${from}&to=${to}`, isEventsAnswer, undefined, fetchFn);
