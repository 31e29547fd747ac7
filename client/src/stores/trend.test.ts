import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeLatest, MN_CEMS, T0 } from '../testing/fixtures';
import { HISTORY_MS, TREND_CAPACITY, useTrendStore } from './trend';

describe('trend store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('records the primary value of every factor and serves the selected series', () => {
    const store = useTrendStore();
    store.record([makeLatest({ ts: T0, factors: { a21002: { rtd: 41, flag: 'N' }, a19001: { rtd: 7, flag: 'M' } } })]);
    store.record([makeLatest({ ts: T0 + 5_000, factors: { a21002: { rtd: 44, flag: 'N' } } })]);
    store.select(MN_CEMS, 'a21002');
    expect(store.points).toEqual([
      { ts: T0, value: 41, valid: true },
      { ts: T0 + 5_000, value: 44, valid: true },
    ]);
    store.select(MN_CEMS, 'a19001');
    expect(store.points).toEqual([{ ts: T0, value: 7, valid: false }]);
  });

  it.each([
    { name: 'minute data uses avg', cn: '2051' as const, fv: { avg: 3, rtd: 9, flag: 'N' as const }, expected: [3] },
    { name: 'real-time data uses rtd', cn: '2011' as const, fv: { avg: 3, rtd: 9, flag: 'N' as const }, expected: [9] },
    { name: 'a factor with only a cumulative value is skipped', cn: '2061' as const, fv: { cou: 120, flag: 'N' as const }, expected: [] },
  ])('$name', ({ cn, fv, expected }) => {
    const store = useTrendStore();
    store.record([makeLatest({ cn, factors: { a00000: fv } })]);
    store.select(MN_CEMS, 'a00000');
    expect(store.points.map((p) => p.value)).toEqual(expected);
  });

  it('ignores repeated or older instants (a snapshot after a batch)', () => {
    const store = useTrendStore();
    store.record([makeLatest({ ts: T0 + 5_000 })]);
    store.record([makeLatest({ ts: T0 + 5_000 }), makeLatest({ ts: T0 })]);
    store.select(MN_CEMS, 'a21002');
    expect(store.points).toHaveLength(1);
  });

  it(`keeps the last ${TREND_CAPACITY} points`, () => {
    const store = useTrendStore();
    for (let i = 0; i < TREND_CAPACITY + 5; i += 1) store.record([makeLatest({ ts: T0 + i * 1_000, factors: { a21002: { rtd: i, flag: 'N' } } })]);
    store.select(MN_CEMS, 'a21002');
    expect(store.points).toHaveLength(TREND_CAPACITY);
    expect(store.points[0]?.value).toBe(5);
  });

  it('has no points while nothing is selected', () => {
    const store = useTrendStore();
    store.record([makeLatest()]);
    expect(store.points).toEqual([]);
  });
});

describe('trend history', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.unstubAllGlobals());

  it('puts the stored half hour in front of the live points on first selection, once', async () => {
    const fetchFn = vi.fn(async (url: string) => {
      expect(url).toBe(`/api/sources/${MN_CEMS}/series?factor=a21002&cn=2011&from=${T0 - HISTORY_MS}`);
      const items = [
        { ts: T0 - 10_000, rtd: 30, flag: 'N' },
        { ts: T0 - 5_000, rtd: 31, flag: 'D' },
        { ts: T0, rtd: 99, flag: 'N' }, // also live: the live point wins
      ];
      return new Response(JSON.stringify({ items }), { status: 200 });
    });
    vi.stubGlobal('fetch', fetchFn);
    const store = useTrendStore();
    store.record([makeLatest({ ts: T0, factors: { a21002: { rtd: 41, flag: 'N' } } })]);
    await store.select(MN_CEMS, 'a21002', T0);
    expect(store.points).toEqual([
      { ts: T0 - 10_000, value: 30, valid: true },
      { ts: T0 - 5_000, value: 31, valid: false },
      { ts: T0, value: 41, valid: true },
    ]);
    await store.select(MN_CEMS, 'a21002', T0);
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });
});
