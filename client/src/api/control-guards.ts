/**
 * Runtime checks of the ozone control centre's answers and events: special-control campaigns,
 * their notices and compliance, station status, forecasts and the warning. Every field of the
 * domain type is checked; allowed values come from the domain's constants (guard-kit.ts).
 */
import { AQI_POLLUTANTS } from '@domain/aqi';
import {
  type Campaign,
  type CampaignCompliance,
  type CampaignDetail,
  type CampaignMeasure,
  type CampaignNotice,
  type CampaignReport,
  type CampaignTarget,
  type EmissionComparison,
  type EnterpriseCompliance,
  CAMPAIGN_LEVELS,
  CAMPAIGN_STATES,
  COMPLIANCE_STATUSES,
  NOTICE_KINDS,
  REDUCTION_STATUSES,
} from '@domain/campaign';
import type { CampaignEvent, CampaignNoticeEvent } from '@domain/events';
import {
  type Forecast,
  type ForecastRowError,
  type LevelView,
  type OzoneStatus,
  type OzoneWarning,
  type SeasonRange,
  type StationOzone,
  WARNING_LEVELS,
} from '@domain/ozone';
import { SOURCE_KINDS } from '@domain/source-kinds';
import {
  arrayOf,
  isBool,
  isNum,
  isNumOrNull,
  isObj,
  isStr,
  isStrArray,
  isStrOrNull,
  nullable,
  oneOf,
  optional,
  type Obj,
} from './guard-kit';

// ---- campaigns ----

const isSpan = (v: unknown): v is { from: number; to: number } => isObj(v) && isNum(v['from']) && isNum(v['to']);
const isClock = (v: unknown): v is { from: string; to: string } => isObj(v) && isStr(v['from']) && isStr(v['to']);

export const isMeasure = (v: unknown): v is CampaignMeasure =>
  isObj(v) && isStr(v['id']) && isStr(v['zh']) && isStr(v['en']) && nullable(isClock)(v['window']);

const isTarget = (v: unknown): v is CampaignTarget =>
  isObj(v) && isStrArray(v['enterpriseIds']) && arrayOf(oneOf(SOURCE_KINDS))(v['kinds']) && isStrArray(v['districts']);

export const isCampaign = (v: unknown): v is Campaign =>
  isObj(v) &&
  isNum(v['id']) &&
  isStr(v['name']) &&
  oneOf(CAMPAIGN_LEVELS)(v['level']) &&
  isNum(v['from']) &&
  isNum(v['to']) &&
  isTarget(v['target']) &&
  arrayOf(isMeasure)(v['measures']) &&
  isNum(v['reductionPct']) &&
  isStrOrNull(v['note']) &&
  oneOf(CAMPAIGN_STATES)(v['state']) &&
  isStrArray(v['affected']) &&
  isStr(v['createdBy']) &&
  isNum(v['createdAt']) &&
  isStrOrNull(v['activatedBy']) &&
  isNumOrNull(v['activatedAt']) &&
  isStrOrNull(v['closedBy']) &&
  isNumOrNull(v['closedAt']);

export const isNotice = (v: unknown): v is CampaignNotice =>
  isObj(v) &&
  isNum(v['campaignId']) &&
  isStr(v['enterpriseId']) &&
  isNum(v['sentAt']) &&
  isNumOrNull(v['acknowledgedAt']) &&
  isStrOrNull(v['acknowledgedBy']) &&
  isStrOrNull(v['note']);

const isComparison = (v: unknown): v is EmissionComparison =>
  isObj(v) &&
  isStr(v['mn']) &&
  isStr(v['sourceName']) &&
  isStr(v['factor']) &&
  isNumOrNull(v['baselineKgH']) &&
  isNumOrNull(v['currentKgH']) &&
  isNum(v['baselineHours']) &&
  isNum(v['currentHours']) &&
  isNumOrNull(v['reductionPct']) &&
  oneOf(REDUCTION_STATUSES)(v['status']);

const isEnterpriseCompliance = (v: unknown): v is EnterpriseCompliance =>
  isObj(v) &&
  isStr(v['enterpriseId']) &&
  isStr(v['enterpriseName']) &&
  oneOf(COMPLIANCE_STATUSES)(v['status']) &&
  arrayOf(isComparison)(v['items']);

export const isCompliance = (v: unknown): v is CampaignCompliance =>
  isObj(v) &&
  isNum(v['campaignId']) &&
  isSpan(v['window']) &&
  isSpan(v['baseline']) &&
  isNum((v['baseline'] as Obj)['days']) &&
  isNum(v['targetPct']) &&
  isNum(v['computedAt']) &&
  arrayOf(isEnterpriseCompliance)(v['enterprises']);

export const isCampaignDetail = (v: unknown): v is CampaignDetail =>
  isObj(v) && isCampaign(v['campaign']) && arrayOf(isNotice)(v['notices']) && nullable(isCompliance)(v['compliance']);

