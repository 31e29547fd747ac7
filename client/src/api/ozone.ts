/**
 * The ozone control centre over REST: station status, forecasts (one entry or a CSV import) and
 * the warning level they imply. The status shape is declared once in server/domain/ozone.ts;
 * the others mirror server/control. Each body is checked shallowly before a store sees it.
 */
import type { AqiLevel } from '@domain/aqi';
import type { OzoneStatus, StationOzone } from '@domain/ozone';
import { ApiError, requestJson, requestWithText } from './rest';

type Fetch = typeof fetch;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNumOrNull = (v: unknown): v is number | null => v === null || isNum(v);

export type LevelView = Pick<AqiLevel, 'level' | 'zh' | 'en' | 'colour'>;

export type { OzoneStatus, StationOzone } from '@domain/ozone';

export interface Forecast {
  date: string;
  o3_8h: number | null;
  iaqi: number;
  note: string | null;
  recordedBy: string;
  recordedAt: number;
  level: LevelView;
}

export type WarningLevel = 'yellow' | 'orange' | 'red';

export interface OzoneWarning {
  level: WarningLevel | null;
  run: { from: string; to: string; days: number } | null;
  days: { date: string; iaqi: number }[];
  horizon: { from: string; to: string };
}

/** One refused row of an import (row 0: the request as a whole). */
export interface RowRefusal {
  row: number;
  line?: number;
  field: string;
  message: string;
}

const isLevel = (v: unknown): v is LevelView => isObj(v) && isNum(v['level']) && isStr(v['colour']) && isStr(v['zh']) && isStr(v['en']);

const isStation = (v: unknown): v is StationOzone =>
  isObj(v) &&
  isStr(v['mn']) &&
  isStr(v['name']) &&
  (v['latest1h'] === null || (isObj(v['latest1h']) && isNum(v['latest1h']['value']))) &&
  (v['moving8h'] === null || (isObj(v['moving8h']) && isNum(v['moving8h']['value']))) &&
  (v['aqi'] === null || (isObj(v['aqi']) && isNum(v['aqi']['value']) && isLevel(v['aqi']['level']))) &&
  isObj(v['today']) &&
  isNumOrNull(v['today']['max8h']) &&
  isObj(v['season']) &&
  isNum(v['season']['exceedanceDays']);

export const isOzoneStatus = (v: unknown): v is OzoneStatus =>
  isObj(v) && isNum(v['computedAt']) && isObj(v['season']) && Array.isArray(v['stations']) && v['stations'].every(isStation);

export const isForecast = (v: unknown): v is Forecast =>
  isObj(v) && isStr(v['date']) && isNumOrNull(v['o3_8h']) && isNum(v['iaqi']) && isLevel(v['level']);

const isForecastList = (v: unknown): v is { items: Forecast[] } => isObj(v) && Array.isArray(v['items']) && v['items'].every(isForecast);

export const isWarning = (v: unknown): v is OzoneWarning =>
  isObj(v) &&
  (v['level'] === null || v['level'] === 'yellow' || v['level'] === 'orange' || v['level'] === 'red') &&
  Array.isArray(v['days']) &&
  isObj(v['horizon']);

export const isRowRefusal = (v: unknown): v is RowRefusal => isObj(v) && isNum(v['row']) && isStr(v['field']) && isStr(v['message']);

/** The per-row refusals of a 400 answer to a forecast post, or [] when it has none. */
export function rowRefusalsOf(err: unknown): RowRefusal[] {
  if (!(err instanceof ApiError) || !isObj(err.body)) return [];
  const rows = err.body['rows'];
  return Array.isArray(rows) ? rows.filter(isRowRefusal) : [];
}

export const fetchOzoneStatus = (fetchFn: Fetch = fetch): Promise<OzoneStatus> => requestJson('GET', '/api/ozone/status', isOzoneStatus, undefined, fetchFn);

export const fetchWarning = (fetchFn: Fetch = fetch): Promise<OzoneWarning> => requestJson('GET', '/api/ozone/warning', isWarning, undefined, fetchFn);

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
  const isAnswer = (v: unknown): v is { forecast: Forecast } => isObj(v) && isForecast(v['forecast']);
  return (await requestJson('POST', '/api/ozone/forecasts', isAnswer, entry, fetchFn)).forecast;
}

/** A CSV import (header date,o3_8h,iaqi,note): all rows or none. */
export async function importForecastCsv(csv: string, fetchFn: Fetch = fetch): Promise<Forecast[]> {
  return (await requestWithText('POST', '/api/ozone/forecasts', isForecastList, 'text/csv', csv, fetchFn)).items;
}
