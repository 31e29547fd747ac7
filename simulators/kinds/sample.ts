/**
 * What a kind function returns: the instantaneous values of one real-time (CN 2011) sample.
 * Flags are added later by the scenario (a kind function describes normal operation).
 */
import { convertToReferenceO2 } from '../../server/domain/o2-conversion';
import type { Facility, Source } from '../../server/domain/registry';
import type { Rng } from '../random';
import type { FacilityConditions } from './facility-condition';

export interface SampleFactor {
  rtd: number;
  /** The value converted to the source's reference O2 (DOMAIN §5), where the source has one. */
  zs?: number;
}

/** Factor code → value. A factor that has no value at this instant is absent (e.g. an idle nozzle's A/L). */
export type KindSample = Record<string, SampleFactor>;

/**
 * What a logger knows besides its source: the registry's facilities that name it (their signals are
 * added by the logger, facility.ts) and the scenario's conditions on them, for kinds whose own
 * values follow them (a kitchen's fumes rise while its purifier is off).
 */
export interface SampleContext {
  facilities: readonly Facility[];
  conditions: FacilityConditions;
}

/** One real-time sample of `source` at the instant `at` (epoch ms), drawing noise from `rng`. */
export type KindGenerator = (source: Source, at: number, rng: Rng, ctx?: SampleContext) => KindSample;

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * A flue-gas pollutant value: rtd rounded, and zs computed from the rounded rtd and O2 with the
 * domain's conversion when the source has a reference O2.
 */
export function convertedValue(rtd: number, o2: number, source: Source, digits = 2): SampleFactor {
  const value = round(rtd, digits);
  if (source.o2Ref === undefined) return { rtd: value };
  return { rtd: value, zs: round(convertToReferenceO2(value, o2, source.o2Ref), digits) };
}

/** The measured concentration that converts to `converted` at this O2 (inverse of §5). */
export function measuredFor(converted: number, o2: number, o2Ref: number): number {
  return converted / convertToReferenceO2(1, o2, o2Ref);
}
