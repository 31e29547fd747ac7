/**
 * Ambient air-quality station, the six pollutants of the AQI (HJ 633) by their HJ 212 codes
 * (DOMAIN §2; µg/m³, CO mg/m³): O3 builds up in sunlight and peaks mid-afternoon, strongly in the
 * May–September ozone season; NO2 and CO peak with the morning and evening rush hours; SO2 is
 * mostly coal heating (November–March) and peaks in the late morning, when the inversion breaks up
 * and elevated plumes mix down; PM2.5 is higher in winter and PM10 exceeds it. Day-to-day weather is
 * a stable pseudo-random factor per day shared by the whole city, so stations agree with each other.
 *
 * Winter PM2.5 episodes (the demo's heavy-pollution days): in November–February, stagnant weather
 * every 15 days (the first day of the cycle is 1 Dec 2026) lets PM2.5 build up over five days to
 * heavy levels (daily means ≈ 100 → 250 µg/m³, mostly secondary fine particles: PM10 rises less),
 * with NO2, CO and SO2 up too, until a cold front clears it on the sixth day.
 *
 * Wind (a01008, degrees the wind comes from; a01007, m/s), which the hotspot alerts use to mark the
 * sources upwind of a station: a prevailing direction per day shared by the city, veering a little
 * through the day; light southerlies in an episode's stagnant days, a strong northerly on the day the
 * front clears it.
 */
import type { Source } from '../../server/domain/registry';
import { clamp, hashUnit, normal, type Rng } from '../random';
import { bump, chinaDate, summerness } from '../time';
import { round, type KindSample } from './sample';

export const AMBIENT_FACTORS = ['a05024', 'a21004', 'a34004', 'a34002', 'a21005', 'a21026'] as const;
/** Meteorological factors a station sends beside the pollutants. */
export const WIND_FACTORS = ['a01008', 'a01007'] as const;

/** PM multiplier of each day of a winter episode (then cleared). */
const EPISODE = [1.4, 2, 2.6, 3.1, 3.4] as const;
const EPISODE_CYCLE_DAYS = 15;
/** Shifts the cycle so that 1 Dec 2026 (China time) starts an episode. */
const EPISODE_PHASE = 2;
const HEATING_MONTHS = new Set([11, 12, 1, 2, 3]);

/** The PM2.5 multiplier of the winter episode on the day of `at` (1: no episode). */
export function pmEpisode(at: number): number {
  const { month, dayIndex } = chinaDate(at);
  if (!(month === 11 || month === 12 || month === 1 || month === 2)) return 1;
  return EPISODE[(dayIndex + EPISODE_PHASE) % EPISODE_CYCLE_DAYS] ?? 1;
}

/** The daily maximum of 1-h O3 for this day: ~125–190 µg/m³ in summer, ~60–90 in winter. */
export function ozonePeak(month: number, dayIndex: number): number {
  const weather = hashUnit(`o3-day-${dayIndex}`);
  return (50 + 115 * summerness(month)) * (0.75 + 0.4 * weather);
}

function ozone(hour: number, peak: number, station: number, rng: Rng): number {
  const night = 25 + 15 * station;
  // Photochemistry: rises after sunrise, peaks about 15:00, titrated by NO at night.
  const value = night + (peak - night) * bump(hour, 15, 3.2);
  return clamp(value * normal(rng, 1, 0.04), 2, 400);
}

/** The wind at `at`: direction (° from, 0–359) and speed (m/s). */
export function wind(at: number, rng: Rng): { direction: number; speed: number } {
  const { hour, dayIndex } = chinaDate(at);
  const episode = pmEpisode(at);
  const clearing = episode === 1 && pmEpisode(at - 86_400_000) > 1;
  const prevailing =
    episode > 1 ? 180 + 40 * (hashUnit(`wind-day-${dayIndex}`) - 0.5) : clearing ? 350 : 360 * hashUnit(`wind-day-${dayIndex}`);
  const direction = (prevailing + 25 * Math.sin((hour / 24) * 2 * Math.PI) + normal(rng, 0, 12) + 720) % 360;
  const base = episode > 1 ? 1.2 : clearing ? 6.5 : 2.5 + 2 * hashUnit(`wind-speed-${dayIndex}`);
  return { direction: Math.round(direction) % 360, speed: round(clamp(base * normal(rng, 1, 0.15), 0.2, 15), 1) };
}

export function ambientSample(source: Source, at: number, rng: Rng): KindSample {
  const { hour, month, dayIndex } = chinaDate(at);
  const station = hashUnit(`station-${source.mn}`);
  const s = summerness(month);
  const winter = 1 + 0.6 * (1 - s);
  const rush = bump(hour, 8, 1.3) + bump(hour, 18.5, 1.8);
  const episode = pmEpisode(at);
  // Stagnation raises the gases too, less than the (secondary) fine particles.
  const stagnant = 1 + 0.3 * (episode - 1);
  const no2 = (16 + 10 * station + 32 * rush + 10 * bump(hour, 23, 3)) * winter * stagnant * normal(rng, 1, 0.06);
  // In an episode the stagnant weather decides, not the day's usual variation.
  const dayPm = episode > 1 ? 1 : 0.7 + 0.6 * hashUnit(`pm-day-${dayIndex}`);
  const pm25 = (28 + 50 * (1 - s)) * dayPm * episode * (1 + 0.25 * bump(hour, 8, 2) + 0.2 * bump(hour, 21, 3)) * normal(rng, 1, 0.05);
  // PM10/PM2.5 ≈ 1.6–1.9 normally, nearer 1.3 when secondary fine particles dominate.
  const coarse = episode > 1 ? 1.3 + 0.1 * station : 1.6 + 0.3 * station;
  const co = (0.45 + (0.35 * rush) / 2) * winter * stagnant * normal(rng, 1, 0.05);
  const heating = HEATING_MONTHS.has(month) ? 1 : 0;
  const so2 = (5 + 4 * station + 20 * heating) * (1 + 0.6 * bump(hour, 10, 2)) * stagnant * normal(rng, 1, 0.06);
  const w = wind(at, rng);
  return {
    a05024: { rtd: round(ozone(hour, ozonePeak(month, dayIndex), station, rng), 0) },
    a21004: { rtd: round(clamp(no2, 3, 300), 0) },
    a34004: { rtd: round(clamp(pm25, 3, 500), 0) },
    a34002: { rtd: round(clamp(pm25 * coarse, 5, 800), 0) },
    a21005: { rtd: round(clamp(co, 0.1, 8), 2) },
    a21026: { rtd: round(clamp(so2, 2, 300), 0) },
    a01008: { rtd: w.direction },
    a01007: { rtd: w.speed },
  };
}
