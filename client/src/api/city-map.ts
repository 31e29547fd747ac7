/** GET /api/map: the city's district boundary, name and initial view (config map.*). */
import type { CityMap } from '@domain/city-map';
import { requestJson } from './rest';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLonLat = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const isRing = (v: unknown): boolean => Array.isArray(v) && v.length >= 4 && v.every(isLonLat);
const isPolygon = (v: unknown): boolean => Array.isArray(v) && v.length >= 1 && v.every(isRing);

function isDistrict(v: unknown): boolean {
  if (!isObj(v) || !isObj(v['properties']) || !isObj(v['geometry'])) return false;
  const { name, cp } = v['properties'];
  const { type, coordinates } = v['geometry'];
  const shape =
    type === 'Polygon' ? isPolygon(coordinates) : type === 'MultiPolygon' && Array.isArray(coordinates) && coordinates.every(isPolygon);
  return typeof name === 'string' && name !== '' && (cp === undefined || isLonLat(cp)) && shape;
}

/** The whole body is checked: ECharts would draw a broken outline silently. */
export function isCityMap(v: unknown): v is CityMap {
  if (!isObj(v) || !isObj(v['city']) || !isObj(v['boundary'])) return false;
  const { zh, en } = v['city'];
  const features = v['boundary']['features'];
  return (
    typeof zh === 'string' &&
    typeof en === 'string' &&
    (v['center'] === null || isLonLat(v['center'])) &&
    typeof v['zoom'] === 'number' &&
    v['zoom'] > 0 &&
    Array.isArray(features) &&
    features.length > 0 &&
    features.every(isDistrict)
  );
}

export const fetchCityMap = (fetchFn: typeof fetch = fetch): Promise<CityMap> =>
  requestJson('GET', '/api/map', isCityMap, undefined, fetchFn);
