/**
 * Runtime checks of what the server sends (socket events, REST bodies). Types do not validate:
 * a payload that fails here is rejected and counted instead of corrupting a store. These are
 * deliberately shallow hand-written guards so the client bundle does not pull in zod.
 */
import type { Alert, AlertHistoryEntry, MaintenanceWindow, Silence } from '@domain/alert';
import { MAINTENANCE_STATUSES } from '@domain/alert';
import type { AlertEvent, LatestValues, Snapshot, SourcesChangedEvent, SourceView } from '@domain/events';
import type { TransmissionRow } from '@domain/report';
import type { RawFrameView } from '@domain/raw-frame';

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

export const isSourcesChanged = (v: unknown): v is SourcesChangedEvent =>
  isObj(v) && isNum(v['version']) && Array.isArray(v['sources']) && v['sources'].every(isSourceView);

export const isReadingBatch = (v: unknown): v is LatestValues[] => Array.isArray(v) && v.every(isLatestValues);

/** `{"items": T[]}` as the REST list endpoints return it. */
export const isItems =
  <T>(item: (v: unknown) => v is T) =>
  (v: unknown): v is { items: T[] } =>
    isObj(v) && Array.isArray(v['items']) && v['items'].every(item);

// ---- alerts' history, silences, maintenance windows, rules, raw frames, reports ----

const isStrOrNull = (v: unknown): v is string | null => v === null || isStr(v);

export const isHistoryEntry = (v: unknown): v is AlertHistoryEntry =>
  isObj(v) && isNum(v['id']) && isNum(v['alertId']) && isStr(v['mn']) && isStr(v['kind']) && isNum(v['at']) && isStr(v['actor']) &&
  isStrOrNull(v['note']) &&
  (v['detail'] === undefined || v['detail'] === null || (isObj(v['detail']) && isStr(v['detail']['code'])));

export interface AlertDetail {
  alert: Alert;
  history: AlertHistoryEntry[];
  comments: AlertHistoryEntry[];
}

export const isAlertDetail = (v: unknown): v is AlertDetail =>
  isObj(v) &&
  isAlert(v['alert']) &&
  Array.isArray(v['history']) &&
  v['history'].every(isHistoryEntry) &&
  Array.isArray(v['comments']) &&
  v['comments'].every(isHistoryEntry);

/** `{alert}` as the alert actions answer. */
export const isAlertAnswer = (v: unknown): v is { alert: Alert } => isObj(v) && isAlert(v['alert']);

export const isSilence = (v: unknown): v is Silence =>
  isObj(v) && isNum(v['id']) && isStrOrNull(v['mn']) && isStr(v['reason']) && isNum(v['endsAt']) && isNum(v['createdAt']);

export const isMaintenanceWindow = (v: unknown): v is MaintenanceWindow =>
  isObj(v) &&
  isNum(v['id']) &&
  isStr(v['enterpriseId']) &&
  isStrOrNull(v['mn']) &&
  isNum(v['from']) &&
  isNum(v['to']) &&
  isStr(v['reason']) &&
  isStr(v['declaredBy']) &&
  isNum(v['createdAt']) &&
  (MAINTENANCE_STATUSES as readonly unknown[]).includes(v['status']) &&
  isStrOrNull(v['reviewNote']);

export const isMaintenanceEvent = (v: unknown): v is { window: MaintenanceWindow } => isObj(v) && isMaintenanceWindow(v['window']);

/** One factor's limit as GET /api/rules/sources/:mn answers it. */
export interface LimitView {
  max?: number;
  min?: number;
  o2Converted: boolean;
  severity: string;
}

export const isLimitView = (v: unknown): v is LimitView =>
  isObj(v) && (v['max'] === undefined || isNum(v['max'])) && (v['min'] === undefined || isNum(v['min'])) && typeof v['o2Converted'] === 'boolean';

export const isSourceRules = (v: unknown): v is { mn: string; limits: Record<string, LimitView> } =>
  isObj(v) && isStr(v['mn']) && isObj(v['limits']) && Object.values(v['limits']).every(isLimitView);

/** One point of a series with every field the store keeps (zs: converted to reference O2). */
export interface SeriesPointFull extends SeriesPoint {
  zs?: number;
}

export type { RawFrameView } from '@domain/raw-frame';

export const isRawFrame = (v: unknown): v is RawFrameView =>
  isObj(v) && isNum(v['id']) && isNum(v['receivedAt']) && isStr(v['transport']) && isStr(v['verdict']) && isNum(v['size']) && isStrOrNull(v['detail'] ?? null);

/** One source's day of GET /api/reports/transmission (declared in server/domain/report.ts); rates are fractions 0–1. */
export type { TransmissionRow } from '@domain/report';

export const isTransmissionRow = (v: unknown): v is TransmissionRow =>
  isObj(v) &&
  isStr(v['mn']) &&
  isStr(v['name']) &&
  isStr(v['date']) &&
  isNum(v['expected']) &&
  isNum(v['received']) &&
  isNum(v['transmissionRate']) &&
  isNum(v['validityRate']) &&
  isNum(v['effectiveRate']) &&
  typeof v['pass'] === 'boolean';

/** Any JSON object (answers whose content the caller does not need). */
export const isAnyObject = (v: unknown): v is Record<string, unknown> => isObj(v);
