/**
 * Pure: the validity arithmetic of an aggregate (DOMAIN §4), shared by the rule engine's hour
 * window and the reports: a tally of an aggregate's inputs, the 75 % rule for its flag, and a
 * minute built from real-time values.
 *
 * An aggregate is N (valid) only if more than 75 % of its inputs were N. A minute built from
 * real-time (CN 2011) values is valid when more than 75 % of its values were N, its mean is the
 * mean of those N values; its converted mean (reference O2, DOMAIN §5) is valid when more than
 * 75 % of its values were N *and* could be converted (logger zs, or valid O2), and is the mean of
 * those — a value without valid O2 is not a valid converted value. (HJ 75's "≥ 12 values" assumes
 * 5-s sampling, which a logger reporting every 30 s cannot meet; like the reports, not applied.)
 */
import { DATA_FLAGS, isValidFlag, type DataFlag } from './reading';

/** An aggregate is N only if more than this share of its inputs were N. */
export const N_SHARE = 0.75;

/** Inputs of one aggregate: all (n), valid (nValid) and their sum, converted ones (nZs) and their sum. */
export interface ValueTally {
  n: number;
  nValid: number;
  sum: number;
  nZs: number;
  sumZs: number;
}

export const EMPTY_TALLY: ValueTally = Object.freeze({ n: 0, nValid: 0, sum: 0, nZs: 0, sumZs: 0 });

/**
 * One more input — its flag, its value, and its converted value (undefined: cannot be converted) —
 * added to tally `t` and written into `out` (a fresh object of the caller's that holds a tally, e.g.
 * a minute being built; `t` may be another): no intermediate object, the rule engine adds every
 * real-time value of every factor. Returns `out`.
 */
export function tallyAddInto<T extends ValueTally>(out: T, t: ValueTally, flag: DataFlag, value: number, zs: number | undefined): T {
  const valid = isValidFlag(flag);
  const converted = valid && zs !== undefined;
  out.n = t.n + 1;
  out.nValid = valid ? t.nValid + 1 : t.nValid;
  out.sum = valid ? t.sum + value : t.sum;
  out.nZs = converted ? t.nZs + 1 : t.nZs;
  out.sumZs = converted ? t.sumZs + zs : t.sumZs;
  return out;
}

/** More than 75 % of `all`. */
export const aboveNShare = (part: number, all: number): boolean => all > 0 && part / all > N_SHARE;

/** A minute from real-time values: its mean (null: not a valid minute) and its converted mean (null: not valid converted). */
export interface BuiltMinute {
  mean: number | null;
  meanZs: number | null;
}

export function minuteFromTally(t: ValueTally): BuiltMinute {
  return { mean: tallyMean(t), meanZs: tallyMeanZs(t) };
}

/** The built minute's mean (null: not a valid minute), without the object. */
export const tallyMean = (t: ValueTally): number | null => (aboveNShare(t.nValid, t.n) ? t.sum / t.nValid : null);
/** The built minute's converted mean (null: not valid converted), without the object. */
export const tallyMeanZs = (t: ValueTally): number | null => (aboveNShare(t.nZs, t.n) ? t.sumZs / t.nZs : null);

export type FlagCounts = Partial<Record<DataFlag, number>>;

/** N when more than 75 % of the inputs were N; otherwise the most frequent other flag. */
export function aggregateFlag(counts: FlagCounts): DataFlag {
  let total = 0;
  for (const f of DATA_FLAGS) total += counts[f] ?? 0;
  if (aboveNShare(counts.N ?? 0, total)) return 'N';
  let best: DataFlag = 'N';
  let most = 0;
  for (const f of DATA_FLAGS) {
    if (f !== 'N' && (counts[f] ?? 0) > most) {
      best = f;
      most = counts[f] ?? 0;
    }
  }
  return most > 0 ? best : 'N';
}
