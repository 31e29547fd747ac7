/**
 * The ozone control centre over REST: station status, forecasts (one entry or a CSV import) and
 * the warning level they imply. The shapes are declared once in server/domain/ozone.ts; each body is
 * checked (control-guards.ts) before a store sees it.
 */
import type { Forecast, ForecastRowError, OzoneStatus, OzoneWarning } from '@domain/ozone';
import { isForecast, isOzoneStatus, isRowRefusal, isWarning } from './control-guards';
import { isAnswer, isItems, isObj } from './guard-kit';
import { ApiError, requestJson, requestWithText } from './rest';

type Fetch = typeof fetch;

export type { Forecast, LevelView, OzoneStatus, OzoneWarning, StationOzone, WarningLevel } from '@domain/ozone';
export { isForecast, isOzoneStatus, isRowRefusal, isWarning } from './control-guards';

/** One refused row of an import (row 0: the request as a whole). */
export type RowRefusal = ForecastRowError;

const isForecastList = isItems(isForecast);

/** The per-row refusals of a 400 answer to a forecast post, or [] when it has none. */
export function rowRefusalsOf(err: unknown): RowRefusal[] {
  if (!(err instanceof ApiError) || !isObj(err.body)) return [];
  const rows = err.body['rows'];
  return Array.isArray(rows) ? rows.filter(isRowRefusal) : [];
}

export const fetchOzoneStatus = (fetchFn: Fetch = fetch): Promise<OzoneStatus> =>
  requestJson('GET', '/api/ozone/status', isOzoneStatus, undefined, fetchFn);

export const fetchWarning = (fetchFn: Fetch = fetch): Promise<OzoneWarning> =>
  requestJson('GET', '/api/ozone/warning', isWarning, undefined, fetchFn);

/** Forecasts from today (the server's default range: today … +14 days). */
export async function fetchForecasts(fetchFn: Fetch = fetch): Promise<Forecast[]> {
  return (await requestJson('GET', '/api/ozone/forecasts', isForecastList, undefined, fetchFn)).items;
}

export interface ForecastEntry {
  date: string;
  o3_8h?: number;
  iaqi?: number;
  note?: string;
}

export async function postForecast(entry: ForecastEntry, fetchFn: Fetch = fetch): Promise<Forecast> {
  return (await requestJson('POST', '/api/ozone/forecasts', isAnswer('forecast', isForecast), entry, fetchFn)).forecast;
}

/** A CSV import (header date,o3_8h,iaqi,aqi,pm25,note; aqi and pm25 optional): all rows or none. */
export async function importForecastCsv(csv: string, fetchFn: Fetch = fetch): Promise<Forecast[]> {
  return (await requestWithText('POST', '/api/ozone/forecasts', isForecastList, 'text/csv', csv, fetchFn)).items;
}
