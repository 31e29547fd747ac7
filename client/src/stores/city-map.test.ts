import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { isCityMap } from '../api/city-map';
import { useCityMapStore } from './city-map';

const ring = [
  [120, 41],
  [121, 41],
  [121, 42],
  [120, 41],
];
const MAP = {
  city: { zh: '朝阳市', en: 'Chaoyang' },
  center: null,
  zoom: 1.1,
  boundary: {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { name: '双塔区', cp: [120.5, 41.5] }, geometry: { type: 'Polygon', coordinates: [ring] } }],
  },
};

/** A fetch answering each call with the next of `bodies` (status, JSON), counting the calls. */
function answering(...bodies: Array<[number, unknown]>): typeof fetch & { calls: number } {
  const f = (async () => {
    const [status, body] = bodies[Math.min(f.calls, bodies.length - 1)] as [number, unknown];
    f.calls += 1;
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch & { calls: number };
  f.calls = 0;
  return f;
}

describe('city map store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads the map once, however many maps ask for it', async () => {
    const store = useCityMapStore();
    const f = answering([200, MAP]);
    await Promise.all([store.load(f), store.load(f)]);
    await store.load(f);
    expect(f.calls).toBe(1);
    expect(store.state).toBe('ready');
    expect(store.map?.boundary.features[0]?.properties.name).toBe('双塔区');
  });

  it('says it failed, and loads on retry', async () => {
    const store = useCityMapStore();
    const f = answering([500, { error: 'internal' }], [200, MAP]);
    await store.load(f);
    expect(store.state).toBe('failed');
    expect(store.map).toBeNull();
    await store.load(f);
    expect(store.state).toBe('ready');
  });

  it('refuses a body that is not a district map rather than draw it', async () => {
    const store = useCityMapStore();
    await store.load(answering([200, { ...MAP, boundary: { type: 'FeatureCollection', features: [] } }]));
    expect(store.state).toBe('failed');
  });
});

describe('isCityMap', () => {
  const feature = MAP.boundary.features[0]!;
  const withFeature = (f: unknown) => ({ ...MAP, boundary: { type: 'FeatureCollection', features: [f] } });
  it.each([
    ['the served map', MAP, true],
    ['a MultiPolygon district', withFeature({ ...feature, geometry: { type: 'MultiPolygon', coordinates: [[ring], [ring]] } }), true],
    ['a district without a name', withFeature({ ...feature, properties: {} }), false],
    ['a line', withFeature({ ...feature, geometry: { type: 'LineString', coordinates: ring } }), false],
    ['a ring of three positions', withFeature({ ...feature, geometry: { type: 'Polygon', coordinates: [ring.slice(1)] } }), false],
    ['a centre that is not a position', { ...MAP, center: [120] }, false],
    ['no city name', { ...MAP, city: null }, false],
  ])('%s: %s', (_name, body, ok) => {
    expect(isCityMap(body)).toBe(ok);
  });
});
