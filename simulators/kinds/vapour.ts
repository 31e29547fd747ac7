/**
 * Vapour-recovery online monitoring at a fuel station or depot (GB 20952-2020, DOMAIN §6):
 * the A/L ratio of each of four nozzles (avr01..avr04) — present only while that nozzle is
 * fuelling, 1.0–1.2 when the system works — the tank pressure apr01 and the line pressure apr02
 * in Pa. Fuelling is busier by day, with morning and evening peaks.
 */
import type { Source } from '../../server/domain/registry';
import { chance, clamp, normal, type Rng } from '../random';
import { bump, chinaDate, plateau } from '../time';
import { round, type KindSample } from './sample';

export const NOZZLES = ['avr01', 'avr02', 'avr03', 'avr04'] as const;
export const VAPOUR_FACTORS = [...NOZZLES, 'apr01', 'apr02'] as const;

/** Probability that a nozzle is fuelling at this hour. */
export function fuellingProbability(hour: number): number {
  return clamp(0.06 + 0.5 * plateau(hour, 6.5, 21.5) + 0.2 * bump(hour, 8, 1.2) + 0.2 * bump(hour, 18, 1.5), 0, 0.9);
}

export function vapourSample(_source: Source, at: number, rng: Rng): KindSample {
  const hour = chinaDate(at).hour;
  const p = fuellingProbability(hour);
  const sample: KindSample = {};
  let fuelling = 0;
  for (const nozzle of NOZZLES) {
    if (!chance(rng, p)) continue;
    fuelling += 1;
    sample[nozzle] = { rtd: round(clamp(normal(rng, 1.1, 0.035), 1.01, 1.19), 2) };
  }
  // The tank breathes with the day's temperature; returned vapour raises it while fuelling.
  const daily = 40 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
  const tank = clamp(daily + 12 * fuelling - 15 + normal(rng, 0, 8), -100, 100);
  // The vacuum-assist pump pulls the line below the tank while any nozzle is fuelling.
  const line = fuelling > 0 ? tank - 120 - 25 * fuelling + normal(rng, 0, 10) : tank + normal(rng, 0, 3);
  sample.apr01 = { rtd: round(tank, 1) };
  sample.apr02 = { rtd: round(line, 1) };
  return sample;
}
