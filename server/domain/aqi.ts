/**
 * Air quality index (HJ 633-2012) and the statistics of GB 3095-2012 / HJ 663-2013 (DOMAIN §7).
 * Pure: concentrations in µg/m³ (CO in mg/m³), hours as epoch ms of their start.
 *
 * IAQI = (IAQI_hi − IAQI_lo) / (BP_hi − BP_lo) × (C − BP_lo) + IAQI_lo between the two breakpoints
 * around C, rounded up to a whole number (HJ 633: IAQI and AQI are whole numbers, carried up).
 * AQI = the largest IAQI. Above an index's last breakpoint there is no IAQI (null), except:
 * - the O3 8-h mean above 800 µg/m³: HJ 633 table 1 note 4 uses the O3 1-h IAQI instead;
 * - SO2 1-h above 800 µg/m³: note 2 — the 1-h table ends there and the SO2 24-h IAQI is reported
 *   (in the hourly AQI: the 24-h IAQI of the moving 24-h mean ending with that hour, when valid).
 *
 * Hourly AQI (HJ 633 §5 real-time report, 实时报): SO2, NO2, CO, O3 from their 1-h means on the 1-h
 * tables; PM10 and PM2.5 have no 1-h table in HJ 633, and the real-time release (the national
 * platform's practice since 2013) rates their 1-h means on the 24-h table — chosen here because it
 * needs nothing but the hour itself and is what the published hourly figures of the period show.
 * Daily AQI (日报): SO2, NO2, PM10, PM2.5, CO 24-h means on the 24-h tables, O3 daily maximum 1-h
 * mean on the 1-h table and daily maximum 8-h moving mean on the 8-h table.
 *
 * Precision (HJ 663-2013 table 3, the precision HJ 633's tables are given in): SO2, NO2, PM10,
 * PM2.5, O3 in whole µg/m³, CO in mg/m³ to one decimal, rounded by GB/T 8170 (round half to even) —
 * the hour values before any statistic, the statistic (8-h mean, 24-h mean) again — before IAQI.
 * Validity (GB 3095-2012 table 4 / HJ 663 table 2): a 24-h mean needs ≥ 20 valid hours, an 8-h mean
 * ≥ 6; the daily maximum 8-h mean is valid with ≥ 14 valid 8-h means in the day, or when it is an
 * exceedance anyway (HJ 663 §5.2). The daily maximum 1-h O3 has no count of its own in the
 * standards: it is given from any valid hour and marked valid with ≥ 20 (as the 24-h means).
 */

import { DAY_MS, HOUR_MS } from './local-time';
import { roundGbt8170 } from './rounding';

export { roundGbt8170 } from './rounding';

/** The indices (pollutant and averaging time) HJ 633 table 1 gives breakpoints for. */
export const AQI_POLLUTANTS = [
  'o3_1h',
  'o3_8h',
  'no2_1h',
  'pm25_24h',
  'so2_1h',
  'so2_24h',
  'no2_24h',
  'pm10_24h',
  'co_1h',
  'co_24h',
  'pm10_1h',
  'pm25_1h',
] as const;
export type AqiPollutant = (typeof AQI_POLLUTANTS)[number];

/** IAQI at each breakpoint. */
export const IAQI_STEPS = [0, 50, 100, 150, 200, 300, 400, 500] as const;

/** Concentration breakpoints (µg/m³) at IAQI_STEPS (the O3 8-h table stops at IAQI 300). */
export const AQI_BREAKPOINTS: Record<AqiPollutant, readonly number[]> = {
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 160, 215, 265, 800],
  no2_1h: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  pm25_24h: [0, 35, 75, 115, 150, 250, 350, 500],
  so2_1h: [0, 150, 500, 650, 800],
  so2_24h: [0, 50, 150, 475, 800, 1600, 2100, 2620],
  no2_24h: [0, 40, 80, 180, 280, 565, 750, 940],
  pm10_24h: [0, 50, 150, 250, 350, 420, 500, 600],
  co_1h: [0, 5, 10, 35, 60, 90, 120, 150],
  co_24h: [0, 2, 4, 14, 24, 36, 48, 60],
  // No 1-h table in HJ 633: the real-time release rates PM 1-h means on the 24-h table (see above).
  pm10_1h: [0, 50, 150, 250, 350, 420, 500, 600],
  pm25_1h: [0, 35, 75, 115, 150, 250, 350, 500],
};

