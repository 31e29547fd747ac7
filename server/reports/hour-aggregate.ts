/**
 * Pure: one source's raw records of one local hour → its rollup entry (SourceHour).
 *
 * Inputs of an hour mean are the source's minute means (CN 2051) when it sent any minute data that
 * hour, else minutes built from its real-time values (CN 2011): a minute's mean is the mean of its
 * N-flagged values and the minute is N when more than 75 % of its values were (DOMAIN §4; the
 * "≥ 12 values" of HJ 75 assumes 5-s sampling, which a logger reporting every 30 s cannot meet).
 * Converted values (reference O2, DOMAIN §5) are the logger's zs when sent, else computed from the
 * record's O2 and the source's reference O2 — only from O2 flagged N, capped (DOMAIN §5); both the
 * measured and the converted sums are kept, so the report picks by the limit in force when asked.
 */
import { O2_FACTOR } from '../domain/catalog';
import { convertedValue as convertToReference } from '../domain/o2-conversion';
import { isValidFlag, primaryValue, type DataFlag, type DataKind } from '../domain/reading';
import { aggregateFlag, N_SHARE, type FlagCounts } from '../domain/value-tally';
import type { FactorHourStats, SourceHour } from '../storage/hourly-rollup';
import type { StoredRecord } from '../storage/telemetry-store';

const MINUTE_MS = 60_000;

/** Per source: how its hours are aggregated (reference-O2 conversion, registered interval). */
export interface ConversionSettings {
  /** The source's reference O2 in %; undefined: only a logger-sent zs counts as converted. */
  o2Ref: number | undefined;
  /** Cap of the measured O2 in the conversion. */
  o2Cap: number;
  /** The registered reporting interval (registry intervalS), in seconds: the transmission rate's unit. */
  intervalS: number;
}

// The 75 % rule and the flag of an aggregate are the rules' own (one definition for both).
export { aggregateFlag, N_SHARE } from '../domain/value-tally';

/**
 * The value converted to reference O2, as the rules convert it (domain/o2-conversion.ts: the
 * logger's zs when sent, else computed from the record's O2 only when that is flagged N, capped).
 * Without it the input has no converted value and counts against the converted hour.
 */
export function convertedValue(
  cn: DataKind,
  factor: string,
  value: number,
  record: StoredRecord,
  c: ConversionSettings,
): number | undefined {
  if (factor === O2_FACTOR) return undefined;
  return convertToReference(cn, record.factors, factor, value, c)?.value;
}

interface Acc {
  n: number;
  nValid: number;
  sum: number;
  nZs: number;
  sumZs: number;
  flags: FlagCounts;
}
const newAcc = (): Acc => ({ n: 0, nValid: 0, sum: 0, nZs: 0, sumZs: 0, flags: {} });

function addInput(acc: Acc, flag: DataFlag, value: number, zs: number | undefined): void {
  acc.n++;
  acc.flags[flag] = (acc.flags[flag] ?? 0) + 1;
  if (!isValidFlag(flag)) return;
  acc.nValid++;
  acc.sum += value;
  if (zs !== undefined) {
    acc.nZs++;
    acc.sumZs += zs;
  }
}

const toStats = (a: Acc): FactorHourStats => ({
  n: a.n,
  nValid: a.nValid,
  sum: a.sum,
  nZs: a.nZs,
  sumZs: a.sumZs,
  flag: aggregateFlag(a.flags),
});

/** Each record's factors as inputs (a value per factor per record), folded into one Acc per factor and group. */
function accumulate(
  cn: DataKind,
  records: readonly StoredRecord[],
  c: ConversionSettings,
  groupOf: (ts: number) => number,
): Map<string, Map<number, Acc>> {
  const byFactor = new Map<string, Map<number, Acc>>();
  for (const r of records) {
    const group = groupOf(r.ts);
    for (const [factor, v] of Object.entries(r.factors)) {
      const value = primaryValue(cn, v);
      if (value === undefined) continue;
      let groups = byFactor.get(factor);
      if (!groups) byFactor.set(factor, (groups = new Map()));
      let acc = groups.get(group);
      if (!acc) groups.set(group, (acc = newAcc()));
      addInput(acc, v.flag, value, isValidFlag(v.flag) ? convertedValue(cn, factor, value, r, c) : undefined);
    }
  }
  return byFactor;
}

/** Hour stats from minute means: each minute record is one input. */
export function statsFromMinutes(records: readonly StoredRecord[], c: ConversionSettings): Record<string, FactorHourStats> {
  const out: Record<string, FactorHourStats> = {};
  for (const [factor, groups] of accumulate('2051', records, c, () => 0)) out[factor] = toStats(groups.get(0) ?? newAcc());
  return out;
}

