/**
 * Runtime checks of what the server sends (socket events, REST bodies). Types do not validate:
 * a payload that fails here is rejected and counted instead of corrupting a store. Each guard checks
 * every field of the domain type it claims, with the allowed values taken from the domain's
 * constants; campaigns and the ozone centre are in control-guards.ts, the building blocks in
 * guard-kit.ts.
 */
import {
  type Alert,
  type AlertDetail,
  type AlertHistoryEntry,
  type Assignee,
  type BulkResult,
  type Evidence,
  type MaintenanceWindow,
  type Silence,
  ALERT_STATES,
  BULK_REFUSALS,
  HISTORY_DETAIL_CODES,
  HISTORY_KINDS,
  MAINTENANCE_STATUSES,
  SEVERITIES,
  SUPPRESSIONS,
} from '@domain/alert';
import {
  type AlertEvent,
  type LatestValues,
  type LoggerStatusEvent,
  type Snapshot,
  type SourcesChangedEvent,
  type SourceView,
  LOGGER_LINKS,
  LOGGER_VIAS,
  SOURCE_STATUSES,
} from '@domain/events';
import type { LimitView } from '@domain/limit-pack';
import { ROLES, type SessionUser } from '@domain/principal';
import type { RawFrameView } from '@domain/raw-frame';
import { DATA_FLAGS, DATA_KINDS, FACTOR_FIELDS, type FactorValue, type SeriesPoint } from '@domain/reading';
import type {
  DailyFactor,
  DailyReport,
  DailySource,
  HourlyReport,
  HourlyRow,
  MeanFigure,
  SourceIdentity,
  TransmissionRates,
  TransmissionRow,
} from '@domain/report';
import { DEPARTMENTS } from '@domain/site-register';
import { SOURCE_KINDS } from '@domain/source-kinds';
import { STRIP_GROUPS, STRIP_THRESHOLDS } from '@domain/facility-roles';
import type { WorkingConditionStrip } from '@domain/working-condition-strip';
import { arrayOf, isAnswer, isBool, isNum, isNumOrNull, isObj, isStr, isStrOrNull, nullable, oneOf, optional, type Obj } from './guard-kit';
import { isItems as isItemsOf } from './guard-kit';
import { SERIES_RESOLUTIONS, type SeriesAnswer } from '@domain/series-resolution';

export { isAnyObject, isItems } from './guard-kit';

const isSeverity = oneOf(SEVERITIES);
const isAlertState = oneOf(ALERT_STATES);
const isSuppression = nullable(oneOf(SUPPRESSIONS));
const isEvidenceScalar = (v: unknown): boolean => v === null || isStr(v) || isNum(v) || isBool(v);
/** A field, or a table of rows of fields (a hotspot's hours and nearby sources). */
const isEvidenceValue = (v: unknown): boolean =>
  isEvidenceScalar(v) || (Array.isArray(v) && v.every((row) => isObj(row) && Object.values(row).every(isEvidenceScalar)));
const isEvidence = (v: unknown): v is Evidence => isObj(v) && Object.values(v).every(isEvidenceValue);

export function isAlert(v: unknown): v is Alert {
  return (
    isObj(v) &&
    isNum(v['id']) &&
    isStr(v['mn']) &&
    isStr(v['enterpriseId']) &&
    isStr(v['factor']) &&
    isStr(v['rule']) &&
    isSeverity(v['severity']) &&
    isAlertState(v['state']) &&
    isNum(v['value']) &&
    isNum(v['peak']) &&
    isNum(v['limit']) &&
    isStr(v['unit']) &&
    isNum(v['count']) &&
    isNum(v['openedAt']) &&
    isNum(v['lastSeenAt']) &&
    isNumOrNull(v['clearedAt']) &&
    isNum(v['raisedAt']) &&
    isNumOrNull(v['acknowledgedAt']) &&
    isStrOrNull(v['acknowledgedBy']) &&
    isStrOrNull(v['assignee']) &&
    isNumOrNull(v['escalatedAt']) &&
    isNumOrNull(v['closedAt']) &&
    isStrOrNull(v['closedBy']) &&
    isSuppression(v['suppressed']) &&
    nullable(isEvidence)(v['evidence'])
  );
}

