/**
 * Runtime checks of what the server sends (socket events, REST bodies). Types do not validate:
 * a payload that fails here is rejected and counted instead of corrupting a store. These are
 * deliberately shallow hand-written guards so the client bundle does not pull in zod.
 */
import type { Alert } from '@domain/alert';
import type { AlertEvent, LatestValues, Snapshot, SourceView } from '@domain/events';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

const SEVERITY = new Set(['info', 'warning', 'major', 'critical']);
const ALERT_STATE = new Set(['active', 'cleared']);
const SOURCE_STATUS = new Set(['normal', 'exceeding', 'offline', 'nodata']);

export function isAlert(v: unknown): v is Alert {
  return (
    isObj(v) &&
    isNum(v['id']) &&
    isStr(v['mn']) &&
    isStr(v['enterpriseId']) &&
    isStr(v['factor']) &&
    isStr(v['rule']) &&
    SEVERITY.has(v['severity'] as string) &&
    ALERT_STATE.has(v['state'] as string) &&
    isNum(v['value']) &&
    isNum(v['limit']) &&
    isStr(v['unit']) &&
    isNum(v['count']) &&
    isNum(v['openedAt']) &&
    isNum(v['lastSeenAt']) &&
    (v['clearedAt'] === null || isNum(v['clearedAt'])) &&
    (v['closedAt'] === null || isNum(v['closedAt']))
  );
}

export function isLatestValues(v: unknown): v is LatestValues {
  return isObj(v) && isStr(v['mn']) && isStr(v['cn']) && isNum(v['ts']) && isObj(v['factors']);
}

export function isSourceView(v: unknown): v is SourceView {
  return (
    isObj(v) &&
    isStr(v['mn']) &&
    isStr(v['name']) &&
    isStr(v['kind']) &&
    isStr(v['enterpriseId']) &&
    isStr(v['enterpriseName']) &&
    SOURCE_STATUS.has(v['status'] as string) &&
    (v['latest'] === null || isLatestValues(v['latest']))
  );
}

/** One point of GET /api/sources/:mn/series. */
export interface SeriesPoint {
  ts: number;
  rtd?: number;
  avg?: number;
  flag: string;
}

export const isSeriesPoint = (v: unknown): v is SeriesPoint =>
  isObj(v) && isNum(v['ts']) && isStr(v['flag']) && (v['rtd'] === undefined || isNum(v['rtd'])) && (v['avg'] === undefined || isNum(v['avg']));

export const isAlertEvent = (v: unknown): v is AlertEvent => isObj(v) && isNum(v['seq']) && isAlert(v['alert']);

export function isSnapshot(v: unknown): v is Snapshot {
  return (
    isObj(v) &&
    isNum(v['seq']) &&
    Array.isArray(v['alerts']) &&
    v['alerts'].every(isAlert) &&
    Array.isArray(v['sources']) &&
    v['sources'].every(isSourceView)
  );
}

export const isReadingBatch = (v: unknown): v is LatestValues[] => Array.isArray(v) && v.every(isLatestValues);

/** `{"items": T[]}` as the REST list endpoints return it. */
export const isItems =
  <T>(item: (v: unknown) => v is T) =>
  (v: unknown): v is { items: T[] } =>
    isObj(v) && Array.isArray(v['items']) && v['items'].every(item);
