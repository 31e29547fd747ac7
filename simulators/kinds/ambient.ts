/**
 * Ambient air-quality station (µg/m³; CO mg/m³): O3 builds up in sunlight and peaks mid-afternoon,
 * strongly in the May–September ozone season; NO2 and CO peak with the morning and evening rush
 * hours; PM2.5 is higher in winter and PM10 exceeds it. Day-to-day weather is a stable pseudo-random
 * factor per day shared by the whole city, so stations agree with each other.
 */
import type { Source } from '../../server/domain/registry';
import { clamp, hashUnit, normal, type Rng } from '../random';
import { bump, chinaDate, summerness } from '../time';
import { round, type KindSample } from './sample';

export const AMBIENT_FACTORS = ['a05024', 'a21004', 'a34004', 'a34002', 'a21005'] as const;

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

export function ambientSample(source: Source, at: number, rng: Rng): KindSample {
  const { hour, month, dayIndex } = chinaDate(at);
  const station = hashUnit(`station-${source.mn}`);
  const s = summerness(month);
  const winter = 1 + 0.6 * (1 - s);
  const rush = bump(hour, 8, 1.3) + bump(hour, 18.5, 1.8);
  const no2 = (16 + 10 * station + 32 * rush + 10 * bump(hour, 23, 3)) * winter * normal(rng, 1, 0.06);
  const dayPm = 0.7 + 0.6 * hashUnit(`pm-day-${dayIndex}`);
  const pm25 = (28 + 50 * (1 - s)) * dayPm * (1 + 0.25 * bump(hour, 8, 2) + 0.2 * bump(hour, 21, 3)) * normal(rng, 1, 0.05);
  const co = (0.45 + (0.35 * rush) / 2) * winter * normal(rng, 1, 0.05);
  return {
    a05024: { rtd: round(ozone(hour, ozonePeak(month, dayIndex), station, rng), 0) },
    a21004: { rtd: round(clamp(no2, 3, 300), 0) },
    a34004: { rtd: round(clamp(pm25, 3, 500), 0) },
    a34002: { rtd: round(clamp(pm25 * (1.6 + 0.3 * station), 5, 800), 0) },
    a21005: { rtd: round(clamp(co, 0.1, 5), 2) },
  };
}