const isFlag = oneOf(DATA_FLAGS);

/** One factor's values: a known flag, and each value field absent or a finite number. */
export const isFactorValue = (v: unknown): v is FactorValue =>
  isObj(v) && isFlag(v['flag']) && FACTOR_FIELDS.every((f) => v[f] === undefined || isNum(v[f]));

const isFactorMap = (v: unknown): v is Record<string, FactorValue> => isObj(v) && Object.values(v).every(isFactorValue);

export const isLatestValues = (v: unknown): v is LatestValues =>
  isObj(v) && isStr(v['mn']) && oneOf(DATA_KINDS)(v['cn']) && isNum(v['ts']) && isFactorMap(v['factors']);

export const isSourceView = (v: unknown): v is SourceView =>
  isObj(v) &&
  isStr(v['mn']) &&
  isStr(v['name']) &&
  oneOf(SOURCE_KINDS)(v['kind']) &&
  isStr(v['enterpriseId']) &&
  isStr(v['enterpriseName']) &&
  isStr(v['district']) &&
  isNum(v['lat']) &&
  isNum(v['lon']) &&
  oneOf(SOURCE_STATUSES)(v['status']) &&
  nullable(isLatestValues)(v['latest']);

/** One point of GET /api/sources/:mn/series. */
export const isSeriesPoint = (v: unknown): v is SeriesPoint => isFactorValue(v) && isNum((v as Obj)['ts']);
/** GET /api/sources/:mn/series: the points and their resolution. */
export const isSeriesAnswer = (v: unknown): v is SeriesAnswer =>
  isObj(v) && oneOf(SERIES_RESOLUTIONS)(v['resolution']) && isItemsOf(isSeriesPoint)(v);

export const isAlertEvent = (v: unknown): v is AlertEvent => isObj(v) && isNum(v['seq']) && isAlert(v['alert']);

export const isSnapshot = (v: unknown): v is Snapshot =>
  isObj(v) &&
  isNum(v['seq']) &&
  arrayOf(isAlert)(v['alerts']) &&
  arrayOf(isSourceView)(v['sources']) &&
  (v['sourcesOnRest'] === undefined || typeof v['sourcesOnRest'] === 'boolean') &&
  (v['alertsPaged'] === undefined || typeof v['alertsPaged'] === 'boolean') &&
  (v['openAlerts'] === undefined || isNum(v['openAlerts']));

export const isSourcesChanged = (v: unknown): v is SourcesChangedEvent =>
  isObj(v) &&
  isNum(v['version']) &&
  arrayOf(isSourceView)(v['sources']) &&
  (v['sourcesOnRest'] === undefined || typeof v['sourcesOnRest'] === 'boolean');

export const isReadingBatch = arrayOf(isLatestValues);

/** `{user}` of sign-in and GET /api/auth/me. */
export const isSessionUser = (v: unknown): v is SessionUser =>
  isObj(v) &&
  isNum(v['id']) &&
  isStr(v['username']) &&
  isStr(v['displayName']) &&
  oneOf(ROLES)(v['role']) &&
  isStrOrNull(v['enterpriseId']) &&
  (v['department'] === null || oneOf(DEPARTMENTS)(v['department'])) &&
  typeof v['mustChangePassword'] === 'boolean';

export const isLoggerStatus = (v: unknown): v is LoggerStatusEvent =>
  isObj(v) && isStr(v['mn']) && oneOf(LOGGER_LINKS)(v['status']) && isNum(v['since']) && oneOf(LOGGER_VIAS)(v['via']);

// ---- alerts' history and actions, silences, maintenance windows ----

const isHistoryDetail = (v: unknown): boolean => v === undefined || v === null || (isObj(v) && oneOf(HISTORY_DETAIL_CODES)(v['code']));

export const isHistoryEntry = (v: unknown): v is AlertHistoryEntry =>
  isObj(v) &&
  isNum(v['id']) &&
  isNum(v['alertId']) &&
  isStr(v['mn']) &&
  oneOf(HISTORY_KINDS)(v['kind']) &&
  isNum(v['at']) &&
  isStr(v['actor']) &&
  isStrOrNull(v['note']) &&
  optional(isBool)(v['internal']) &&
  isHistoryDetail(v['detail']);

