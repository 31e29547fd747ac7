import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { districtsAt } from './city-map';
import { BoundaryError, parseBoundary } from './city-map-schema';

const ROOT = resolve(import.meta.dirname, '../..');
const square = (x: number, y: number, d = 1): number[][] => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
];
const district = (name: unknown, coordinates: unknown, type = 'Polygon', extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { name, ...extra },
  geometry: { type, coordinates },
});
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const NAMELESS = 'features.0.properties.name: every district needs its name (a non-empty string)';

/** The problems parseBoundary names, or [] when it accepts the file. */
function problems(raw: unknown, nameProperty?: string): string[] {
  try {
    parseBoundary(raw, nameProperty);
    return [];
  } catch (err) {
    if (!(err instanceof BoundaryError)) throw err;
    return err.issues;
  }
}

describe('district boundary file', () => {
  it('accepts the shipped Chaoyang boundary: seven named districts with label points', () => {
    const b = parseBoundary(JSON.parse(readFileSync(resolve(ROOT, 'config/map/chaoyang.geo.json'), 'utf8')));
    const names = ['凌源市', '北票市', '双塔区', '喀左县', '建平县', '朝阳县', '龙城区'];
    expect(b.features.map((f) => f.properties.name).sort()).toEqual(names.sort());
    for (const f of b.features) {
      expect(districtsAt(...(f.properties.cp as [number, number]), b), f.properties.name).toEqual([f.properties.name]);
    }
  });

  it('keeps only name, label point and geometry; takes the name from nameProperty; accepts MultiPolygons', () => {
    const b = parseBoundary(
      fc(
        district('x', [square(0, 0)], 'Polygon', { NAME_2: 'A区', adcode: 1, cp: [0.5, 0.5] }),
        district('y', [[square(2, 0)], [square(4, 0)]], 'MultiPolygon', { NAME_2: 'B区', cp: 'here' }),
      ),
      'NAME_2',
    );
    expect(b.features.map((f) => f.properties)).toEqual([{ name: 'A区', cp: [0.5, 0.5] }, { name: 'B区' }]);
    expect(b.features[1]?.geometry.type).toBe('MultiPolygon');
  });

  it.each([
    ['not GeoJSON at all', [1, 2], ['the boundary must be a GeoJSON FeatureCollection']],
    [
      'another GeoJSON type',
      { type: 'Feature', features: [] },
      ['type: the boundary must be a GeoJSON FeatureCollection', 'features: the boundary has no district'],
    ],
    ['no district', fc(), ['features: the boundary has no district']],
    ['a point', fc(district('A', [1, 2], 'Point')), ['features.0.geometry.type: a district is a Polygon or a MultiPolygon']],
    ['a district without a name', fc(district('', [square(0, 0)])), [NAMELESS]],
    ['a name that is not text', fc(district(7, [square(0, 0)])), [NAMELESS]],
    [
      'a duplicate name',
      fc(district('A', [square(0, 0)]), district('A', [square(2, 0)])),
      ['features.1.properties.name: duplicate district "A"'],
    ],
    ['an open ring', fc(district('A', [square(0, 0).slice(0, 4)])), ['features.0.geometry.coordinates.0: a ring must end where it starts']],
    [
      'a ring of 3 positions',
      fc(
        district('A', [
          [
            [0, 0],
            [1, 0],
            [0, 0],
          ],
        ]),
      ),
      ['features.0.geometry.coordinates.0: a ring needs at least 4 positions'],
    ],
    [
      'latitude and longitude swapped past 90°',
      fc(
        district('A', [
          [
            [41, 120],
            [42, 120],
            [42, 121],
            [41, 120],
          ],
        ]),
      ),
      expect.arrayContaining([expect.stringMatching(/^features\.0\.geometry\.coordinates\.0\.0\.1: .*90/)]),
    ],
  ])('refuses %s, naming the place', (_name, raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });

  it('refuses more positions than a dashboard should download', () => {
    const big = Array.from({ length: 200_001 }, (_, i) => [i / 1e6, 0]);
    big.push([0, 1], [0, 0]);
    expect(problems(fc(district('A', [big])))).toEqual([expect.stringMatching(/^200003 positions: at most 200000/)]);
  });
});

describe('districtsAt', () => {
  const b = parseBoundary(
    fc(
      district('outer', [square(0, 0, 10), square(4, 4, 2)]),
      district('inner', [square(4, 4, 2)]),
      district('islands', [[square(20, 0)], [square(30, 0)]], 'MultiPolygon'),
    ),
  );
  it.each([
    [1, 1, ['outer']],
    [5, 5, ['inner']],
    [20.5, 0.5, ['islands']],
    [30.5, 0.5, ['islands']],
    [25, 0.5, []],
    [-1, 5, []],
  ])('(%d, %d) lies in %j', (lon, lat, expected) => {
    expect(districtsAt(lon, lat, b)).toEqual(expected);
  });
});
