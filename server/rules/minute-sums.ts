/**
 * Minute means of one factor in an hour window, from minute data (CN 2051) or built from real-time
 * data (CN 2011) the way the reports build them (domain/value-tally.ts): O(1) state per factor —
 * counts and sums, a bitmask of the minutes seen, and the one minute being built.
 */
import type { DataFlag } from '../domain/reading';
import { minuteFromTally, tallyAdd } from '../domain/value-tally';
import type { MinuteSum, OpenMinute } from './rule-state';

/** A value and its compared form (absent: the limit judges converted values and it cannot be converted). */
export interface Values {
  v: number;
  vC?: number | undefined;
}

const EMPTY_SUM: MinuteSum = { m: 0, n: 0, nC: 0, sum: 0, sumC: 0, lo: 0, hi: 0 };

/** Adds one minute (0–59) of the hour; `valid` undefined: received but not valid. A minute already seen is ignored. */
export function addMinute(sum: MinuteSum | undefined, minute: number, valid: Values | undefined): MinuteSum {
  const s = sum ?? EMPTY_SUM;
  if (minute < 0 || minute > 59) return s;
  const bit = 1 << (minute % 30);
  const mask = minute < 30 ? s.lo : s.hi;
  if (mask & bit) return s; // a re-sent minute
  const seen = minute < 30 ? { lo: s.lo | bit } : { hi: s.hi | bit };
  if (!valid) return { ...s, ...seen, m: s.m + 1 };
  const converted = valid.vC === undefined ? {} : { nC: s.nC + 1, sumC: s.sumC + valid.vC };
  return { ...s, ...seen, m: s.m + 1, n: s.n + 1, sum: s.sum + valid.v, ...converted };
}

/** The minute built from real-time values, folded into the factor's minute sums. */
export function foldMinute(sum: MinuteSum | undefined, open: OpenMinute): MinuteSum {
  const built = minuteFromTally(open);
  const valid = built.mean === null ? undefined : { v: built.mean, vC: built.meanZs ?? undefined };
  return addMinute(sum, open.minute, valid);
}

export interface RealtimeMinutes {
  rt: Record<string, MinuteSum>;
  rtOpen: Record<string, OpenMinute>;
}

/**
 * One real-time value of `factor` at `ts` (any flag: a flag other than N makes it an invalid
 * input), minute `minute` of the hour: added to the minute being
 * built, or — when it is of a later minute — that minute is folded and a new one begun. A value
 * not later than the factor's previous one (re-sent, out of order) is ignored.
 */
export function addRealtime(
  w: RealtimeMinutes,
  factor: string,
  ts: number,
  minute: number,
  flag: DataFlag,
  values: Values,
): RealtimeMinutes {
  let open = w.rtOpen[factor];
  if (open && ts <= open.lastTs) return w;
  let rt = w.rt;
  if (open && minute !== open.minute) {
    rt = { ...rt, [factor]: foldMinute(rt[factor], open) };
    open = undefined;
  }
  const base = open ?? { minute, lastTs: ts, n: 0, nValid: 0, sum: 0, nZs: 0, sumZs: 0 };
  const tally = tallyAdd(base, flag, values.v, values.vC);
  return { rt, rtOpen: { ...w.rtOpen, [factor]: { ...base, ...tally, lastTs: ts } } };
}

/** Folds every minute still being built (the hour is closing). */
export function foldAll(w: RealtimeMinutes): Record<string, MinuteSum> {
  const rt = { ...w.rt };
  for (const [factor, open] of Object.entries(w.rtOpen)) rt[factor] = foldMinute(rt[factor], open);
  return rt;
}
