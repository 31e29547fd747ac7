/**
 * The issue-16 kinds in normal operation.
 *
 * Catering fumes (餐饮油烟): afm01 in mg/m³ at the kitchen's exhaust, higher at lunch and dinner.
 * Where the registry names the kitchen's exhaust fan (a production line on this logger) and its
 * purifier (a treatment facility serving the fan), the fumes follow them: near 0 while the fan is
 * off, 0.2–0.9 behind a working purifier, 3.5–6.5 (a purifier removes ~90 %) while the fan runs
 * with the purifier off. Without facilities, the plain lunch/dinner curve behind a purifier.
 *
 * Construction dust (施工扬尘): PM10 (a34002) and TSP (a34001) at the site boundary in µg/m³: the
 * ambient background at night, working hours 07:00–19:00 on top, and earthwork (excavation, trucks
 * leaving) peaking mid-morning and mid-afternoon; TSP about 1.6 × PM10.
 *
 * A working-condition logger (condition) sends the signals of the facilities that name it (added
 * by the logger, facility.ts); one no facility names sends the running state and power of channel 01.
 */
import type { Source } from '../../server/domain/registry';
import { clamp, normal, type Rng } from '../random';
import { bump, chinaDate, plateau } from '../time';
import { cooking, facilityRole, facilityRuns } from './facility';
import { round, type KindSample, type SampleContext } from './sample';

export const CATERING_FACTORS = ['afm01'] as const;
export const DUST_FACTORS = ['a34002', 'a34001'] as const;
export const CONDITION_FACTORS = ['grs01', 'gkw01'] as const;

export function cateringSample(source: Source, at: number, rng: Rng, ctx?: SampleContext): KindSample {
  const cook = cooking(at);
  const own = (ctx?.facilities ?? []).filter((f) => f.mn === source.mn);
  const fan = own.find((f) => facilityRole(f) === 'line');
  const purifier = own.find((f) => facilityRole(f) !== 'line' && facilityRole(f) !== 'meter');
  const conditions = ctx?.conditions ?? new Map();
  const byId = new Map(own.map((f) => [f.id, f]));
  if (fan && !facilityRuns(fan, source, at, conditions, byId)) {
    return { afm01: { rtd: round(clamp(normal(rng, 0.05, 0.02), 0.01, 0.15), 2) } };
  }
  if (purifier && !facilityRuns(purifier, source, at, conditions, byId)) {
    return { afm01: { rtd: round(clamp(normal(rng, 3.5 + 3 * cook, 0.3), 2.5, 8), 2) } };
  }
  return { afm01: { rtd: round(clamp(normal(rng, 0.15 + 0.6 * cook, 0.05), 0.02, 0.95), 2) } };
}

export function dustSample(_source: Source, at: number, rng: Rng): KindSample {
  const hour = chinaDate(at).hour;
  const work = plateau(hour, 7, 19);
  const earthwork = Math.max(bump(hour, 9.5, 1), bump(hour, 15, 1.2));
  // Below the rule pack's hourly PM10 line (dustMean.pm10HourMax 100) in normal work: only the upset crosses it.
  const pm10 = clamp(normal(rng, 40 + 30 * work + 25 * earthwork * work, 10), 15, 300);
  return { a34002: { rtd: Math.round(pm10) }, a34001: { rtd: Math.round(pm10 * normal(rng, 1.6, 0.1)) } };
}

export function conditionSample(source: Source, at: number, rng: Rng, ctx?: SampleContext): KindSample {
  if (ctx?.facilities.some((f) => f.mn === source.mn)) return {};
  const hour = chinaDate(at).hour;
  const load = 0.7 + 0.2 * bump(hour, 11, 4);
  return { grs01: { rtd: 1 }, gkw01: { rtd: round(normal(rng, 400 * load, 8), 2) } };
}
