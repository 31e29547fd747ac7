/**
 * Report rows as the server computes them and the dashboard shows them (declared once): hourly and
 * daily means with their validity (DOMAIN §4), exceedance counts and transmission rates.
 */
import type { DataFlag } from './reading';
import type { Limit } from './registry';
import type { SourceKind } from './source-kinds';

export interface MeanFigure {
  /** Mean of the valid inputs (converted to reference O2 when `converted`); null without any. */
  value: number | null;
  /** Whether `value` is converted to reference O2. */
  converted: boolean;
  /** Valid inputs and inputs received (minutes for an hour, hours for a day). */
  validInputs: number;
  inputs: number;
  /** Enough valid inputs for a valid mean. */
  valid: boolean;
  /** null when nothing was received. */
  flag: DataFlag | null;
}

export interface TransmissionRates {
  expected: number;
  received: number;
  valid: number;
  /** received ÷ expected, at most 1 (a logger sending more often than declared is not "over 100 %"). */
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

export type LimitView = Pick<Limit, 'max' | 'min' | 'o2Converted'>;

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
  minValidMinutes: number;
  items: HourlyRow[];
}
