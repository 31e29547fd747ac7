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