export type { AlertDetail } from '@domain/alert';

export const isAlertDetail = (v: unknown): v is AlertDetail =>
  isObj(v) && isAlert(v['alert']) && arrayOf(isHistoryEntry)(v['history']) && arrayOf(isHistoryEntry)(v['comments']);

/** `{alert}` as the alert actions answer. */
export const isAlertAnswer = isAnswer('alert', isAlert);

export const isBulkResult = (v: unknown): v is BulkResult =>
  isObj(v) && isNum(v['id']) && (v['ok'] === true ? isAlert(v['alert']) : v['ok'] === false && oneOf(BULK_REFUSALS)(v['error']));

export const isAssignee = (v: unknown): v is Assignee => isObj(v) && isNum(v['id']) && isStr(v['username']) && isStr(v['displayName']);

export const isSilence = (v: unknown): v is Silence =>
  isObj(v) &&
  isNum(v['id']) &&
  isStrOrNull(v['mn']) &&
  isStrOrNull(v['factor']) &&
  isStrOrNull(v['rule']) &&
  isStr(v['reason']) &&
  isStr(v['createdBy']) &&
  isNum(v['createdAt']) &&
  isNum(v['endsAt']);

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
  oneOf(MAINTENANCE_STATUSES)(v['status']) &&
  isStrOrNull(v['reviewedBy']) &&
  isNumOrNull(v['reviewedAt']) &&
  isStrOrNull(v['reviewNote']) &&
  isStrOrNull(v['endedBy']) &&
  isNumOrNull(v['endedAt']);

export const isMaintenanceEvent = isAnswer('window', isMaintenanceWindow);

// ---- limits, raw frames, reports ----

export type { LimitView } from '@domain/limit-pack';

export const isLimitView = (v: unknown): v is LimitView =>
  isObj(v) && optional(isNum)(v['max']) && optional(isNum)(v['min']) && isBool(v['o2Converted']);

export const isSourceRules = (v: unknown): v is { mn: string; limits: Record<string, LimitView> } =>
  isObj(v) && isStr(v['mn']) && isObj(v['limits']) && Object.values(v['limits']).every(isLimitView);

export type { RawFrameView } from '@domain/raw-frame';

export const isRawFrame = (v: unknown): v is RawFrameView =>
  isObj(v) &&
  isNum(v['id']) &&
  isNum(v['receivedAt']) &&
  isStrOrNull(v['mn']) &&
  isStrOrNull(v['cn']) &&
  isStr(v['transport']) &&
  isStr(v['peer']) &&
  isStr(v['verdict']) &&
  isStrOrNull(v['detail']) &&
  isNum(v['size']) &&
  optional(isNum)(v['count']) &&
  optional(isStr)(v['frame']) &&
  optional(isStr)(v['frameBase64']);

const isIdentity = (v: Obj): v is Obj & SourceIdentity =>
  isStr(v['mn']) && isStr(v['name']) && isStr(v['enterpriseId']) && isStr(v['enterpriseName']) && oneOf(SOURCE_KINDS)(v['kind']);

const isRates = (v: unknown): v is TransmissionRates =>
  isObj(v) &&
  ['expected', 'received', 'valid', 'transmissionRate', 'validityRate', 'effectiveRate'].every((k) => isNum(v[k])) &&
  isBool(v['pass']);

/** One source's day of GET /api/reports/transmission; rates are fractions 0–1. */
export type { TransmissionRow } from '@domain/report';
import type { TransmissionRate } from '@domain/transmission-rate';

export const isTransmissionRow = (v: unknown): v is TransmissionRow => isObj(v) && isIdentity(v) && isStr(v['date']) && isRates(v);
export const isTransmissionRate = (v: unknown): v is TransmissionRate =>
  isObj(v) && (v['date'] === null || isStr(v['date'])) && isNumOrNull(v['rate']) && isNum(v['sources']) && isBool(v['firstDay']);

