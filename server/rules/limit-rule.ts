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

/**
 * The value a limit compares: measured, or converted to reference O2 where the limit says so;
 * undefined when there is nothing to judge (no value, or a converted limit and no valid O2 or zs).
 */
export function comparedValue(
  reading: Reading,
  factor: string,
  limit: Pick<Limit, 'o2Converted'>,
  o2Ref: number | undefined,
  o2Cap: number = DEFAULT_O2_CAP,
): Compared | undefined {
  const v = reading.factors[factor];
  const measured = v && primaryValue(reading.cn, v);
  if (measured === undefined) return undefined;
  if (!limit.o2Converted) return { value: measured, measured, o2Converted: false, fromLogger: false, o2: null };
  const c = convertedValue(reading.cn, reading.factors, factor, measured, { o2Ref, o2Cap });
  return c && { value: c.value, measured, o2Converted: true, fromLogger: c.fromLogger, o2: c.o2 };
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
