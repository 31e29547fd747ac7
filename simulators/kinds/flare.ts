/**
 * A flare (or a thermal oxidiser's burner) that a VOCs source declares (`flare: true`): its
 * combustion temperature aft01 (°C) — steady around 880 °C while burning well, above the 760 °C the
 * flare-temperature rule asks for — and the flow of gas sent to it (a00000, m³/s), larger by day
 * when the units it relieves run harder. What a flare burns is not measured at the tip: no NMHC.
 */
import type { Source } from '../../server/domain/registry';
import { clamp, normal, type Rng } from '../random';
import { bump, chinaDate } from '../time';
import { round, type KindSample } from './sample';

export const FLARE_FACTORS = ['aft01', 'a00000'] as const;

export function flareSample(_source: Source, at: number, rng: Rng): KindSample {
  const load = 0.7 + 0.3 * bump(chinaDate(at).hour, 14, 5);
  return {
    aft01: { rtd: round(clamp(normal(rng, 860 + 40 * load, 18), 790, 990), 0) },
    a00000: { rtd: round(clamp(normal(rng, 0.6 * load, 0.05), 0.05, 2), 2) },
  };
}
