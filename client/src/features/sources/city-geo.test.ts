import type { CityMap } from '@domain/city-map';
import { describe, expect, it } from 'vitest';
import { cityGeo } from './city-geo';

const square = (name: string, lon: number, lat: number) => ({
  type: 'Feature' as const,
  properties: { name },
  geometry: {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lon, lat],
        [lon + 0.2, lat],
        [lon + 0.2, lat + 0.2],
        [lon, lat + 0.2],
        [lon, lat],
      ] as [number, number][],
    ],
  },
});
const map = (center: [number, number] | null): CityMap => ({
  city: { zh: '淄博市', en: 'Zibo' },
  center,
  zoom: 1.35,
  boundary: { type: 'FeatureCollection', features: [square('张店区', 118.0, 36.7), square('临淄区', 118.2, 36.7)] },
});

describe('the city geo component', () => {
  it.each([
    ['inside the districts: looked at', [118.1, 36.8], [118.1, 36.8], 1.35],
    ['none: the whole boundary', null, undefined, 1.35],
    ['outside every district (another city’s view): the whole boundary at zoom 1', [120.15, 41.55], undefined, 1],
  ] as const)('a centre %s', (_, center, shown, zoom) => {
    const geo = cityGeo(map(center === null ? null : [...center]), false) as { center?: number[]; zoom: number };
    expect(geo.center).toEqual(shown === undefined ? undefined : [...shown]);
    expect(geo.zoom).toBe(zoom);
  });
});
