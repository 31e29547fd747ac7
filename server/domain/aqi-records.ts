/**
 * Hourly and daily AQI of a station or a scope (HJ 633 §5, HJ 663 §5), from the valid hour means
 * of the six pollutants: the indices at HJ 663 precision and validity, the AQI over the valid ones,
 * level and primary pollutants; a scope averages each pollutant over its valid stations first.
 * The breakpoints, IAQI and the ozone statistics are ./aqi.ts (see its comment for the choices).
 */
import {
  aqiLevel,
  aqiOf,
  dailyMax8h,
  iaqi,
  isValidDailyMax8h,
  o3EightHourIaqi,
  roundConcentration,
  type AqiLevel,
  type AqiPollutant,
} from './aqi';
import { DAY_MS, HOUR_MS } from './local-time';

/** The six pollutants of an ambient station (HJ 633). */
export const AIR_POLLUTANTS = ['so2', 'no2', 'pm10', 'pm25', 'co', 'o3'] as const;
export type AirPollutant = (typeof AIR_POLLUTANTS)[number];

/** HJ 212-2017 factor code each is sent as by an ambient station (DOMAIN §2; CO in mg/m³, the rest µg/m³). */
export const AIR_FACTORS: Record<AirPollutant, string> = {
  so2: 'a21026',
  no2: 'a21004',
  pm10: 'a34002',
  pm25: 'a34004',
  co: 'a21005',
  o3: 'a05024',
};

/** The indices of the hourly AQI (实时报), in report order. */
export const HOURLY_INDICES = ['so2_1h', 'no2_1h', 'pm10_1h', 'pm25_1h', 'co_1h', 'o3_1h'] as const;
/** The indices of the daily AQI (日报): 24-h means, and O3's daily maximum 1-h and 8-h means. */
export const DAILY_INDICES = ['so2_24h', 'no2_24h', 'pm10_24h', 'pm25_24h', 'co_24h', 'o3_1h', 'o3_8h'] as const;

/** The pollutant an index is of. */
export const pollutantOf = (index: AqiPollutant): AirPollutant => index.split('_')[0] as AirPollutant;

/** A 24-h mean needs at least this many valid hour means (GB 3095-2012 table 4). */
export const MIN_VALID_HOURS_24H = 20;
/** SO2 1-h table ends here; above it the 24-h IAQI is reported (HJ 633 table 1 note 2). */
export const SO2_1H_SWITCH = 800;
/** GB 3095-2012 grade II O3 1-h limit: a daily maximum 1-h above it counts even with few hours. */
export const O3_1H_LIMIT = 200;

/** Valid hour means of each pollutant, hour start → mean (an hour not in the map is not valid). */
export type HourSeries = Partial<Record<AirPollutant, ReadonlyMap<number, number>>>;

/** One index of an AQI record: the concentration at HJ 663 precision, its IAQI, and whether it counts. */
export interface IndexValue {
  /** µg/m³ (CO mg/m³); null when there is nothing to compute it from. */
  value: number | null;
  /** Null when the value is unknown, not valid or beyond the table. */
  iaqi: number | null;
  /** Meets HJ 663 validity; only valid indices enter the AQI. */
  valid: boolean;
  /** Valid hours (24-h means, daily maximum 1-h), valid 8-h means (daily maximum 8-h) or stations (scope rows) behind it. */
  count: number;
}