const isFigure = (v: Obj): v is Obj & MeanFigure =>
  isNumOrNull(v['value']) &&
  isNumOrNull(v['measured']) &&
  isBool(v['converted']) &&
  isNum(v['validInputs']) &&
  isNum(v['inputs']) &&
  isBool(v['valid']) &&
  nullable(isFlag)(v['flag']);

const isFactorFigure = (v: Obj): boolean =>
  isFigure(v) && isStr(v['factor']) && isStr(v['unit']) && nullable(isLimitView)(v['limit']) && isBool(v['exceeds']);

export const isDailyFactor = (v: unknown): v is DailyFactor => isObj(v) && isFactorFigure(v) && isNum(v['exceedingHours']);

export const isHourlyRow = (v: unknown): v is HourlyRow => isObj(v) && isFactorFigure(v) && isNum(v['hour']);

export const isDailySource = (v: unknown): v is DailySource =>
  isObj(v) &&
  isIdentity(v) &&
  isStr(v['date']) &&
  arrayOf(isDailyFactor)(v['factors']) &&
  isRates(v['transmission']) &&
  isObj(v['alerts']) &&
  Object.values(v['alerts']).every(isNum);

const isDailyTotals = (v: unknown): boolean =>
  isObj(v) &&
  ['sources', 'exceeding', 'withExceedingHours', 'exceedingHours', 'failing', 'noData', 'alerts'].every((k) => isNum(v[k])) &&
  isRates(v['transmission']);

const isIndustry = (v: unknown): v is { code: string; name: string } => isObj(v) && isStr(v['code']) && isStr(v['name']);

export const isDailyReport = (v: unknown): v is DailyReport =>
  isObj(v) &&
  isStr(v['date']) &&
  isNum(v['total']) &&
  isNum(v['offset']) &&
  isDailyTotals(v['totals']) &&
  arrayOf(isStr)(v['districts']) &&
  arrayOf(isIndustry)(v['industries']) &&
  arrayOf(isDailySource)(v['items']);

export const isHourlyReport = (v: unknown): v is HourlyReport =>
  isObj(v) &&
  isStr(v['mn']) &&
  isStr(v['name']) &&
  isStr(v['enterpriseName']) &&
  isStr(v['date']) &&
  isNum(v['dayStart']) &&
  isNumOrNull(v['o2Ref']) &&
  isNum(v['minValidMinutes']) &&
  arrayOf(isHourlyRow)(v['items']);

const isStripPoint = (v: unknown): boolean => isObj(v) && isNum(v['ts']) && isNum(v['value']);
const isStripLane = (v: unknown): boolean =>
  isObj(v) &&
  oneOf(STRIP_GROUPS)(v['group']) &&
  isStr(v['mn']) &&
  isStr(v['code']) &&
  isStr(v['name']) &&
  optional(isStr)(v['facilityId']) &&
  optional(isStr)(v['videoUrl']) &&
  (v['threshold'] === undefined ||
    (isObj(v['threshold']) && oneOf(STRIP_THRESHOLDS)(v['threshold']['kind']) && isNum(v['threshold']['value']))) &&
  Array.isArray(v['points']) &&
  v['points'].every(isStripPoint);
const isStripFinding = (v: unknown): boolean =>
  isObj(v) &&
  isNum(v['alertId']) &&
  isStr(v['rule']) &&
  oneOf(SEVERITIES)(v['severity']) &&
  isStr(v['mn']) &&
  isStr(v['factor']) &&
  optional(isStr)(v['facilityId']) &&
  isNum(v['from']) &&
  isNumOrNull(v['to']);

/** GET /api/enterprises/:id/working-condition. */
export const isWorkingConditionStrip = (v: unknown): v is WorkingConditionStrip =>
  isObj(v) &&
  isStr(v['enterpriseId']) &&
  isNum(v['from']) &&
  isNum(v['to']) &&
  oneOf(DATA_KINDS)(v['cn']) &&
  Array.isArray(v['lanes']) &&
  v['lanes'].every(isStripLane) &&
  Array.isArray(v['findings']) &&
  v['findings'].every(isStripFinding);
