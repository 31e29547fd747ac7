/**
 * GET /api/map on the real app: the configured district boundary (here the test fixture's), behind
 * the session gate, for every role that sees sources, revalidated by its ETag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CityMap } from '../../server/domain/city-map';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('GET /api/map', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIMULATE: 'false' });
  });
  afterAll(async () => t.stop());

  it('answers 401 without a session', async () => {
    expect((await fetch(`${t.baseUrl}/api/map`)).status).toBe(401);
  });

  it.each(['officer', 'ozone', 'qilu-power'])('gives %s the configured districts, names and outlines only', async (user) => {
    const res = await (await t.signIn(user)).fetch('/api/map');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const map = (await res.json()) as CityMap;
    expect(map.boundary.type).toBe('FeatureCollection');
    expect(map.boundary.features.map((f) => f.properties.name)).toEqual(['周村区', '张店区', '临淄区', '桓台县', '淄川区']);
    // The fixture's first feature carries a long `note`: what the file says besides the outline stays on the server.
    expect(map.boundary.features[0]?.properties).toEqual({ name: '周村区' });
    expect(map).toMatchObject({ city: { zh: '朝阳市', en: 'Chaoyang' }, center: [120.15, 41.55], zoom: 1.35 });
  });

  it('answers 304 to a dashboard that has this boundary already', async () => {
    const session = await t.signIn('officer');
    const first = await session.fetch('/api/map');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    // As a browser revalidates its cached copy (fetch() alone would add `Cache-Control: no-cache`, which asks for the whole body).
    const revalidate = (tag: string) => session.fetch('/api/map', { headers: { 'if-none-match': tag, 'cache-control': 'max-age=0' } });
    const again = await revalidate(etag as string);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const stale = await revalidate('"another"');
    expect(stale.status).toBe(200);
  });
});
