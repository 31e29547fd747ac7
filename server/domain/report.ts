/**
 * Report rows as the server computes them and the dashboard shows them (declared once): hourly and
 * daily means with their validity (DOMAIN §4), exceedance counts and transmission rates.
 */
import type { DataFlag } from './reading';
import type { LimitView } from './limit-pack';
import type { SourceKind } from './source-kinds';

export interface MeanFigure {
  /** Mean of the valid inputs (converted to reference O2 when `converted`); null without any. */
  value: number | null;
  /** Mean of the valid measured inputs (not converted), null without any. */
  measured: number | null;
  /** Whether `value` is converted to reference O2 (the limit says so): then validity counts converted inputs only. */
  converted: boolean;
  /** Valid inputs and inputs received (minutes for an hour, hours for a day). */
  validInputs: number;
  inputs: number;
  /** Enough valid inputs for a valid mean. */
  valid: boolean;
  /** null when nothing was received. */
  flag: DataFlag | null;
}

/** Counted in the source's registered intervals (registry intervalS), not in records. */
export interface TransmissionRates {
  /** Intervals in the period (up to now for today). */
  expected: number;
  /** Intervals that received a real-time or minute record. */
  received: number;
  /** Intervals that received a valid record (every factor N). */
  valid: number;
  /** received ÷ expected (≤ 1: an interval counts once however many records it got). */
  transmissionRate: number;
  /** valid ÷ received (0 when nothing was received). */
  validityRate: number;
  /** transmission rate × validity rate. */
  effectiveRate: number;
  pass: boolean;
}

export interface SourceIdentity {
  mn: string;
  name: string;
  enterpriseId: string;
  enterpriseName: string;
  kind: SourceKind;
}

export interface HourlyRow extends MeanFigure {
  hour: number;
  factor: string;
  unit: string;
  limit: LimitView | null;
  /** Valid and beyond the limit. */
  exceeds: boolean;
}

export interface DailyFactor extends MeanFigure {
  factor: string;
  unit: string;
  limit: LimitView | null;
  /** Valid hours whose mean was beyond the limit. */
  exceedingHours: number;
  /** The day mean is valid and beyond the limit. */
  exceeds: boolean;
}

export interface DailySource extends SourceIdentity {
  date: string;
  factors: DailyFactor[];
  transmission: TransmissionRates;
  /** Alerts opened that day, by rule. */
  alerts: Record<string, number>;
}

export interface TransmissionRow extends SourceIdentity, TransmissionRates {
  date: string;
}

export interface HourlyReport {
  mn: string;
  name: string;
  enterpriseName: string;
  date: string;
  /** Epoch ms of the local day's start (the grid's first 时段). */
  dayStart: number;
  /** The source's reference O2 in % (the converted columns' basis), null when it has none. */
  o2Ref: number | null;
  minValidMinutes: number;
  items: HourlyRow[];
}

/** What the daily report can be narrowed to: sources over the limit, failing transmission, with alerts, without data. */
export const DAILY_STATUSES = ['exceeding', 'failing', 'alerts', 'noData'] as const;
export type DailyStatus = (typeof DAILY_STATUSES)[number];

/** The daily report's figures over every source in the caller's scope (its head), whatever the filter. */
export interface DailyTotals {
  sources: number;
  /** Sources with a factor whose valid day mean is over its limit. */
  exceeding: number;
  /** Sources with any valid hour over a limit, and those hours summed over every source and factor. */
  withExceedingHours: number;
  exceedingHours: number;
  /** Sources whose effective transmission rate is under the pass mark. */
  failing: number;
  /** Sources that sent nothing that day. */
  noData: number;
  /** Alerts opened that day. */
  alerts: number;
  /** Every source's intervals summed, and the rates over them. */
  transmission: TransmissionRates;
}

/**
 * A page of the daily report (GET /api/reports/daily): the matching sources in the report's order
 * (over the limit first, then hours over the limit, failing transmission, alerts; then enterprise
 * and name), the scope's totals, and the districts and industries to filter by.
 */
export interface DailyReport {
  date: string;
  /** Sources matching the filter. */
  total: number;
  offset: number;
  totals: DailyTotals;
  districts: string[];
  industries: { code: string; name: string }[];
  items: DailySource[];
}
