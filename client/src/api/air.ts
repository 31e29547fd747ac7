/**
 * Ambient air quality over REST (GET /api/air/aqi): hourly or daily AQI of the stations, the
 * districts or the city. The shapes are declared once in server/domain/air-quality.ts; each body is
 * checked before a component sees it.
 */
import { AQI_POLLUTANTS } from '@domain/aqi';
import { type IndexValue } from '@domain/aqi-records';
import { AQI_INTERVALS, AQI_SCOPES, type AqiInterval, type AqiResponse, type AqiRow, type AqiScope } from '@domain/air-quality';
import { arrayOf, isBool, isNum, isNumOrNull, isObj, isStr, isStrOrNull, nullable, oneOf, type Obj } from './guard-kit';
import { isLevel } from './control-guards';
import { requestJson } from './rest';

type Fetch = typeof fetch;

export type { AqiResponse, AqiRow, AqiScope, AqiInterval } from '@domain/air-quality';

const isIndexValue = (v: unknown): v is IndexValue =>
  isObj(v) && isNumOrNull(v['value']) && isNumOrNull(v['iaqi']) && isBool(v['valid']) && isNum(v['count']);

const isPollutants = (v: unknown): boolean => isObj(v) && Object.entries(v).every(([k, x]) => oneOf(AQI_POLLUTANTS)(k) && isIndexValue(x));

export const isAqiRow = (v: unknown): v is AqiRow =>
  isObj(v) &&
  oneOf(AQI_SCOPES)(v['scope']) &&
  isStr(v['id']) &&
  isStr(v['name']) &&
  isStrOrNull(v['district']) &&
  isNum(v['time']) &&
  isStr(v['label']) &&
  isNumOrNull(v['aqi']) &&
  nullable(isLevel)(v['level']) &&
  arrayOf(oneOf(AQI_POLLUTANTS))(v['primary']) &&
  isPollutants(v['pollutants']) &&
  isBool(v['complete']) &&
  isNum(v['stations']);

export const isAqiResponse = (v: unknown): v is AqiResponse =>
  isObj(v) &&
  oneOf(AQI_SCOPES)(v['scope']) &&
  oneOf(AQI_INTERVALS)(v['interval']) &&
  isStr(v['from']) &&
  isStr((v as Obj)['to']) &&
  arrayOf(isAqiRow)(v['rows']);

export interface AqiRequest {
  scope: AqiScope;
  interval: AqiInterval;
  /** Local dates YYYY-MM-DD, both included (default today). */
  from?: string;
  to?: string;
  district?: string;
}

export function fetchAqi(q: AqiRequest, fetchFn: Fetch = fetch): Promise<AqiResponse> {
  const query = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
  return requestJson('GET', `/api/air/aqi?${query}`, isAqiResponse, undefined, fetchFn);
}
