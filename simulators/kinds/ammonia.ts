/**
 * Ammonia slip (氨逃逸) after SCR / SNCR denitrification: a21001 in mg/m³, about 0.5–3 in
 * normal operation and never above 60 % of the source's limit (an SCR permit may say 2.5);
 * slip rises with boiler load, when more reagent is dosed. Flue temperature at the analyser.
 */
import type { Source } from '../../server/domain/registry';
import { upperLimit } from '../limits';
import { clamp, normal, type Rng } from '../random';
import { bump, chinaDate } from '../time';
import { round, type KindSample } from './sample';

export const AMMONIA_FACTORS = ['a21001', 'a01012'] as const;

/** The normal slip range for this source: 0.5–3 mg/m³, squeezed under a tight permit. */
export function normalSlipRange(source: Source): readonly [number, number] {
  const high = Math.min(3, 0.6 * (upperLimit(source, 'a21001') ?? 8));
  return [Math.min(0.5, high / 3), high];
}

export function ammoniaSample(source: Source, at: number, rng: Rng): KindSample {
  const [low, high] = normalSlipRange(source);
  const hour = chinaDate(at).hour;
  const load = 0.5 + 0.25 * bump(hour, 10.5, 3) + 0.25 * bump(hour, 19, 2.5);
  const slip = clamp(low + (high - low) * load * normal(rng, 0.85, 0.1), low, high);
  return {
    a21001: { rtd: round(slip, 2) },
    a01012: { rtd: round(normal(rng, 330 + 30 * load, 3), 1) },
  };
}
