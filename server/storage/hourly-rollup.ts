/**
 * The reports' hourly rollup: per source and local hour, the sums and counts a report needs
 * (per factor: inputs, valid inputs, sum of valid values, the same converted to reference O2, and
 * the hour's flag; per source: real-time records received and valid, and the transmission intervals covered). Only closed hours are kept,
 * written as they close (server/reports/continuous-rollup.ts); a late reading recomputes its hour.
 * One implementation on SQLite or PostgreSQL (sql/rollup-store.ts), run by the contract suite
 * tests/integration/stores/rollup-store.test.ts on both engines.
 */
import type { DataFlag } from '../domain/reading';

/** Bumped when the stored shape or its computation changes: older entries are ignored and recomputed. */
export const ROLLUP_VERSION = 2;

export interface FactorHourStats {
  /** Inputs received: minute means (2051), or minutes built from real-time values (2011). */
  n: number;
  /** Inputs flagged N: the hour's valid minutes. */
  nValid: number;
  /** Sum of the valid inputs (measured values). */
  sum: number;
  /** Valid inputs that have a value converted to reference O2 (zs, or computed from O2), and their sum. */
  nZs: number;
  sumZs: number;
  /** N when more than 75 % of the inputs were N (DOMAIN §4), else the most frequent other flag. */
  flag: DataFlag;
}

export interface SourceHour {
  mn: string;
  /** Epoch ms of the start of the local hour. */
  hour: number;
  /** Which data the means come from: minute data (2051) when the source sent any that hour, else real-time (2011); null: no data. */
  basis: '2051' | '2011' | null;
  /** Real-time (2011) records received in the hour, and those whose every factor was flagged N. */
  records: number;
  validRecords: number;
  /**
   * Transmission: the source's registered interval (registry intervalS) this entry was counted with,
   * the hour's intervals that received a real-time or minute record, and those that received a valid
   * one (every factor N). Intervals run from the hour's start (the last is shorter when intervalS
   * does not divide an hour).
   */
  intervalS: number;
  intervals: number;
  validIntervals: number;
  factors: Record<string, FactorHourStats>;
}

export interface SourceHourKey {
  mn: string;
  hour: number;
}

/** One source's closed day, its hours packed (storage/rollup-day.ts). */
export interface PackedDay {
  mn: string;
  /** Epoch ms of the start of the local day. */
  day: number;
  data: Uint8Array;
}

/** A source-day's report figures as kept: `basis` names what they were computed under. */
export interface DayFigures {
  mn: string;
  basis: string;
  data: string;
}

export interface HourlyRollupStore {
  readonly name: string;
  init(): Promise<void>;
  /** Kept hours in [from, to) of the given sources (null: every source), in any order. */
  get(mns: readonly string[] | null, from: number, to: number): Promise<SourceHour[]>;
  /** Keeps closed hours (replacing what was kept for the same source and hour). */
  put(hours: readonly SourceHour[]): Promise<void>;
  /** Forgets hours. */
  drop(keys: readonly SourceHourKey[]): Promise<void>;
  /** Packed days starting in [fromDay, toDay) of the given sources (null: every source): the days `compact` moved. */
  getDays(mns: readonly string[] | null, fromDay: number, toDay: number): Promise<PackedDay[]>;
  /**
   * Moves the kept hours of [day, day + 24 h) (a local day that has closed) into one packed row per
   * source, merged with what that row held; later puts and drops of its hours go to the row.
   * Returns the source-days written.
   */
  compact(day: number): Promise<number>;
  /** The report figures kept for a packed day (rollup_day_figures): removed whenever the source-day is written again. */
  getDayFigures(day: number): Promise<DayFigures[]>;
  /** Keeps figures of a packed day's sources (replacing theirs). */
  putDayFigures(day: number, rows: readonly DayFigures[]): Promise<void>;
  /** The oldest hour kept unpacked before `before`, or null: a closed day still to compact. */
  oldestUnpacked(before: number): Promise<number | null>;
  /** The start of the latest hour kept (of any source), or null when none is: where a restart resumes closing hours. */
  lastHour(): Promise<number | null>;
  close(): Promise<void>;
}

/** The stored form: JSON with the version, so a format change never reads old entries wrongly. */
export function encodeSourceHour(h: SourceHour): string {
  return JSON.stringify({
    v: ROLLUP_VERSION,
    basis: h.basis,
    records: h.records,
    validRecords: h.validRecords,
    intervalS: h.intervalS,
    intervals: h.intervals,
    validIntervals: h.validIntervals,
    factors: h.factors,
  });
}

/** Undefined for an entry of another version, a dropped one or a malformed one. */
export function decodeSourceHour(mn: string, hour: number, data: string): SourceHour | undefined {
  if (!data) return undefined;
  try {
    const o = JSON.parse(data) as Partial<SourceHour> & { v?: number };
    if (o.v !== ROLLUP_VERSION || typeof o.records !== 'number' || typeof o.factors !== 'object' || o.factors === null) return undefined;
    if (typeof o.intervalS !== 'number' || typeof o.intervals !== 'number' || typeof o.validIntervals !== 'number') return undefined;
    return {
      mn,
      hour,
      basis: o.basis ?? null,
      records: o.records,
      validRecords: o.validRecords ?? 0,
      intervalS: o.intervalS,
      intervals: o.intervals,
      validIntervals: o.validIntervals,
      factors: o.factors,
    };
  } catch {
    return undefined; // a malformed entry is recomputed from the raw store, like a missing one
  }
}
