import { describe, expect, it } from 'vitest';
import { angleBetween, bearingDeg, circularMeanDeg, compassPoint, distanceKm, isUpwind } from './geo';

// One degree of arc on the mean Earth sphere (R = 6371 km): 6371 × π / 180 = 111.195 km.
const DEG_KM = 111.195;

describe('distance and bearing (great circle, mean Earth radius 6371 km)', () => {
  it.each([
    // from, to, km, bearing (clockwise from north)
    ['one degree north', { lat: 0, lon: 0 }, { lat: 1, lon: 0 }, DEG_KM, 0],
    ['one degree east on the equator', { lat: 0, lon: 0 }, { lat: 0, lon: 1 }, DEG_KM, 90],
    ['one degree south', { lat: 0, lon: 0 }, { lat: -1, lon: 0 }, DEG_KM, 180],
    ['one degree west', { lat: 0, lon: 0 }, { lat: 0, lon: -1 }, DEG_KM, 270],
    // hav = sin²(0.5°)(1 + cos 1°) = 1.52293e-4 → 2·asin(√hav) = 0.0246820 rad → 157.249 km;
    // bearing atan2(sin 1° cos 1°, sin 1°) = atan2(cos 1°, 1) = 44.9956°.
    ['north-east on the equator', { lat: 0, lon: 0 }, { lat: 1, lon: 1 }, 157.249, 44.9956],
    // Along the 36.8° parallel, 0.01° of longitude: 111.195 × cos 36.8° × 0.01 = 0.8904 km, due east (89.997°).
    ['0.01° east at 36.8° N', { lat: 36.8, lon: 118 }, { lat: 36.8, lon: 118.01 }, 0.8904, 89.997],
    ['the same point', { lat: 36.8, lon: 118 }, { lat: 36.8, lon: 118 }, 0, 0],
  ])('%s', (_n, from, to, km, bearing) => {
    expect(distanceKm(from, to)).toBeCloseTo(km, 3);
    expect(bearingDeg(from, to)).toBeCloseTo(bearing, 3);
  });
});

describe('upwind: the source lies in the direction the wind comes from, within the sector', () => {
  it.each([
    // source bearing, wind from, sector, upwind?
    [225, 225, 90, true],
    [181, 225, 90, true],
    [270, 225, 90, true], // on the sector's edge (45° off)
    [271, 225, 90, false],
    [45, 225, 90, false], // downwind
    [10, 350, 60, true], // across north: 20° off
    [20, 350, 60, true], // 30° off: the edge
    [21, 350, 60, false],
    [340, 10, 60, true],
  ])('source at %s°, wind from %s°, sector %s° → %s', (bearing, windFrom, sector, upwind) => {
    expect(isUpwind(bearing, windFrom, sector)).toBe(upwind);
  });

  it.each([
    [350, 10, 20],
    [10, 350, 20],
    [0, 180, 180],
    [90, 270, 180],
    [100, 50, 50],
  ])('angle between %s° and %s° is %s°', (a, b, d) => {
    expect(angleBetween(a, b)).toBe(d);
  });
});

describe('wind direction of an hour: the circular mean of its directions', () => {
  it.each([
    ['across north', [350, 10], 0],
    ['a quarter apart', [90, 180], 135],
    ['one value', [225], 225],
    ['three around west', [260, 270, 280], 270],
  ])('%s', (_n, values, mean) => {
    expect(circularMeanDeg(values)).toBeCloseTo(mean, 6);
  });
  it.each([
    ['none', []],
    ['opposite: no direction', [0, 180]],
  ])('%s → null', (_n, values) => {
    expect(circularMeanDeg(values)).toBeNull();
  });
});

describe('compass point of a bearing (8 points of 45°)', () => {
  it.each([
    [0, 'N'],
    [22.4, 'N'],
    [22.5, 'NE'],
    [90, 'E'],
    [135, 'SE'],
    [200, 'S'],
    [225, 'SW'],
    [292.5, 'NW'],
    [337.4, 'NW'],
    [337.5, 'N'],
    [359.9, 'N'],
  ] as const)('%s° → %s', (bearing, point) => {
    expect(compassPoint(bearing)).toBe(point);
  });
});
