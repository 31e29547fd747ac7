/**
 * The effect report of a lifted warning (应急响应效果评估, PLANS E9, plan 003): forecast against
 * observed daily AQI for each day it was in force, heavy-pollution hours (hour AQI > 200) per
 * district in scope, the enterprises notified and how many acknowledged (the warning's notice and
 * the pre-notices before it), the timeline, and the compliance line (it comes with the
 * emission-reduction lists). Shared by the server and the dashboard. GET /api/warnings/:id/effect.
 */
import type { NoticeRecipient } from './prenotice';
import type { Warning, WarningHistoryEntry } from './warning';

/** An hour AQI above this is heavy pollution (HJ 633: 重度污染 201–300, 严重 > 300). */
export const HEAVY_HOUR_AQI = 200;

export interface EffectDay {
  /** Local date. */
  date: string;
  /** The forecast's index for the day (heavy pollution: day AQI, else PM2.5 IAQI; ozone: O3 IAQI); null: none. */
  forecast: number | null;
  /** The city's observed day AQI (null: no valid data). */
  observed: number | null;
  /** observed − forecast. */
  difference: number | null;
}

export interface EffectDistrictHours {
  district: string;
  /** Hours in force with an hour AQI > 200. */
  heavyHours: number;
  /** Hours in force with an hour AQI at all. */
  hoursWithData: number;
  /** The highest hour AQI in force (null: no data). */
  peak: number | null;
}

export interface EffectNotices {
  kind: 'warning' | 'pre_notice';
  /** The warning's or the pre-notice's id. */
  id: number;
  issuedAt: number;
  notified: number;
  acknowledged: number;
  recipients: NoticeRecipient[];
}

export interface WarningEffect {
  warning: Warning;
  /** In force from the start to the lift (epoch ms), and its local dates. */
  period: { from: number; to: number; dates: string[] };
  days: EffectDay[];
  /** Means over the days that have both a forecast and an observation (null: none). */
  means: { forecast: number | null; observed: number | null };
  heavyHours: EffectDistrictHours[];
  heavyHoursTotal: number;
  notices: EffectNotices[];
  timeline: WarningHistoryEntry[];
  /** Compliance of the enterprises comes with the emission-reduction lists (issue 16): not yet available. */
  compliance: { available: false };
}
