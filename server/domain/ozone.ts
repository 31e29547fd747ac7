/**
 * The ozone control centre's shared facts: the ozone season on the local calendar and the station
 * status the server computes and the dashboard shows (one declaration for both sides).
 */
import type { AqiLevel, AqiPollutant } from './aqi';
import { MINUTE_MS } from './local-time';

export interface SeasonRange {
  /** Local 00:00 on the 1st of the start month / of the month after the end month, of the current year. */
  from: number;
  to: number;
  startMonth: number;
  endMonth: number;
  /** Is `now` inside the season? */
  inSeason: boolean;
}

/** The ozone season of the local year `now` falls in. */
export function seasonOf(now: number, startMonth: number, endMonth: number, offsetMin: number): SeasonRange {
  const year = new Date(now + offsetMin * MINUTE_MS).getUTCFullYear();
  const from = Date.UTC(year, startMonth - 1, 1) - offsetMin * MINUTE_MS;
  const to = Date.UTC(year, endMonth, 1) - offsetMin * MINUTE_MS;
  return { from, to, startMonth, endMonth, inSeason: now >= from && now < to };
}

export interface StationOzone {
  mn: string;
  name: string;
  enterpriseId: string;
  district: string;
  /** The latest complete hour with a valid O3 mean. */
  latest1h: { hour: number; value: number; iaqi: number | null } | null;
  /** The 8-h moving mean ending with that hour (≥ 6 valid hours). */
  moving8h: { endHour: number; value: number; validHours: number; iaqi: number | null } | null;
  /** Ozone AQI = max(IAQI O3 1-h, IAQI O3 8-h) with its level. */
  aqi: { value: number; primary: AqiPollutant[]; level: AqiLevel } | null;
  today: { date: string; max8h: number | null; max8hIaqi: number | null; exceeded: boolean };
  season: { exceedanceDays: number; exceedanceDates: string[]; daysWithData: number };
  /** Set when the store could not be read for this station. */
  error?: string;
}

export interface OzoneStatus {
  computedAt: number;
  factor: string;
  exceedanceLimit: number;
  season: SeasonRange;
  stations: StationOzone[];
}

/** The ozone warning levels (DOMAIN §7), lowest first; their thresholds are in config/rules/ozone.yaml. */
export const WARNING_LEVELS = ['yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/** A forecast as the control centre enters it (one entry or one CSV row). */
export interface ForecastInput {
  date: string;
  /** Forecast O3 8-h mean, µg/m³ (null when the forecast gave the IAQI only). */
  o3_8h: number | null;
  iaqi: number;
  /** The forecast day AQI (all pollutants) and PM2.5 24-h mean, µg/m³, when given: heavy-pollution warning proposals. */
  aqi: number | null;
  pm25: number | null;
  note: string | null;
}

/** A forecast as kept: who entered it and when. */
export interface ForecastRecord extends ForecastInput {
  recordedBy: string;
  recordedAt: number;
}

/** The AQI level of an IAQI as the dashboard shows it. */
export type LevelView = Pick<AqiLevel, 'level' | 'zh' | 'en' | 'colour'>;

/** GET /api/ozone/forecasts → {from, to, items: Forecast[]}: the record and the level its IAQI implies. */
export interface Forecast extends ForecastRecord {
  level: LevelView;
}

/** One refused row of a forecast import (row 0: the request as a whole); 400 {…, rows: ForecastRowError[]}. */
export interface ForecastRowError {
  /** 1-based data row (CSV: the line number is `line`). */
  row: number;
  line?: number;
  field: string;
  message: string;
}

export interface ForecastDay {
  date: string;
  iaqi: number;
}

/** GET /api/ozone/warning: the level the forecasts from today imply. */
export interface OzoneWarning {
  level: WarningLevel | null;
  /** The consecutive days that triggered the level. */
  run: { from: string; to: string; days: number } | null;
  /** The forecast days considered (today … today + horizon − 1), oldest first. */
  days: ForecastDay[];
  horizon: { from: string; to: string };
}
