/**
 * Pure: the daily and transmission reports of one source straight from its packed day (a DayView,
 * storage/rollup-day.ts), without an object per hour or factor: the same figures as buildDaily and
 * buildTransmission (report-builder.ts) compute from rollup hours, to the last bit — the hour
 * figures of hourFigure, folded as dayFigure folds them, in the same order (day-report.test.ts
 * checks both on random days).
 */
import { DATA_FLAGS, type DataFlag } from '../domain/reading';
import { factorUnitOf } from '../domain/catalog';
import { DAY_MS } from '../domain/local-time';
import type { Limit } from '../domain/registry';
import type { DailyFactor, DailySource, TransmissionRates, TransmissionRow } from '../domain/report';
import { aggregateFlag, type FlagCounts } from '../domain/value-tally';
import {
  H_INTERVALS,
  H_VALID_INTERVALS,
  HOUR_FIELDS,
  S_FLAG,
  S_N,
  S_N_VALID,
  S_N_ZS,
  S_SUM,
  S_SUM_ZS,
  type DayView,
} from '../storage/rollup-day';
import { factorOrder, identity, limitView, type ReportSubject } from './report-builder';
import { exceeds, expectedIntervals, transmissionRates } from './report-figures';

// Module-local copies: read in the innermost loop (an imported binding is a property read there).
const [N, N_VALID, SUM, N_ZS, SUM_ZS, FLAG] = [S_N, S_N_VALID, S_SUM, S_N_ZS, S_SUM_ZS, S_FLAG];
const [INTERVALS, VALID_INTERVALS, FIELDS] = [H_INTERVALS, H_VALID_INTERVALS, HOUR_FIELDS];
const FLAGS: readonly DataFlag[] = [...DATA_FLAGS];

/** One factor's day: hourFigure per hour present, folded like dayFigure, and the hours over the limit. */
function factorDay(s: ReportSubject, v: DayView, f: number, factor: string): DailyFactor {
  const limit: Limit | undefined = s.limits[factor];
  const convert = limit?.o2Converted ?? false;
  const st = v.stats;
  const flags: FlagCounts = {};
  let received = 0;
  let valid = 0;
  let sum = 0;
  let measuredCount = 0;
  let measuredSum = 0;
  let over = 0;
  for (let i = 0; i < v.hours; i++) {
    const o = v.at(f, i);
    const tag = st[o + FLAG] as number;
    if (tag === 0 || st[o + N] === 0) continue;
    received++;
    const flag = FLAGS[tag - 1] as DataFlag;
    flags[flag] = (flags[flag] ?? 0) + 1;
    const nValid = st[o + N_VALID] as number;
    const measured = nValid > 0 ? (st[o + SUM] as number) / nValid : null;
    const inputs = convert ? (st[o + N_ZS] as number) : nValid;
    const value = convert ? (inputs > 0 ? (st[o + SUM_ZS] as number) / inputs : null) : measured;
    if (inputs < s.minValidMinutes || value === null) continue;
    valid++;
    sum += value;
    if (measured !== null) {
      measuredCount++;
      measuredSum += measured;
    }
    if (limit && exceeds(value, limit)) over++;
  }
  const dayValue = valid > 0 ? sum / valid : null;
  const day = {
    value: dayValue,
    measured: measuredCount > 0 ? measuredSum / measuredCount : null,
    converted: convert && received > 0,
    validInputs: valid,
    inputs: received,
    valid: valid >= s.minValidHours,
    flag: received > 0 ? aggregateFlag(flags) : null,
  };
  return {
    factor,
    unit: factorUnitOf(factor, s.source.kind),
    ...day,
    limit: limitView(limit),
    exceedingHours: over,
    exceeds: !!limit && day.valid && dayValue !== null && exceeds(dayValue, limit),
  };
}

/** A source's transmission figures of a packed day (read with or without factors). */
export function dayTransmission(s: ReportSubject, v: DayView, now: number): TransmissionRates {
  let received = 0;
  let valid = 0;
  for (let i = 0; i < v.hours; i++) {
    received += v.hour[i * FIELDS + INTERVALS] as number;
    valid += v.hour[i * FIELDS + VALID_INTERVALS] as number;
  }
  return transmissionRates(expectedIntervals(v.day, Math.min(v.day + DAY_MS, now), s.source.intervalS), received, valid);
}

/** buildDaily over a packed day (read with factors). */
export function dailyFromDay(s: ReportSubject, v: DayView, date: string, alerts: Record<string, number>, now: number): DailySource {
  const order = v.factors.map((_, f) => f).sort((a, b) => factorOrder(v.factors[a] as string, v.factors[b] as string));
  const factors = order.map((f) => factorDay(s, v, f, v.factors[f] as string));
  return { ...identity(s), date, factors, transmission: dayTransmission(s, v, now), alerts };
}

/** buildTransmission over a packed day (its hours are enough). */
export const transmissionFromDay = (s: ReportSubject, v: DayView, date: string, now: number): TransmissionRow => ({
  ...identity(s),
  date,
  ...dayTransmission(s, v, now),
});