/** Decimals each concentration is rounded to (HJ 663-2013 table 3: µg/m³ whole numbers). */
export const AQI_DECIMALS: Record<AqiPollutant, number> = {
  o3_1h: 0,
  o3_8h: 0,
  no2_1h: 0,
  pm25_24h: 0,
  so2_1h: 0,
  so2_24h: 0,
  no2_24h: 0,
  pm10_24h: 0,
  co_1h: 1,
  co_24h: 1,
  pm10_1h: 0,
  pm25_1h: 0,
};
/** CO (mg/m³) to one decimal (HJ 663-2013 table 3). */
export const CO_DECIMALS = 1;

/** A concentration at its HJ 663 precision. */
export const roundConcentration = (pollutant: AqiPollutant, c: number): number => roundGbt8170(c, AQI_DECIMALS[pollutant]);

/** Above this O3 8-h mean HJ 633 switches to the O3 1-h IAQI. */
export const O3_8H_SWITCH = 800;
/** An ozone exceedance day: daily maximum 8-h mean above this (GB 3095-2012 grade II). */
export const O3_8H_DAILY_LIMIT = 160;
/** An 8-h mean needs at least this many valid hour means (GB 3095-2012). */
export const MIN_VALID_HOURS_8H = 6;
/** The daily maximum 8-h mean needs this many valid 8-h means of the day's 17, unless an exceedance (HJ 663). */
export const MIN_VALID_8H_MEANS_DAY = 14;

/** IAQI of one pollutant (the concentration rounded first), or null for a negative / non-finite value or one above the table. */
export function iaqi(pollutant: AqiPollutant, raw: number): number | null {
  if (!Number.isFinite(raw) || raw < 0) return null;
  const c = roundConcentration(pollutant, raw);
  const bp = AQI_BREAKPOINTS[pollutant];
  for (let i = 1; i < bp.length; i++) {
    const hi = bp[i] as number;
    if (c <= hi) {
      const lo = bp[i - 1] as number;
      const iLo = IAQI_STEPS[i - 1] as number;
      const iHi = IAQI_STEPS[i] as number;
      const exact = ((iHi - iLo) / (hi - lo)) * (c - lo) + iLo;
      // Carry up, but not a float artefact (160.0000000001 → 101 would be wrong at a breakpoint).
      return Math.max(0, Math.ceil(exact - 1e-9));
    }
  }
  return null;
}

/** O3 8-h IAQI; above 800 µg/m³ the 1-h IAQI (HJ 633 note), null if that is unknown. */
export function o3EightHourIaqi(o3_8h: number, o3_1h: number | null): number | null {
  if (roundConcentration('o3_8h', o3_8h) > O3_8H_SWITCH) return o3_1h === null ? null : iaqi('o3_1h', o3_1h);
  return iaqi('o3_8h', o3_8h);
}

export interface AqiResult {
  aqi: number;
  /** Pollutants whose IAQI is the AQI, when the AQI is above 50 (首要污染物); empty otherwise. */
  primary: AqiPollutant[];
}

/** AQI = max IAQI over the pollutants given (nulls ignored); null when none is known. */
export function aqiOf(iaqis: Partial<Record<AqiPollutant, number | null>>): AqiResult | null {
  const known = Object.entries(iaqis).filter((e): e is [AqiPollutant, number] => typeof e[1] === 'number');
  if (known.length === 0) return null;
  const aqi = Math.max(...known.map(([, v]) => v));
  return { aqi, primary: aqi > 50 ? known.filter(([, v]) => v === aqi).map(([p]) => p) : [] };
}

export interface AqiLevel {
  /** 1 (优) … 6 (严重). */
  level: 1 | 2 | 3 | 4 | 5 | 6;
  zh: string;
  en: string;
  colour: string;
  /** Inclusive AQI range of the level (the last one is open-ended). */
  min: number;
  max: number | null;
}

