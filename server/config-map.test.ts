import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'o3-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The problems loadConfig names for this boundary file text. */
function problemsWith(text: string): string[] {
  const file = join(dir, `b-${Math.random().toString(36).slice(2)}.geo.json`);
  writeFileSync(file, text);
  try {
    loadConfig({ MAP_BOUNDARY_FILE: file }, ROOT);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => p.replace(file, 'FILE'));
  }
}

describe('map config', () => {
  it('ships the Chaoyang districts, the initial view and the city name in both languages', () => {
    const { cityMap, map } = loadConfig({}, ROOT);
    expect(map.boundaryFile).toBe(join(ROOT, 'config/map/chaoyang.geo.json'));
    expect(cityMap.city).toEqual({ zh: '朝阳市', en: 'Chaoyang' });
    expect(cityMap.center).toEqual([120.15, 41.55]);
    expect(cityMap.zoom).toBe(1.35);
    expect(cityMap.boundary.features).toHaveLength(7);
  });

  it.each([
    ['a file that is not JSON', '{"type": ', [expect.stringMatching(/^FILE: not JSON \(/)]],
    [
      'a district without its name',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: {},
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                  [0, 0],
                ],
              ],
            },
          },
        ],
      }),
      ['FILE: features.0.properties.name: every district needs its name (a non-empty string)'],
    ],
    [
      'lines instead of districts',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'A' },
            geometry: {
              type: 'LineString',
              coordinates: [
                [0, 0],
                [1, 1],
              ],
            },
          },
        ],
      }),
      ['FILE: features.0.geometry.type: a district is a Polygon or a MultiPolygon'],
    ],
  ])('refuses to start on %s, naming the file and the problem', (_name, text, expected) => {
    expect(problemsWith(text)).toEqual(expected);
  });

  it('refuses a boundary file that is not there', () => {
    expect(() => loadConfig({ MAP_BOUNDARY_FILE: join(dir, 'none.geo.json') }, ROOT)).toThrow(/none\.geo\.json: ENOENT/);
  });
});
