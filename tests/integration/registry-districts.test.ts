/**
 * Every source of the test registry lies in the district it is labelled with (its own `district`,
 * else its enterprise's): its coordinates fall inside that district's outline (the schematic
 * district outlines of tests/fixtures/map/zibo-districts.geo.json) and no other.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { registrySchema, sourceDistrict } from '../../server/domain/registry';
import { TEST_DISTRICTS_FILE, TEST_REGISTRY_FILE } from '../helpers/fixtures';

type Ring = [number, number][];
interface DistrictFeature {
  properties: { name: string };
  geometry: { type: 'Polygon'; coordinates: Ring[] };
}

const registry = registrySchema.parse(parse(readFileSync(TEST_REGISTRY_FILE, 'utf8')));
const districts = (
  JSON.parse(readFileSync(TEST_DISTRICTS_FILE, 'utf8')) as {
    features: DistrictFeature[];
  }
).features;

/** Ray casting on the outer ring (lon/lat as GeoJSON orders them). */
function inside(lon: number, lat: number, ring: Ring): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

const containing = (lon: number, lat: number): string[] =>
  districts.filter((d) => inside(lon, lat, d.geometry.coordinates[0] as Ring)).map((d) => d.properties.name);

describe('registry districts', () => {
  it('the point test knows inside from outside', () => {
    expect(containing(118.05, 36.8)).toEqual(['张店区']);
    expect(containing(116.0, 36.8)).toEqual([]);
  });

  it.each(registry.sources.map((s) => [s.name, s] as const))('%s lies in the district it is labelled with', (_name, source) => {
    expect(containing(source.lon, source.lat)).toEqual([sourceDistrict(source, registry.enterprises)]);
  });

  it('every enterprise district has an outline', () => {
    const outlined = new Set(districts.map((d) => d.properties.name));
    for (const e of registry.enterprises) expect(outlined, e.id).toContain(e.district);
  });
});