/** Hour stats from real-time values: minutes built first (mean of N values; N when > 75 % were), then as minute means. */
export function statsFromRealtime(records: readonly StoredRecord[], c: ConversionSettings): Record<string, FactorHourStats> {
  const out: Record<string, FactorHourStats> = {};
  for (const [factor, minutes] of accumulate('2011', records, c, (ts) => Math.floor(ts / MINUTE_MS))) {
    const hour = newAcc();
    for (const m of minutes.values()) {
      // A minute flagged N has more than 75 % N values, so at least one: its mean exists.
      const flag = aggregateFlag(m.flags);
      const valid = isValidFlag(flag);
      // The minute's converted mean needs the same share of converted values as its flag needs N values.
      const convertedOk = valid && m.nZs / m.n > N_SHARE;
      addInput(hour, flag, valid ? m.sum / m.nValid : 0, convertedOk ? m.sumZs / m.nZs : undefined);
    }
    out[factor] = toStats(hour);
  }
  return out;
}

/** A record is valid when every factor it carried was flagged N. */
export const recordValid = (r: StoredRecord): boolean => Object.values(r.factors).every((v) => isValidFlag(v.flag));

/** Intervals of an hour at `intervalS` (from the hour's start; the last one shorter when intervalS does not divide an hour). */
export const intervalsPerHour = (intervalS: number): number => Math.ceil(3600 / intervalS);

/**
 * The hour's intervals covered by a record (DOMAIN §4, counted in intervals, not records: a logger
 * sending faster than registered covers no more than all of them). A real-time record covers the
 * interval of its instant, a minute record every interval its minute overlaps.
 */
export function coveredIntervals(
  hour: number,
  intervalS: number,
  minutes: readonly StoredRecord[],
  realtime: readonly StoredRecord[],
): { intervals: number; validIntervals: number } {
  const state = new Uint8Array(intervalsPerHour(intervalS)); // 0 nothing, 1 received, 2 received valid
  for (const r of realtime) markCovered(state, hour, intervalS, '2011', r);
  for (const r of minutes) markCovered(state, hour, intervalS, '2051', r);
  return countCovered(state);
}

/** Marks the intervals one record covers (a real-time record its instant's, a minute record every one its minute overlaps). */
export function markCovered(state: Uint8Array, hour: number, intervalS: number, cn: '2011' | '2051', r: StoredRecord): void {
  const ms = intervalS * 1000;
  const first = Math.floor((r.ts - hour) / ms);
  const last = cn === '2011' ? first : Math.floor((r.ts + MINUTE_MS - 1 - hour) / ms);
  const mark = recordValid(r) ? 2 : 1;
  for (let i = Math.max(0, first); i <= Math.min(state.length - 1, last); i++) state[i] = Math.max(state[i] as number, mark);
}

/** Intervals received and received valid, from markCovered's state. */
export function countCovered(state: Uint8Array): { intervals: number; validIntervals: number } {
  let intervals = 0;
  let validIntervals = 0;
  for (const s of state) {
    if (s > 0) intervals++;
    if (s === 2) validIntervals++;
  }
  return { intervals, validIntervals };
}

/**
 * A source's hour without a record: what `aggregateHour` computes of none, built directly (a
 * province closes 20,000 of them an hour when its loggers are silent, and fills a day's 480,000
 * after an install).
 */
export function emptyHour(mn: string, hour: number, c: ConversionSettings): SourceHour {
  return { mn, hour, basis: null, records: 0, validRecords: 0, intervalS: c.intervalS, intervals: 0, validIntervals: 0, factors: {} };
}

/** The rollup entry of one source-hour from its minute and real-time records (both of that hour only). */
export function aggregateHour(
  mn: string,
  hour: number,
  minutes: readonly StoredRecord[],
  realtime: readonly StoredRecord[],
  c: ConversionSettings,
): SourceHour {
  if (minutes.length === 0 && realtime.length === 0) return emptyHour(mn, hour, c);
  const basis = minutes.length > 0 ? '2051' : realtime.length > 0 ? '2011' : null;
  const factors = basis === '2051' ? statsFromMinutes(minutes, c) : basis === '2011' ? statsFromRealtime(realtime, c) : {};
  return {
    mn,
    hour,
    basis,
    records: realtime.length,
    validRecords: realtime.filter(recordValid).length,
    intervalS: c.intervalS,
    ...coveredIntervals(hour, c.intervalS, minutes, realtime),
    factors,
  };
}
