/**
 * Positions on the map: great-circle distance and initial bearing between two points (mean Earth
 * sphere, R = 6371 km; at a city's scale the error against the ellipsoid is well under 0.5 %),
 * wind direction as a circular mean, and "upwind": a place lying in the direction the wind comes
 * from (HJ 212 a01008, meteorological convention: the direction the wind blows FROM, degrees
 * clockwise from north), within a sector centred on it. Pure.
 */

export interface LatLon {
  lat: number;
  lon: number;
}

export const EARTH_RADIUS_KM = 6371;

const rad = (deg: number): number => (deg * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;
/** An angle folded into [0, 360). */
export const normalizeDeg = (a: number): number => ((a % 360) + 360) % 360;

/** Great-circle (haversine) distance in km. */
export function distanceKm(a: LatLon, b: LatLon): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from `from` to `to`, degrees clockwise from north in [0, 360) (0 for the same point). */
export function bearingDeg(from: LatLon, to: LatLon): number {
  const φ1 = rad(from.lat);
  const φ2 = rad(to.lat);
  const dλ = rad(to.lon - from.lon);
  const y = Math.sin(dλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(dλ);
  if (Math.abs(x) < 1e-15 && Math.abs(y) < 1e-15) return 0;
  return normalizeDeg(deg(Math.atan2(y, x)));
}

/** The smaller angle between two directions, in [0, 180]. */
export function angleBetween(a: number, b: number): number {
  const d = Math.abs(normalizeDeg(a) - normalizeDeg(b));
  return d > 180 ? 360 - d : d;
}

/** Does a place at `bearing` from the station lie upwind, the wind coming from `windFrom`, within a sector of `sectorDeg` centred on it? */
export const isUpwind = (bearing: number, windFrom: number, sectorDeg: number): boolean =>
  angleBetween(bearing, windFrom) <= sectorDeg / 2 + 1e-9;

/**
 * The mean direction of angles in degrees (the direction of the sum of their unit vectors): 350°
 * and 10° average to 0°, not 180°. Null without values, or when they cancel out.
 */
export function circularMeanDeg(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let x = 0;
  let y = 0;
  for (const v of values) {
    x += Math.cos(rad(v));
    y += Math.sin(rad(v));
  }
  if (Math.hypot(x, y) / values.length < 1e-9) return null;
  return normalizeDeg(deg(Math.atan2(y, x)));
}

export const COMPASS_POINTS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
export type CompassPoint = (typeof COMPASS_POINTS)[number];

/** The 8-point compass direction of a bearing (each point covers 45° centred on it). */
export const compassPoint = (bearing: number): CompassPoint =>
  COMPASS_POINTS[Math.floor(normalizeDeg(bearing + 22.5) / 45) % 8] as CompassPoint;
