/**
 * The effect report of a lifted warning (应急响应效果评估, PLANS E9, plan 003): forecast against
 * observed daily AQI for each day it was in force, heavy-pollution hours (hour AQI > 200) per
 * district in scope, the enterprises notified and how many acknowledged (the warning's notice and
 * the pre-notices before it), the timeline, and the compliance of its response (issue 18: the
 * enterprises in scope, their acknowledgements and the verification of their required measures).
 * Shared by the server and the dashboard. GET /api/warnings/:id/effect.
 */
import type { NoticeRecipient } from './prenotice';
import type { Grade } from './registry';
import type { ReductionResponse } from './response';
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
  /** The response's compliance; unavailable for a warning without a response (an ozone warning). */
  compliance: EffectCompliance;
}

/** One enterprise of the response: its list, acknowledgement and how its required measures were verified. */
export interface EffectComplianceRow {
  enterpriseId: string;
  name: string;
  grade: Grade;
  /** It had a current list (without one it could not be told what to do, nor verified). */
  listed: boolean;
  acknowledged: boolean;
  /** Required measures; of them: verified compliant (hours passed, none failed), failed (a failed hour), unverified (no hour with data). */
  required: number;
  compliant: number;
  failed: number;
  unverified: number;
}

/** The compliance summed over rows: enterprises, without a list, acknowledged, required measures and how they were verified. */
export type EffectComplianceTotals = Omit<EffectComplianceRow, 'enterpriseId' | 'name' | 'grade' | 'listed' | 'acknowledged'> & {
  enterprises: number;
  withoutList: number;
  acknowledged: number;
};

export type EffectCompliance =
  { available: false } | { available: true; responseId: number; rows: EffectComplianceRow[]; totals: EffectComplianceTotals };

export function complianceTotals(rows: readonly EffectComplianceRow[]): EffectComplianceTotals {
  const sum = (k: 'required' | 'compliant' | 'failed' | 'unverified') => rows.reduce((n, r) => n + r[k], 0);
  return {
    enterprises: rows.length,
    withoutList: rows.filter((r) => !r.listed).length,
    acknowledged: rows.filter((r) => r.acknowledged).length,
    required: sum('required'),
    compliant: sum('compliant'),
    failed: sum('failed'),
    unverified: sum('unverified'),
  };
}

/** The compliance line of a warning's response (null: the warning had none). */
export function complianceOf(response: ReductionResponse | null): EffectCompliance {
  if (!response) return { available: false };
  const rows = response.enterprises.map((e): EffectComplianceRow => {
    const required = e.measures.filter((m) => m.obligation === 'required');
    const byEntry = new Map(e.verification.map((v) => [v.entryId, v]));
    let compliant = 0;
    let failed = 0;
    for (const m of required) {
      const v = byEntry.get(m.entryId);
      if (v && v.failed > 0) failed++;
      else if (v && v.passed > 0) compliant++;
    }
    return {
      enterpriseId: e.enterpriseId,
      name: e.name,
      grade: e.grade,
      listed: e.list !== null,
      acknowledged: e.acknowledged !== null,
      required: required.length,
      compliant,
      failed,
      unverified: required.length - compliant - failed,
    };
  });
  return { available: true, responseId: response.id, rows, totals: complianceTotals(rows) };
}