export interface AqiRecord {
  aqi: number | null;
  level: AqiLevel | null;
  /** 首要污染物: every index whose IAQI is the AQI, when the AQI is above 50. */
  primary: AqiPollutant[];
  indices: Partial<Record<AqiPollutant, IndexValue>>;
  /** Every index of the interval is valid. */
  complete: boolean;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Values of a series in [from, to), each rounded to the index's precision first (HJ 663). */
function valuesIn(series: ReadonlyMap<number, number> | undefined, index: AqiPollutant, from: number, to: number): number[] {
  const out: number[] = [];
  if (!series) return out;
  for (let h = from; h < to; h += HOUR_MS) {
    const v = series.get(h);
    if (v !== undefined && Number.isFinite(v) && v >= 0) out.push(roundConcentration(index, v));
  }
  return out;
}

/** The mean of a series over [from, to) at the index's precision; valid with ≥ `need` hours. */
export function periodMean(
  series: ReadonlyMap<number, number> | undefined,
  index: AqiPollutant,
  from: number,
  to: number,
  need = MIN_VALID_HOURS_24H,
): IndexValue {
  const xs = valuesIn(series, index, from, to);
  if (xs.length === 0) return { value: null, iaqi: null, valid: false, count: 0 };
  const value = roundConcentration(index, mean(xs));
  const valid = xs.length >= need;
  return { value, iaqi: valid ? iaqi(index, value) : null, valid, count: xs.length };
}

/** An AQI record from its indices: the AQI over the valid ones, level, primary pollutants. */
export function recordOf(indices: Partial<Record<AqiPollutant, IndexValue>>, expected: readonly AqiPollutant[]): AqiRecord {
  const a = aqiOf(Object.fromEntries(Object.entries(indices).map(([k, v]) => [k, v.valid ? v.iaqi : null])));
  return {
    aqi: a?.aqi ?? null,
    level: a ? aqiLevel(a.aqi) : null,
    primary: a?.primary ?? [],
    indices,
    complete: expected.every((k) => indices[k]?.valid === true),
  };
}

/** SO2 1-h IAQI: the 1-h table up to 800 µg/m³, above it the IAQI of the SO2 24-h mean given (null: unknown). */
export function so2HourIaqi(so2_1h: number, so2_24h: number | null): number | null {
  if (roundConcentration('so2_1h', so2_1h) > SO2_1H_SWITCH) return so2_24h === null ? null : iaqi('so2_24h', so2_24h);
  return iaqi('so2_1h', so2_1h);
}

/**
 * The hourly AQI of the hour starting at `hour` (实时报) from the hour means of the six pollutants.
 * An index is valid when its hour is. SO2 above 800 µg/m³ takes the IAQI of the 24-h moving mean
 * ending with the hour (needs ≥ 20 valid hours; otherwise no SO2 IAQI that hour).
 */
export function hourlyAqi(series: HourSeries, hour: number): AqiRecord {
  const indices: Partial<Record<AqiPollutant, IndexValue>> = {};
  for (const index of HOURLY_INDICES) {
    const raw = series[pollutantOf(index)]?.get(hour);
    if (raw === undefined || !Number.isFinite(raw) || raw < 0) {
      indices[index] = { value: null, iaqi: null, valid: false, count: 0 };
      continue;
    }
    const value = roundConcentration(index, raw);
    let sub: number | null;
    if (index === 'so2_1h') {
      const day = periodMean(series.so2, 'so2_24h', hour - 23 * HOUR_MS, hour + HOUR_MS);
      sub = so2HourIaqi(value, day.valid ? day.value : null);
    } else sub = iaqi(index, value);
    indices[index] = { value, iaqi: sub, valid: true, count: 1 };
  }
  return recordOf(indices, HOURLY_INDICES);
}

/**
 * The daily AQI of the local day starting at `dayStart` (日报) from hour means, counting only hours
 * that end by `until` (a day not over yet: its hours so far). 24-h means need ≥ 20 valid hours; the
 * daily maximum 1-h O3 ≥ 20 hours or above 200 µg/m³; the daily maximum 8-h O3 ≥ 14 valid 8-h means
 * or an exceedance (> 160 µg/m³); its IAQI above 800 µg/m³ is that of the daily maximum 1-h.
 */
export function dailyAqi(series: HourSeries, dayStart: number, until = Number.POSITIVE_INFINITY): AqiRecord {
  const end = Math.min(dayStart + DAY_MS, Math.floor((until - dayStart) / HOUR_MS) * HOUR_MS + dayStart);
  const indices: Partial<Record<AqiPollutant, IndexValue>> = {};
  for (const index of ['so2_24h', 'no2_24h', 'pm10_24h', 'pm25_24h', 'co_24h'] as const) {
    indices[index] = periodMean(series[pollutantOf(index)], index, dayStart, end);
  }
  const o3Hours = valuesIn(series.o3, 'o3_1h', dayStart, end);
  const max1h = o3Hours.length > 0 ? Math.max(...o3Hours) : null;
  const valid1h = max1h !== null && (o3Hours.length >= MIN_VALID_HOURS_24H || max1h > O3_1H_LIMIT);
  indices.o3_1h = { value: max1h, iaqi: valid1h ? iaqi('o3_1h', max1h) : null, valid: valid1h, count: o3Hours.length };
  const o3 = series.o3 ? dailyMax8h(series.o3, dayStart, until) : null;
  const valid8h = o3 !== null && isValidDailyMax8h(o3);
  indices.o3_8h = {
    value: o3?.value ?? null,
    iaqi: o3 && valid8h ? o3EightHourIaqi(o3.value, max1h) : null,
    valid: valid8h,
    count: o3?.validMeans ?? 0,
  };
  return recordOf(indices, DAILY_INDICES);
}

/**
 * A scope's hour series (district, city; HJ 663 §5.3): each pollutant's hour mean is the arithmetic
 * mean of the stations valid in that hour (their values at HJ 663 precision first), then rounded.
 */
export function scopeHourSeries(stations: readonly HourSeries[]): HourSeries {
  const out: HourSeries = {};
  for (const p of AIR_POLLUTANTS) {
    const index: AqiPollutant = `${p}_1h`;
    const acc = new Map<number, number[]>();
    for (const s of stations) {
      for (const [h, v] of s[p] ?? []) {
        if (!Number.isFinite(v) || v < 0) continue;
        const xs = acc.get(h) ?? [];
        xs.push(roundConcentration(index, v));
        acc.set(h, xs);
      }
    }
    out[p] = new Map([...acc].sort((a, b) => a[0] - b[0]).map(([h, xs]) => [h, roundConcentration(index, mean(xs))]));
  }
  return out;
}

/**
 * A scope's daily record from its stations' daily records: each index's value is the mean of the
 * stations where it is valid (rounded to HJ 663 precision), and the IAQI and AQI are computed from
 * those means — not the mean of the stations' AQIs (HJ 633 / HJ 663 practice). `count` is the
 * number of stations behind each index.
 */
export function scopeDailyAqi(stations: readonly AqiRecord[]): AqiRecord {
  const indices: Partial<Record<AqiPollutant, IndexValue>> = {};
  for (const index of DAILY_INDICES) {
    const xs = stations.map((r) => r.indices[index]).filter((v): v is IndexValue => v?.valid === true && v.value !== null);
    if (xs.length === 0) {
      indices[index] = { value: null, iaqi: null, valid: false, count: 0 };
      continue;
    }
    const value = roundConcentration(index, mean(xs.map((v) => v.value as number)));
    indices[index] = { value, iaqi: null, valid: true, count: xs.length };
  }
  for (const index of DAILY_INDICES) {
    const v = indices[index] as IndexValue;
    if (v.value === null) continue;
    v.iaqi = index === 'o3_8h' ? o3EightHourIaqi(v.value, indices.o3_1h?.value ?? null) : iaqi(index, v.value);
  }
  return recordOf(indices, DAILY_INDICES);
}
