/**
 * The limit rule: a factor's value above its max (or below its min) is an exceedance; a valid
 * value within bounds is back to normal. Limits come from the rule pack per source kind and are
 * overridden per source (its permit; see domain/limit-pack.ts). Flue-gas pollutants are judged on the value converted to
 * the source's reference O2: the logger's `zs` when sent, else computed from the reading's O2.
 * Values flagged anything but N are not valid data and are not judged at all (DOMAIN §3).
 * Inlets of treatment units are measured, not judged.
 */
import type { Finding } from '../domain/alert';
import { catalog, O2_FACTOR } from '../domain/catalog';
import { convertToReferenceO2 } from '../domain/o2-conversion';
import { isValidFlag, primaryValue, type Reading } from '../domain/reading';
import type { Limit, Source } from '../domain/registry';

export const LIMIT_RULE = 'limit';

/** The value to compare: converted to reference O2 where the limit says so and it can be. */
export function comparedValue(reading: Reading, factor: string, limit: Limit, o2Ref: number | undefined): number | undefined {
  const v = reading.factors[factor];
  if (!v) return undefined;
  const measured = primaryValue(reading.cn, v);
  if (!limit.o2Converted || o2Ref === undefined) return measured;
  if (v.zs !== undefined) return v.zs;
  const o2 = reading.factors[O2_FACTOR];
  const o2Value = o2 && isValidFlag(o2.flag) ? primaryValue(reading.cn, o2) : undefined;
  return measured === undefined || o2Value === undefined ? measured : convertToReferenceO2(measured, o2Value, o2Ref);
}

/** Limits as the rule walks them: one entry per limited factor (precomputed per source). */
export type LimitEntries = readonly (readonly [factor: string, limit: Limit])[];

export function evaluateLimits(reading: Reading, source: Source, limits: LimitEntries | Record<string, Limit>): Finding[] {
  const entries = Array.isArray(limits) ? (limits as LimitEntries) : Object.entries(limits);
  const findings: Finding[] = [];
  for (const [factor, limit] of entries) {
    const fv = reading.factors[factor];
    if (!fv || !isValidFlag(fv.flag)) continue;
    const value = comparedValue(reading, factor, limit, source.o2Ref);
    if (value === undefined) continue;
    const { mn, ts } = reading;
    const bound = limit.max !== undefined && value > limit.max ? limit.max : limit.min !== undefined && value < limit.min ? limit.min : undefined;
    findings.push(
      bound === undefined
        ? { type: 'normal', mn, factor, rule: LIMIT_RULE, value, ts }
        : { type: 'exceeded', mn, factor, rule: LIMIT_RULE, severity: limit.severity, value, limit: bound, unit: catalog.get(factor)?.unit ?? '', ts },
    );
  }
  return findings;
}
