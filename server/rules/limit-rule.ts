/**
 * The limit rule: a factor's value above its max (or below its min) is an exceedance; a valid
 * value within bounds is back to normal. Limits come from the rule pack per source kind and are
 * overridden per source (its permit; see domain/limit-pack.ts). A limit on converted values
 * (o2Converted) is judged only on converted values: the logger's `zs` when sent, else computed
 * from the reading's O2 when that is flagged N; a value that cannot be converted is not judged
 * (DOMAIN §5) — never the measured value in its place.
 * Values flagged anything but N are not valid data and are not judged at all (DOMAIN §3).
 * Inlets of treatment units are measured, not judged.
 */
import type { Finding } from '../domain/alert';
import { catalog } from '../domain/catalog';
import { convertedValue, DEFAULT_O2_CAP } from '../domain/o2-conversion';
import { isValidFlag, primaryValue, type Reading } from '../domain/reading';
import type { Limit, Source } from '../domain/registry';

export const LIMIT_RULE = 'limit';

/** What a limit judges: the value, the measured value, and whether (and how) it was converted. */
export interface Compared {
  value: number;
  measured: number;
  /** True only when `value` is a converted value (zs or computed). */
  o2Converted: boolean;
  /** Converted: the logger sent it as zs. */
  fromLogger: boolean;
  /** Computed: the measured O2 (%) it was converted with; null otherwise. */
  o2: number | null;
}

/** One factor's compared value for the reading `comparedValue` saw last, with the arguments it was for. */
interface MemoEntry {
  /** The `memoGeneration` it was computed in; older: not for this reading. */
  generation: number;
  o2Converted: boolean | undefined;
  o2Ref: number | undefined;
  o2Cap: number;
  /** False: nothing to judge (the answer is undefined). */
  has: boolean;
  /** The answer, filled afresh for each reading (one record per factor, not one per call). */
  compared: Compared;
}
let memoReading: Reading | null = null;
let memoGeneration = 0;
const memo = new Map<string, MemoEntry>();
/** Factor codes the memo keeps an entry for at most (the catalogue's are far fewer). */
const MEMO_MAX_FACTORS = 1_000;

/**
 * The value a limit compares: measured, or converted to reference O2 where the limit says so;
 * undefined when there is nothing to judge (no value, or a converted limit and no valid O2 or zs).
 *
 * One reading's factors are asked for in turn by the hour window and by the sample rules
 * (limit-instant, step-drop, near-limit): the answer for the last reading is kept per factor, and
 * given again while the reading and every argument are the same (readings are not changed once
 * decoded). Computed four times, it was a sixth of what the engine allocated per reading. The
 * answer is one record per factor, filled again for the next reading: read it at once, do not
 * keep or change it.
 */
export function comparedValue(
  reading: Reading,
  factor: string,
  limit: Pick<Limit, 'o2Converted'>,
  o2Ref: number | undefined,
  o2Cap: number = DEFAULT_O2_CAP,
): Readonly<Compared> | undefined {
  if (reading !== memoReading) {
    memoReading = reading;
    memoGeneration++;
  }
  let entry = memo.get(factor);
  if (
    entry !== undefined &&
    entry.generation === memoGeneration &&
    entry.o2Converted === limit.o2Converted &&
    entry.o2Ref === o2Ref &&
    entry.o2Cap === o2Cap
  ) {
    return entry.has ? entry.compared : undefined;
  }
  if (entry === undefined) {
    if (memo.size >= MEMO_MAX_FACTORS) memo.clear();
    const compared: Compared = { value: 0, measured: 0, o2Converted: false, fromLogger: false, o2: null };
    memo.set(factor, (entry = { generation: 0, o2Converted: undefined, o2Ref: undefined, o2Cap: 0, has: false, compared }));
  }
  entry.generation = memoGeneration;
  entry.o2Converted = limit.o2Converted;
  entry.o2Ref = o2Ref;
  entry.o2Cap = o2Cap;
  entry.has = fillCompared(entry.compared, reading, factor, limit, o2Ref, o2Cap);
  return entry.has ? entry.compared : undefined;
}

/** Fills `out` with the compared value; false when there is nothing to judge. */
function fillCompared(
  out: Compared,
  reading: Reading,
  factor: string,
  limit: Pick<Limit, 'o2Converted'>,
  o2Ref: number | undefined,
  o2Cap: number,
): boolean {
  const v = reading.factors[factor];
  const measured = v && primaryValue(reading.cn, v);
  if (measured === undefined) return false;
  out.measured = measured;
  if (!limit.o2Converted) {
    out.value = measured;
    out.o2Converted = false;
    out.fromLogger = false;
    out.o2 = null;
    return true;
  }
  const c = convertedValue(reading.cn, reading.factors, factor, measured, { o2Ref, o2Cap });
  if (!c) return false;
  out.value = c.value;
  out.o2Converted = true;
  out.fromLogger = c.fromLogger;
  out.o2 = c.o2;
  return true;
}

/** Limits as the rule walks them: one entry per limited factor (precomputed per source). */
export type LimitEntries = readonly (readonly [factor: string, limit: Limit])[];

export function evaluateLimits(reading: Reading, source: Source, limits: LimitEntries | Record<string, Limit>, o2Cap?: number): Finding[] {
  const entries = Array.isArray(limits) ? (limits as LimitEntries) : Object.entries(limits);
  const findings: Finding[] = [];
  for (const [factor, limit] of entries) {
    const fv = reading.factors[factor];
    if (!fv || !isValidFlag(fv.flag)) continue;
    const value = comparedValue(reading, factor, limit, source.o2Ref, o2Cap)?.value;
    if (value === undefined) continue;
    const { mn, ts } = reading;
    const bound =
      limit.max !== undefined && value > limit.max ? limit.max : limit.min !== undefined && value < limit.min ? limit.min : undefined;
    findings.push(
      bound === undefined
        ? { type: 'normal', mn, factor, rule: LIMIT_RULE, value, ts }
        : {
            type: 'exceeded',
            mn,
            factor,
            rule: LIMIT_RULE,
            severity: limit.severity,
            value,
            limit: bound,
            unit: catalog.get(factor)?.unit ?? '',
            ts,
          },
    );
  }
  return findings;
}
