/**
 * Minute means of one factor in an hour window, from minute data (CN 2051) or built from real-time
 * data (CN 2011) the way the reports build them (domain/value-tally.ts): O(1) state per factor —
 * counts and sums, a bitmask of the minutes seen, and the one minute being built.
 */
import type { DataFlag } from '../domain/reading';
import { EMPTY_TALLY, tallyAddInto, tallyMean, tallyMeanZs } from '../domain/value-tally';
import type { MinuteSum, OpenMinute } from './rule-state';

/** A value and its compared form (absent: the limit judges converted values and it cannot be converted). */
export interface Values {
  v: number;
  vC?: number | undefined;
}

const EMPTY_SUM: MinuteSum = { m: 0, n: 0, nC: 0, sum: 0, sumC: 0, lo: 0, hi: 0 };

/** A copy of a factor's minute sums: one literal of one shape, in EMPTY_SUM's key order. */
const copyOf = (s: MinuteSum): MinuteSum => ({ m: s.m, n: s.n, nC: s.nC, sum: s.sum, sumC: s.sumC, lo: s.lo, hi: s.hi });

/** Adds one minute (0–59) of the hour; `valid` undefined: received but not valid. A minute already seen is ignored. */
export function addMinute(sum: MinuteSum | undefined, minute: number, valid: Values | undefined): MinuteSum {
  const s = copyOf(sum ?? EMPTY_SUM);
  addMinuteInto(s, minute, valid ? valid.v : null, valid?.vC ?? null);
  return s;
}

/** `addMinute` into a factor's own minute sums, in place; `v` null: received but not valid, `vC` null: not valid converted. */
function addMinuteInto(s: MinuteSum, minute: number, v: number | null, vC: number | null): void {
  if (minute < 0 || minute > 59) return;
  const bit = 1 << (minute % 30);
  if ((minute < 30 ? s.lo : s.hi) & bit) return; // a re-sent minute
  if (minute < 30) s.lo |= bit;
  else s.hi |= bit;
  s.m++;
  if (v === null) return;
  s.n++;
  s.sum += v;
  if (vC === null) return;
  s.nC++;
  s.sumC += vC;
}

/** The minute built from real-time values, folded into the factor's own minute sums, in place. */
function foldMinuteInto(s: MinuteSum, open: OpenMinute): void {
  const mean = tallyMean(open);
  addMinuteInto(s, open.minute, mean, mean === null ? null : tallyMeanZs(open));
}

/** The minute built from real-time values, folded into a copy of the factor's minute sums. */
export function foldMinute(sum: MinuteSum | undefined, open: OpenMinute): MinuteSum {
  const s = copyOf(sum ?? EMPTY_SUM);
  foldMinuteInto(s, open);
  return s;
}

export interface RealtimeMinutes {
  rt: Record<string, MinuteSum>;
  rtOpen: Record<string, OpenMinute>;
}

/**
 * One real-time value of `factor` at `ts`, `v` and its compared form `vC` (as `Values`; passed as
 * numbers, not in an object: a double written to an object's field that may also hold undefined is
 * a new heap number each time, 0.8 KB a reading) (any flag: a flag other than N makes it an invalid input),
 * minute `minute` of the hour, into the window's records **in place**: added to the minute being
 * built, or — when it is of a later minute — that minute is folded into `rt` and a new one begun.
 * A value not later than the factor's previous one (re-sent, out of order) is ignored.
 *
 * In place, like step-drop's rings and copied-data's index: the records are the source's own, held
 * in the engine's state only, and the saver encodes a state before the next reading (rule-store).
 * Copied on write, one reading's tallies were the largest share of what the old generation
 * collected under a saturated ingest (23 %), and the engine took 8.4 µs a reading against 7.6.
 */
export function addRealtime(
  w: RealtimeMinutes,
  factor: string,
  ts: number,
  minute: number,
  flag: DataFlag,
  v: number,
  vC: number | undefined,
): void {
  const open = w.rtOpen[factor];
  if (open === undefined) {
    // The keys in the order the spread of earlier versions gave them (the saved state's JSON).
    const first: OpenMinute = { minute, lastTs: ts, n: 0, nValid: 0, sum: 0, nZs: 0, sumZs: 0 };
    w.rtOpen[factor] = tallyAddInto(first, EMPTY_TALLY, flag, v, vC);
    return;
  }
  if (ts <= open.lastTs) return;
  if (minute !== open.minute) {
    const sum = w.rt[factor];
    if (sum === undefined) w.rt[factor] = foldMinute(undefined, open);
    else foldMinuteInto(sum, open);
    open.minute = minute;
    tallyAddInto(open, EMPTY_TALLY, flag, v, vC);
  } else tallyAddInto(open, open, flag, v, vC);
  open.lastTs = ts;
}

/** Folds every minute still being built (the hour is closing). */
export function foldAll(w: RealtimeMinutes): Record<string, MinuteSum> {
  const rt = { ...w.rt };
  for (const [factor, open] of Object.entries(w.rtOpen)) rt[factor] = foldMinute(rt[factor], open);
  return rt;
}