export const isCampaignEvent = (v: unknown): v is CampaignEvent => isObj(v) && isCampaign(v['campaign']);

export const isNoticeEvent = (v: unknown): v is CampaignNoticeEvent =>
  isObj(v) && oneOf(NOTICE_KINDS)(v['kind']) && isCampaign(v['campaign']) && isNotice(v['notice']);

const SUMMARY_KEYS = ['affected', 'acknowledged', 'compliant', 'flagged', 'nodata', 'notMonitored'] as const;

const isReportRow = (v: unknown): boolean =>
  isObj(v) &&
  isStr(v['enterpriseId']) &&
  isStr(v['enterpriseName']) &&
  isBool(v['acknowledged']) &&
  isNumOrNull(v['acknowledgedAt']) &&
  isStrOrNull(v['acknowledgedBy']) &&
  isStrOrNull(v['note']) &&
  nullable(isEnterpriseCompliance)(v['compliance']);

export const isCampaignReport = (v: unknown): v is CampaignReport =>
  isObj(v) &&
  isCampaign(v['campaign']) &&
  isBool(v['final']) &&
  isObj(v['summary']) &&
  SUMMARY_KEYS.every((k) => isNum((v['summary'] as Obj)[k])) &&
  Array.isArray(v['enterprises']) &&
  v['enterprises'].every(isReportRow) &&
  nullable(isCompliance)(v['compliance']);

// ---- the ozone centre ----

export const isLevel = (v: unknown): v is LevelView =>
  isObj(v) && isNum(v['level']) && isStr(v['colour']) && isStr(v['zh']) && isStr(v['en']);

const isLevelFull = (v: unknown): boolean => isLevel(v) && isNum((v as Obj)['min']) && isNumOrNull((v as Obj)['max']);

const isSeason = (v: unknown): v is SeasonRange =>
  isObj(v) && isNum(v['from']) && isNum(v['to']) && isNum(v['startMonth']) && isNum(v['endMonth']) && isBool(v['inSeason']);

const isHourValue = (v: unknown): v is Obj => isObj(v) && isNum(v['hour']) && isNum(v['value']) && isNumOrNull(v['iaqi']);
const isMoving8h = (v: unknown): v is Obj =>
  isObj(v) && isNum(v['endHour']) && isNum(v['value']) && isNum(v['validHours']) && isNumOrNull(v['iaqi']);
const isAqi = (v: unknown): v is Obj =>
  isObj(v) && isNum(v['value']) && arrayOf(oneOf(AQI_POLLUTANTS))(v['primary']) && isLevelFull(v['level']);
const isToday = (v: unknown): boolean =>
  isObj(v) && isStr(v['date']) && isNumOrNull(v['max8h']) && isNumOrNull(v['max8hIaqi']) && isBool(v['exceeded']);
const isStationSeason = (v: unknown): boolean =>
  isObj(v) && isNum(v['exceedanceDays']) && isStrArray(v['exceedanceDates']) && isNum(v['daysWithData']);

export const isStation = (v: unknown): v is StationOzone =>
  isObj(v) &&
  isStr(v['mn']) &&
  isStr(v['name']) &&
  isStr(v['enterpriseId']) &&
  isStr(v['district']) &&
  nullable(isHourValue)(v['latest1h']) &&
  nullable(isMoving8h)(v['moving8h']) &&
  nullable(isAqi)(v['aqi']) &&
  isToday(v['today']) &&
  isStationSeason(v['season']) &&
  optional(isStr)(v['error']);

export const isOzoneStatus = (v: unknown): v is OzoneStatus =>
  isObj(v) &&
  isNum(v['computedAt']) &&
  isStr(v['factor']) &&
  isNum(v['exceedanceLimit']) &&
  isSeason(v['season']) &&
  arrayOf(isStation)(v['stations']);

export const isForecast = (v: unknown): v is Forecast =>
  isObj(v) &&
  isStr(v['date']) &&
  isNumOrNull(v['o3_8h']) &&
  isNum(v['iaqi']) &&
  isNumOrNull(v['aqi']) &&
  isNumOrNull(v['pm25']) &&
  isStrOrNull(v['note']) &&
  isStr(v['recordedBy']) &&
  isNum(v['recordedAt']) &&
  isLevel(v['level']);

const isDay = (v: unknown): v is { date: string; iaqi: number } => isObj(v) && isStr(v['date']) && isNum(v['iaqi']);

export const isWarning = (v: unknown): v is OzoneWarning =>
  isObj(v) &&
  nullable(oneOf(WARNING_LEVELS))(v['level']) &&
  nullable((r: unknown): r is object => isClock(r) && isNum((r as Obj)['days']))(v['run']) &&
  arrayOf(isDay)(v['days']) &&
  isClock(v['horizon']);

export const isRowRefusal = (v: unknown): v is ForecastRowError =>
  isObj(v) && isNum(v['row']) && optional(isNum)(v['line']) && isStr(v['field']) && isStr(v['message']);