export const AQI_LEVELS: readonly AqiLevel[] = [
  { level: 1, zh: '优', en: 'Excellent', colour: '#00E400', min: 0, max: 50 },
  { level: 2, zh: '良', en: 'Good', colour: '#FFFF00', min: 51, max: 100 },
  { level: 3, zh: '轻度污染', en: 'Lightly polluted', colour: '#FF7E00', min: 101, max: 150 },
  { level: 4, zh: '中度污染', en: 'Moderately polluted', colour: '#FF0000', min: 151, max: 200 },
  { level: 5, zh: '重度污染', en: 'Heavily polluted', colour: '#99004C', min: 201, max: 300 },
  { level: 6, zh: '严重污染', en: 'Severely polluted', colour: '#7E0023', min: 301, max: null },
];

/** The level of a (whole-number) AQI or IAQI. */
export function aqiLevel(aqi: number): AqiLevel {
  return AQI_LEVELS.find((l) => l.max === null || aqi <= l.max) as AqiLevel;
}

/** An hour mean: the hour's start (epoch ms) and its valid mean, or null when the hour is not valid. */
export interface HourMean {
  hour: number;
  value: number | null;
}

export interface EightHourMean {
  /** Start of the last hour of the window (the window is [endHour − 7 h, endHour + 1 h)). */
  endHour: number;
  value: number;
  validHours: number;
}

/**
 * The 8-h moving mean ending with the hour `endHour` (that hour and the 7 before it), from hour
 * means keyed by hour start; null with fewer than 6 valid hours. Hour values are rounded to whole
 * µg/m³ before, and the mean after (HJ 663).
 */
export function eightHourMean(hours: ReadonlyMap<number, number>, endHour: number): EightHourMean | null {
  let sum = 0;
  let n = 0;
  for (let h = endHour - 7 * HOUR_MS; h <= endHour; h += HOUR_MS) {
    const v = hours.get(h);
    if (v === undefined) continue;
    sum += roundConcentration('o3_8h', v);
    n++;
  }
  return n >= MIN_VALID_HOURS_8H ? { endHour, value: roundConcentration('o3_8h', sum / n), validHours: n } : null;
}

/** The daily maximum 8-h mean and how many of the day's windows had a valid 8-h mean. */
export interface DailyMax8h extends EightHourMean {
  validMeans: number;
}

/**
 * Daily maximum 8-h mean (HJ 663): the largest of the 8-h moving means whose windows lie within
 * the local day [dayStart, dayStart + 24 h) — those ending at 07:00 … 23:00, i.e. 00–08 … 16–24 —
 * counting only windows ending before `until` (today: hours not yet over are left out).
 */
export function dailyMax8h(hours: ReadonlyMap<number, number>, dayStart: number, until = Number.POSITIVE_INFINITY): DailyMax8h | null {
  let best: EightHourMean | null = null;
  let validMeans = 0;
  for (let end = dayStart + 7 * HOUR_MS; end < dayStart + DAY_MS && end + HOUR_MS <= until; end += HOUR_MS) {
    const m = eightHourMean(hours, end);
    if (m) validMeans++;
    if (m && (!best || m.value > best.value)) best = m;
  }
  return best ? { ...best, validMeans } : null;
}

/** HJ 663: a day's maximum 8-h mean counts with ≥ 14 valid 8-h means, or with fewer when it exceeds the limit anyway. */
export const isValidDailyMax8h = (m: DailyMax8h, limit = O3_8H_DAILY_LIMIT): boolean =>
  m.validMeans >= MIN_VALID_8H_MEANS_DAY || isO3ExceedanceDay(m.value, limit);

/** Is this daily maximum 8-h O3 mean (rounded to whole µg/m³ first) an exceedance (> 160 µg/m³)? */
export function isO3ExceedanceDay(dailyMax8hValue: number, limit = O3_8H_DAILY_LIMIT): boolean {
  return roundConcentration('o3_8h', dailyMax8hValue) > limit;
}
