/**
 * VOCs online monitor at the inlet or outlet of a treatment unit (RTO, activated carbon...):
 * NMHC, THC, CH4 with NMHC = THC − CH4 exactly (DOMAIN §2), the benzene series, flow and
 * temperature; O2 (and zs of NMHC) where the outlet has a reference O2 (oxidisers with added
 * air, DOMAIN §5). Emissions follow production: a day shift, or continuous for a refinery unit.
 * A source declared a flare (`flare: true`) reports its combustion temperature instead (flare.ts).
 */
import type { Source } from '../../server/domain/registry';
import { upperLimit } from '../limits';
import { clamp, normal, uniform, type Rng } from '../random';
import { bump, chinaDate, plateau } from '../time';
import { flareSample } from './flare';
import { convertedValue, round, type KindSample } from './sample';

export const VOCS_FACTORS = ['a24088', 'a24087', 'a05002', 'a25002', 'a25003', 'a25005', 'a00000', 'a01012', 'a19001', 'aft01'] as const;

/** Production activity 0.2–1: sources with a reference O2 (oxidisers) run continuously. */
function activity(source: Source, hour: number): number {
  if (source.o2Ref !== undefined || source.position === 'inlet') return 0.75 + 0.25 * bump(hour, 14, 5);
  return 0.2 + 0.8 * plateau(hour, 8, 20);
}

/** NMHC in mg/m³: inlet hundreds to thousands, outlet tens (oxidiser outlets lower still). */
function nmhc(source: Source, act: number, rng: Rng): number {
  if (source.position === 'inlet') return clamp((400 + 1400 * act) * normal(rng, 1, 0.1), 150, 3000);
  const limit = upperLimit(source, 'a24088') ?? 60;
  const typical = source.o2Ref !== undefined ? 3 + 7 * act : 6 + 16 * act;
  return clamp(typical * normal(rng, 1, 0.12), 0.5, 0.7 * limit);
}

/** Hundredths as integers so that THC − CH4 equals NMHC exactly after rounding. */
const cents = (x: number): number => Math.round(x * 100);

export function vocsSample(source: Source, at: number, rng: Rng): KindSample {
  if (source.flare) return flareSample(source, at, rng);
  const act = activity(source, chinaDate(at).hour);
  const inlet = source.position === 'inlet';
  const nmhcCents = cents(nmhc(source, act, rng));
  const ch4Cents = cents(inlet ? uniform(rng, 3, 8) : uniform(rng, 1.5, 3));
  const n = nmhcCents / 100;
  const sample: KindSample = {
    a24087: { rtd: (nmhcCents + ch4Cents) / 100 },
    a05002: { rtd: ch4Cents / 100 },
    a25002: { rtd: round(n * uniform(rng, 0.005, 0.015), 3) },
    a25003: { rtd: round(n * uniform(rng, 0.04, 0.1), 3) },
    a25005: { rtd: round(n * uniform(rng, 0.06, 0.15), 3) },
    a00000: { rtd: round((12 + 8 * act) * normal(rng, 1, 0.03) * (inlet ? 1 : 1.05), 2) },
    a01012: { rtd: round(inlet || source.o2Ref === undefined ? normal(rng, 32, 1.5) : normal(rng, 140, 4), 1) },
  };
  if (source.o2Ref === undefined) return { a24088: { rtd: n }, ...sample };
  const o2 = round(clamp(normal(rng, 15.5, 0.4), 10, 19), 2);
  return { a24088: convertedValue(n, o2, source), ...sample, a19001: { rtd: o2 } };
}
