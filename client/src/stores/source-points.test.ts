import type { SourcePoint } from '@domain/source-query';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeAlert, makeLatest, makeSource, MN_CEMS, MN_NH3, T0 } from '../testing/fixtures';
import { useAlertsStore } from './alerts';
import { useMaintenanceStore } from './maintenance';
import { countStatuses, missingBatches, REFRESH_MS, useSourcePointsStore } from './source-points';
import { useSourcesStore } from './sources';

const MN_OTHER = '370300VOC0000000000000301';
const POINTS: SourcePoint[] = [
  [MN_CEMS, 118.3, 36.8, 'normal', 'qilu-power'],
  [MN_NH3, 118.31, 36.81, 'nodata', 'qilu-power'],
  [MN_OTHER, 118.0, 36.7, 'offline', 'zichuan-cement'],
];
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

/** A fetch answering the points and sources by MN, recording the URLs asked. */
function server(points: SourcePoint[] = POINTS) {
  const urls: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    urls.push(url);
    if (url === '/api/sources/points') return json({ items: points, total: points.length });
    const mns = new URL(url, 'http://x').searchParams.get('mn')?.split(',') ?? [];
    return json({ items: mns.map((mn) => makeSource({ mn, name: `排口 ${mn.slice(-3)}` })), total: mns.length });
  }) as typeof fetch;
  return { urls, fetchFn };
}

describe('pure parts', () => {
  it.each<[string, string[], string[], number, string[][]]>([
    ['nothing held: one request', ['a', 'b'], [], 200, [['a', 'b']]],
    ['held ones are not asked for', ['a', 'b', 'c'], ['b'], 200, [['a', 'c']]],
    ['everything held: no request', ['a'], ['a'], 200, []],
    ['duplicates once', ['a', 'a', 'b'], [], 200, [['a', 'b']]],
    ['past the limit: several requests', ['a', 'b', 'c'], [], 2, [['a', 'b'], ['c']]],
  ])('missingBatches: %s', (_, wanted, held, per, expected) => {
    expect(missingBatches(wanted, (mn) => held.includes(mn), per)).toEqual(expected);
  });

  it('countStatuses counts every status, absent ones as 0', () => {
    expect(countStatuses(['normal', 'normal', 'fault'])).toEqual({
      normal: 2,
      exceeding: 0,
      offline: 0,
      maintenance: 0,
      fault: 1,
      nodata: 0,
    });
  });
});

describe('the overview’s points', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 + 60_000 });
    setActivePinia(createPinia());
  });
  afterEach(() => vi.useRealTimers());

  it('derives the six statuses from the points, the active alerts and the windows, and counts them', async () => {
    const points = useSourcePointsStore();
    await points.load(server().fetchFn);
    expect(points.points.map((p) => p.mn)).toEqual([MN_CEMS, MN_NH3, MN_OTHER]);
    expect(Object.fromEntries(points.statusOf)).toEqual({ [MN_CEMS]: 'normal', [MN_NH3]: 'nodata', [MN_OTHER]: 'offline' });
    useAlertsStore().applySnapshot({ seq: 1, alerts: [makeAlert({ rule: 'instrument-fault' })] });
    expect(points.statusOf.get(MN_CEMS)).toBe('fault');
    useMaintenanceStore().apply({
      id: 1,
      enterpriseId: 'qilu-power',
      mn: null,
      from: T0,
      to: T0 + 120_000,
      reason: 'r',
      declaredBy: 'x',
      createdAt: T0,
      status: 'approved',
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      endedBy: null,
      endedAt: null,
    });
    expect(points.counts).toMatchObject({ maintenance: 2, offline: 1, normal: 0 });
    vi.advanceTimersByTime(90_000); // the window ended
    expect(points.statusOf.get(MN_NH3)).toBe('nodata');
  });

  it('moves one source at a time with the socket: a reading, a logger going offline; the cards held take the values', async () => {
    const { fetchFn } = server();
    const points = useSourcePointsStore();
    await points.load(fetchFn);
    await points.need([MN_NH3], fetchFn);
    points.applyBatch([makeLatest({ mn: MN_NH3, ts: T0 + 5_000 }), makeLatest({ mn: 'UNKNOWN', ts: T0 })]);
    expect(points.statusOf.get(MN_NH3)).toBe('normal');
    expect(points.cardOf(MN_NH3)?.latest?.ts).toBe(T0 + 5_000);
    points.applyBatch([makeLatest({ mn: MN_NH3, ts: T0 + 1_000 })]); // older: kept the newer
    expect(points.cardOf(MN_NH3)?.latest?.ts).toBe(T0 + 5_000);
    points.applyLoggerStatus({ mn: MN_CEMS, status: 'offline', since: T0, via: 'mqtt' });
    expect(points.statusOf.get(MN_CEMS)).toBe('offline');
    expect(points.counts).toMatchObject({ offline: 2, normal: 1 });
  });

  it('asks only for the cards in view it holds neither itself nor in the dashboard’s list', async () => {
    const { urls, fetchFn } = server();
    useSourcesStore().applySnapshot([makeSource({ mn: MN_CEMS })]);
    const points = useSourcePointsStore();
    await points.load(fetchFn);
    await points.need([MN_CEMS, MN_NH3, MN_OTHER], fetchFn);
    expect(urls.slice(1)).toEqual([`/api/sources?mn=${encodeURIComponent(`${MN_NH3},${MN_OTHER}`)}`]);
    expect(points.cardOf(MN_OTHER)?.name).toBe('排口 301');
    await points.need([MN_NH3, MN_OTHER], fetchFn);
    expect(urls).toHaveLength(2);
  });

  it('asks the first screen of cards with the first points, not again with later loads', async () => {
    const { urls, fetchFn } = server();
    const points = useSourcePointsStore();
    await points.load(fetchFn, 2);
    await vi.waitFor(() => expect(points.cardOf(MN_NH3)?.name).toBe(`排口 ${MN_NH3.slice(-3)}`));
    expect(urls).toEqual(['/api/sources/points', `/api/sources?mn=${encodeURIComponent(`${MN_CEMS},${MN_NH3}`)}`]);
    await points.load(fetchFn, 2);
    expect(urls).toHaveLength(3);
  });

  it('fetches again on start only when older than the refresh, after a lost connection, or when the registry changed', async () => {
    const { urls, fetchFn } = server();
    const points = useSourcePointsStore();
    points.resync(true); // never loaded: nothing to refresh
    expect(urls).toHaveLength(0);
    await points.start(REFRESH_MS, fetchFn);
    points.stop();
    await points.start(REFRESH_MS, fetchFn); // the map after the grid: the same points
    expect(urls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(REFRESH_MS);
    expect(urls).toHaveLength(2);
    points.stop();
    await vi.advanceTimersByTimeAsync(3 * REFRESH_MS);
    expect(urls).toHaveLength(2);
    points.resync(); // connected, nothing missed
    expect(urls).toHaveLength(2);
    points.markStale();
    await points.start(REFRESH_MS, fetchFn);
    expect(urls).toHaveLength(3);
    points.stop();
  });
});
