import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MN_CEMS, T0 } from '../testing/fixtures';
import { presetRange, toChartPoints, useSourceDetailStore } from './source-detail';

/** The range a series request asks for, ms. */
const spanOf = (url: string): number => {
  const q = new URL(url, 'http://localhost').searchParams;
  return Number(q.get('to')) - Number(q.get('from'));
};
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('source detail helpers', () => {
  it.each([
    { preset: '1h' as const, span: 3_600_000 },
    { preset: '7d' as const, span: 7 * 86_400_000 },
  ])('preset $preset ends now', ({ preset, span }) => {
    expect(presetRange(preset, T0)).toEqual({ from: T0 - span, to: T0 });
  });

  it.each([
    { cn: '2011' as const, p: { ts: 1, rtd: 5, avg: 7, flag: 'N' as const }, value: 5 },
    { cn: '2051' as const, p: { ts: 1, rtd: 5, avg: 7, flag: 'N' as const }, value: 7 },
    { cn: '2061' as const, p: { ts: 1, rtd: 5, flag: 'D' as const }, value: 5 },
  ])('data kind $cn plots $value', ({ cn, p, value }) => {
    expect(toChartPoints(cn, [p]).map((x) => x.value)).toEqual([value]);
  });

  it('real-time data over a long range plots the hourly or daily means', () => {
    expect(toChartPoints('2011', [{ ts: 1, avg: 7, flag: 'N' }], 'hour').map((x) => x.value)).toEqual([7]);
    expect(toChartPoints('2011', [{ ts: 1, rtd: 5, avg: 7, flag: 'N' }], 'day').map((x) => x.value)).toEqual([7]);
  });

  it('a point without a value is left out', () => {
    expect(toChartPoints('2011', [{ ts: 1, flag: 'N' }])).toEqual([]);
  });
});

describe('source detail store', () => {
  const urls: string[] = [];
  beforeEach(() => {
    setActivePinia(createPinia());
    urls.length = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        urls.push(input);
        if (input.startsWith('/api/rules/'))
          return json({ mn: MN_CEMS, limits: { a21002: { max: 50, o2Converted: true, severity: 'major' } } });
        if (input.startsWith('/api/alerts/history'))
          return json({ items: [{ id: 1, alertId: 4, mn: MN_CEMS, kind: 'opened', at: T0, actor: 'system', note: null }] });
        if (input.includes('/series') && spanOf(input) > 7 * 86_400_000)
          return json({ resolution: 'hour', items: [{ ts: T0, avg: 33, zs: 35, flag: 'N' }] });
        if (input.includes('/series'))
          return json({
            resolution: 'raw',
            items: [
              { ts: T0, rtd: 61, zs: 63, flag: 'N' },
              { ts: T0 + 30_000, rtd: 40, flag: 'C' },
            ],
          });
        return json({ error: 'not_found' }, 404);
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('opens a source: series of the range, limits, history; flagged points known', async () => {
    const store = useSourceDetailStore();
    await store.open(MN_CEMS, 'a21002', T0 + 60_000);
    await vi.waitFor(() => expect(store.limit?.max).toBe(50));
    expect(urls).toContain(`/api/sources/${MN_CEMS}/series?factor=a21002&cn=2011&from=${T0 + 60_000 - 3_600_000}&to=${T0 + 60_000}`);
    expect(store.series.map((p) => p.value)).toEqual([61, 40]);
    expect(store.flagged.map((p) => p.flag)).toEqual(['C']);
    expect(store.history).toHaveLength(1);
  });

  it('hour data asks for a week by default; a custom range drops the preset', async () => {
    const store = useSourceDetailStore();
    await store.open(MN_CEMS, 'a21002', T0);
    await store.setKind('2061', T0);
    expect(urls.at(-1)).toContain(`cn=2061&from=${T0 - 7 * 86_400_000}&to=${T0}`);
    await store.setRange(T0 - 10, T0);
    expect(store.preset).toBeNull();
    expect(urls.at(-1)).toContain(`from=${T0 - 10}&to=${T0}`);
    const before = urls.length;
    await store.setRange(T0, T0 - 10); // backwards: ignored
    expect(urls.length).toBe(before);
  });

  it('a year of real-time data comes as hourly means, and the store says so', async () => {
    const store = useSourceDetailStore();
    await store.open(MN_CEMS, 'a21002', T0);
    expect(store.resolution).toBe('raw');
    await store.setPreset('1y', T0);
    expect(urls.at(-1)).toContain(`cn=2011&from=${T0 - 365 * 86_400_000}&to=${T0}`);
    expect(store.resolution).toBe('hour');
    expect(store.series).toEqual([{ ts: T0, value: 33, zs: 35, flag: 'N' }]);
  });

  it('a failed load keeps what was shown and says so', async () => {
    const store = useSourceDetailStore();
    await store.open(MN_CEMS, 'a21002', T0);
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({ error: 'internal' }, 500)),
    );
    await store.setPreset('6h', T0);
    expect(store.seriesState).toBe('error');
    expect(store.series).toHaveLength(2);
  });
});
