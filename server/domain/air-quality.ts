/**
 * The air-quality REST contract (GET /api/air/aqi, issue 17), declared once for the server and the
 * dashboard: the query (zod) and the rows — hourly or daily AQI (HJ 633) of each ambient station, each
 * district, or the city, with every index's concentration, IAQI and HJ 663 validity.
 *
 * `from` and `to` are local calendar dates (the city's time, UTC+8: a day is 00:00–24:00 local),
 * both included; both default to today. An hour row covers [time, time + 1 h), a day row the local day.
 */
import { z } from 'zod';
import type { AqiLevel, AqiPollutant } from './aqi';
import type { IndexValue } from './aqi-records';
import { parseLocalDate } from './local-time';

export const AQI_SCOPES = ['station', 'district', 'city'] as const;
export type AqiScope = (typeof AQI_SCOPES)[number];
export const AQI_INTERVALS = ['hour', 'day'] as const;
export type AqiInterval = (typeof AQI_INTERVALS)[number];

/** The longest range one request may ask for, in days. */
export const AQI_MAX_DAYS: Record<AqiInterval, number> = { hour: 31, day: 366 };

const localDate = z.string().refine((s) => parseLocalDate(s, 0) !== null, 'must be a date YYYY-MM-DD');

export const aqiQuerySchema = z
  .object({
    scope: z.enum(AQI_SCOPES).default('city'),
    interval: z.enum(AQI_INTERVALS).default('day'),
    from: localDate.optional(),
    to: localDate.optional(),
    /** Only this district's stations (station and district scopes; the city scope is always the whole city). */
    district: z.string().trim().min(1).max(40).optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => q.scope !== 'city' || q.district === undefined, { message: 'the city scope takes no district', path: ['district'] });
export type AqiQuery = z.infer<typeof aqiQuerySchema>;

export type AqiLevelView = Pick<AqiLevel, 'level' | 'zh' | 'en' | 'colour'>;

export interface AqiRow {
  scope: AqiScope;
  /** Station: its MN; district: the district's name; city: `city`. */
  id: string;
  name: string;
  /** The station's district, the district itself, or null for the city. */
  district: string | null;
  /** Start of the hour or of the local day (epoch ms). */
  time: number;
  /** `YYYY-MM-DD HH:00` (hour) or `YYYY-MM-DD` (day), local time. */
  label: string;
  aqi: number | null;
  level: AqiLevelView | null;
  /** 首要污染物 (indices), only when the AQI is above 50. */
  primary: AqiPollutant[];
  /** Per index (hour: so2_1h … o3_1h; day: so2_24h … co_24h, o3_1h daily max, o3_8h daily max 8-h). */
  pollutants: Partial<Record<AqiPollutant, IndexValue>>;
  /** Every index of the interval is valid. */
  complete: boolean;
  /** Stations in the scope (1 for a station row). */
  stations: number;
}

export interface AqiResponse {
  scope: AqiScope;
  interval: AqiInterval;
  from: string;
  to: string;
  rows: AqiRow[];
}
