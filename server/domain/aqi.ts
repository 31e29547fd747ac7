/**
 * Air quality index (HJ 633-2012) and the ozone statistics of GB 3095-2012 / HJ 663 (DOMAIN §7).
 * Pure: concentrations in µg/m³, hours as epoch ms of their start.
 *
 * IAQI = (IAQI_hi − IAQI_lo) / (BP_hi − BP_lo) × (C − BP_lo) + IAQI_lo between the two breakpoints
 * around C, rounded up to a whole number (HJ 633: IAQI and AQI are whole numbers, carried up).
 * AQI = the largest IAQI. Above an index's last breakpoint there is no IAQI (null), except the
 * O3 8-h mean above 800 µg/m³, for which HJ 633 uses the O3 1-h IAQI instead.
 */

export const AQI_POLLUTANTS = ['o3_1h', 'o3_8h', 'no2_1h', 'pm25_24h'] as const;
export type AqiPollutant = (typeof AQI_POLLUTANTS)[number];

/** IAQI at each breakpoint. */
export const IAQI_STEPS = [0, 50, 100, 150, 200, 300, 400, 500] as const;

/** Concentration breakpoints (µg/m³) at IAQI_STEPS (the O3 8-h table stops at IAQI 300). */
export const AQI_BREAKPOINTS: Record<AqiPollutant, readonly number[]> = {
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 160, 215, 265, 800],
  no2_1h: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  pm25_24h: [0, 35, 75, 115, 150, 250, 350, 500],
};

/** Above this O3 8-h mean HJ 633 switches to the O3 1-h IAQI. */
export const O3_8H_SWITCH = 800;
/** An ozone exceedance day: daily maximum 8-h mean above this (GB 3095-2012 grade II). */
export const O3_8H_DAILY_LIMIT = 160;
/** An 8-h mean needs at least this many valid hour means (GB 3095-2012). */
export const MIN_VALID_HOURS_8H = 6;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** IAQI of one pollutant, or null for a negative / non-finite value or one above the table. */
export function iaqi(pollutant: AqiPollutant, c: number): number | null {
  if (!Number.isFinite(c) || c < 0) return null;
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
  if (o3_8h > O3_8H_SWITCH) return o3_1h === null ? null : iaqi('o3_1h', o3_1h);
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
 * means keyed by hour start; null with fewer than 6 valid hours.
 */
export function eightHourMean(hours: ReadonlyMap<number, number>, endHour: number): EightHourMean | null {
  let sum = 0;
  let n = 0;
  for (let h = endHour - 7 * HOUR_MS; h <= endHour; h += HOUR_MS) {
    const v = hours.get(h);
    if (v !== undefined) (sum += v), n++;
  }
  return n >= MIN_VALID_HOURS_8H ? { endHour, value: sum / n, validHours: n } : null;
}

/**
 * Daily maximum 8-h mean (HJ 663): the largest of the 8-h moving means whose windows lie within
 * the local day [dayStart, dayStart + 24 h) — those ending at 07:00 … 23:00, i.e. 00–08 … 16–24 —
 * counting only windows ending before `until` (today: hours not yet over are left out).
 */
export function dailyMax8h(hours: ReadonlyMap<number, number>, dayStart: number, until = Number.POSITIVE_INFINITY): EightHourMean | null {
  let best: EightHourMean | null = null;
  for (let end = dayStart + 7 * HOUR_MS; end < dayStart + DAY_MS && end + HOUR_MS <= until; end += HOUR_MS) {
    const m = eightHourMean(hours, end);
    if (m && (!best || m.value > best.value)) best = m;
  }
  return best;
}

/** Is this daily maximum 8-h O3 mean an exceedance (> 160 µg/m³)? */
export const isO3ExceedanceDay = (dailyMax8hValue: number, limit = O3_8H_DAILY_LIMIT): boolean => dailyMax8hValue > limit;
