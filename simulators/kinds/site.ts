/**
 * The issue-16 kinds in normal operation. Catering fumes (餐饮油烟): afm01 in mg/m³ behind a working
 * purifier, about 0.3–1 (limit 1.0 in GB 18483 style local rules), higher at lunch and dinner.
 * Construction dust (施工扬尘): PM10 and TSP at the site boundary in µg/m³, above the ambient
 * background by day (earthwork, trucks) and near it at night. A working-condition logger's own
 * facilities are drawn by the fleet from the registry's facilities (issue 16); on its own it sends
 * the running state and power of channel 01.
 */
import type { Source } from '../../server/domain/registry';
import { clamp, normal, type Rng } from '../random';
import { bump, chinaDate } from '../time';
import { round, type KindSample } from './sample';

export const CATERING_FACTORS = ['afm01'] as const;
export const DUST_FACTORS = ['a34002', 'a34001'] as const;
export const CONDITION_FACTORS = ['grs01', 'gkw01'] as const;

export function cateringSample(_source: Source, at: number, rng: Rng): KindSample {
  const hour = chinaDate(at).hour;
  const cooking = Math.max(bump(hour, 12, 1.2), bump(hour, 18.5, 1.5));
  return { afm01: { rtd: round(clamp(normal(rng, 0.15 + 0.6 * cooking, 0.05), 0.02, 0.95), 2) } };
}

export function dustSample(_source: Source, at: number, rng: Rng): KindSample {
  const hour = chinaDate(at).hour;
  const work = hour >= 7 && hour < 19 ? 1 : 0.2;
  const pm10 = clamp(normal(rng, 60 + 70 * work, 12), 15, 300);
  return { a34002: { rtd: Math.round(pm10) }, a34001: { rtd: Math.round(pm10 * normal(rng, 1.6, 0.1)) } };
}

export function conditionSample(_source: Source, at: number, rng: Rng): KindSample {
  const hour = chinaDate(at).hour;
  const load = 0.7 + 0.2 * bump(hour, 11, 4);
  return { grs01: { rtd: 1 }, gkw01: { rtd: round(normal(rng, 400 * load, 8), 2) } };
}
