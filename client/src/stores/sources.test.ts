import type { LatestValues, SourceView } from '@domain/events';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeAlert, makeLatest, makeSource, MN_CEMS, MN_NH3, T0 } from '../testing/fixtures';
import { useAlertsStore } from './alerts';
import { type BatchResult, useSourcesStore } from './sources';

const cems = makeSource({ latest: makeLatest({ ts: T0 }) });
const nh3 = makeSource({ mn: MN_NH3, name: '1号机组SCR出口', kind: 'ammonia', status: 'offline', latest: null });

describe('sources store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('a snapshot replaces the list, in registry order', () => {
    const store = useSourcesStore();
    store.applySnapshot([makeSource({ mn: 'OLD0000000000000' })]);
    store.applySnapshot([nh3, cems]);
    expect(store.list.map((s) => s.mn)).toEqual([MN_NH3, MN_CEMS]);
    expect(store.enterpriseNames.get('qilu-power')).toBe('齐鲁示范热电有限公司');
  });

  it.each<{ name: string; batch: LatestValues[]; result: BatchResult; cemsTs: number; nh3Status: string }>([
    {
      name: 'newer values replace the latest',
      batch: [makeLatest({ ts: T0 + 5_000, factors: { a21002: { rtd: 48, flag: 'N' } } })],
      result: { applied: 1, unknown: [], older: 0 },
      cemsTs: T0 + 5_000,
      nh3Status: 'offline',
    },
    {
      name: 'an offline source that reports is no longer offline',
      batch: [makeLatest({ mn: MN_NH3, ts: T0 + 1_000, factors: { a21001: { rtd: 1.2, flag: 'N' } } })],
      result: { applied: 1, unknown: [], older: 0 },
      cemsTs: T0,
      nh3Status: 'normal',
    },
    {
      name: 'older values than shown are ignored',
      batch: [makeLatest({ ts: T0 - 30_000 })],
      result: { applied: 0, unknown: [], older: 1 },
      cemsTs: T0,
      nh3Status: 'offline',
    },
    {
      name: 'an MN not in the registry is reported, not added',
      batch: [makeLatest({ mn: 'UNKNOWN000000000' })],
      result: { applied: 0, unknown: ['UNKNOWN000000000'], older: 0 },
      cemsTs: T0,
      nh3Status: 'offline',
    },
    { name: 'an empty batch changes nothing', batch: [], result: { applied: 0, unknown: [], older: 0 }, cemsTs: T0, nh3Status: 'offline' },
  ])('$name', ({ batch, result, cemsTs, nh3Status }) => {
    const store = useSourcesStore();
    store.applySnapshot([cems, nh3]);
    expect(store.applyBatch(batch)).toEqual(result);
    expect(store.latestOf(MN_CEMS)?.ts).toBe(cemsTs);
    expect(store.list.find((s) => s.mn === MN_NH3)?.status).toBe(nh3Status);
    expect(store.list).toHaveLength(2);
  });

  it('a batch keeps the registry facts and replaces all factor values of that source', () => {
    const store = useSourcesStore();
    store.applySnapshot([cems]);
    const latest = makeLatest({ ts: T0 + 30_000, factors: { a19001: { rtd: 7.1, flag: 'M' } } });
    store.applyBatch([latest]);
    expect(store.view(MN_CEMS)).toEqual({ ...cems, latest });
    expect(store.byMn.get(MN_CEMS)).toBe(cems); // the list itself is not touched by a batch
  });

  // Status between snapshots follows the alerts once they are in sync.
  it.each<{
    server: 'normal' | 'exceeding' | 'offline' | 'nodata';
    alertState: 'active' | 'cleared' | null;
    synced: boolean;
    shown: string;
  }>([
    { server: 'normal', alertState: 'active', synced: true, shown: 'exceeding' },
    { server: 'exceeding', alertState: 'cleared', synced: true, shown: 'normal' },
    { server: 'exceeding', alertState: null, synced: true, shown: 'normal' },
    { server: 'exceeding', alertState: null, synced: false, shown: 'exceeding' },
    { server: 'offline', alertState: 'active', synced: true, shown: 'offline' },
    { server: 'nodata', alertState: null, synced: true, shown: 'nodata' },
  ])('server says $server, alert $alertState, synced $synced → $shown', ({ server, alertState, synced, shown }) => {
    const alerts = useAlertsStore();
    const store = useSourcesStore();
    const list = alertState ? [makeAlert({ state: alertState, clearedAt: alertState === 'cleared' ? T0 : null })] : [];
    if (synced) alerts.applySnapshot({ seq: 1, alerts: list });
    else alerts.hydrate(list);
    store.applySnapshot([{ ...cems, status: server }]);
    expect(store.list[0]?.status).toBe(shown);
  });

  it('a logger that went offline shows offline at once, until it reports again; coming online alone changes nothing', () => {
    const store = useSourcesStore();
    useAlertsStore().applySnapshot({ seq: 1, alerts: [] });
    store.applySnapshot([{ ...cems, status: 'normal' }]);
    expect(store.applyLoggerStatus({ mn: MN_CEMS, status: 'offline', since: T0, via: 'mqtt' })).toBe(true);
    expect(store.list[0]?.status).toBe('offline');
    store.applyLoggerStatus({ mn: MN_CEMS, status: 'online', since: T0 + 1, via: 'mqtt' });
    expect(store.list[0]?.status).toBe('offline');
    store.applyBatch([makeLatest({ ts: T0 + 5_000 })]);
    expect(store.list[0]?.status).toBe('normal');
    expect(store.applyLoggerStatus({ mn: 'UNKNOWN', status: 'offline', since: T0, via: 'hj212' })).toBe(false);
  });

  describe('refreshed over REST after a reconnect that brought no snapshot', () => {
    /** The fetch resolves when the test says: what the socket brings meanwhile is applied first. */
    const deferred = () => {
      let resolve: (list: SourceView[]) => void = () => undefined;
      const promise = new Promise<SourceView[]>((r) => (resolve = r));
      return { fetch: () => promise, resolve };
    };
    const added = makeSource({ mn: MN_NH3, name: '新增出口', kind: 'ammonia', status: 'nodata', latest: null });

    it('a registry change missed while away: the fetched list replaces the shown one', async () => {
      const store = useSourcesStore();
      store.applySnapshot([cems]);
      const rest = deferred();
      const done = store.refresh(rest.fetch);
      rest.resolve([added]);
      expect(await done).toBe(true);
      expect(store.list.map((s) => s.mn)).toEqual([MN_NH3]);
    });

    it.each([
      { name: 'a snapshot', during: (store: ReturnType<typeof useSourcesStore>) => store.applySnapshot([added]) },
      {
        name: 'a registry change',
        during: (store: ReturnType<typeof useSourcesStore>) => store.applyRegistryChange({ version: 3, sources: [added] }),
      },
    ])('$name arriving during the fetch is newer: the fetched list is dropped', async ({ during }) => {
      const store = useSourcesStore();
      store.applySnapshot([cems]);
      const rest = deferred();
      const done = store.refresh(rest.fetch);
      during(store);
      rest.resolve([cems]);
      expect(await done).toBe(false);
      expect(store.list.map((s) => s.mn)).toEqual([MN_NH3]);
    });

    it('latest values newer than the fetched ones (a reading batch during the fetch) are kept', async () => {
      const store = useSourcesStore();
      store.applySnapshot([{ ...cems, status: 'offline' }]);
      const rest = deferred();
      const done = store.refresh(rest.fetch);
      store.applyBatch([makeLatest({ ts: T0 + 9_000 })]);
      rest.resolve([{ ...cems, status: 'offline', latest: makeLatest({ ts: T0 + 1_000 }) }, added]);
      expect(await done).toBe(true);
      expect(store.byMn.get(MN_CEMS)).toMatchObject({ latest: { ts: T0 + 9_000 }, status: 'normal' });
      expect(store.byMn.get(MN_NH3)?.latest).toBe(null);
    });
  });
});

describe('sources store at a province’s size (sources on demand)', () => {
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  const urls: string[] = [];
  beforeEach(() => {
    setActivePinia(createPinia());
    urls.length = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        urls.push(input);
        const mns = new URLSearchParams(input.split('?')[1] ?? '').get('mn')?.split(',') ?? [];
        return json({ items: [cems, nh3].filter((s) => mns.includes(s.mn)), total: 0 });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('the sources shown are fetched by MN together, each once; an MN the server does not return is absent', async () => {
    const store = useSourcesStore();
    store.goOnDemand();
    const missing = 'MISSING000000000';
    expect([store.lookup(MN_CEMS), store.lookup(MN_NH3), store.lookup(MN_CEMS), store.view(missing)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(store.isAbsent(missing)).toBe(false); // not known yet
    await store.settled();
    expect(urls).toEqual([`/api/sources?mn=${encodeURIComponent([MN_CEMS, MN_NH3, missing].join(','))}`]);
    expect(store.lookup(MN_CEMS)?.name).toBe(cems.name);
    expect(store.view(MN_NH3)?.kind).toBe('ammonia');
    expect(store.lookup(missing)).toBeUndefined();
    expect(store.isAbsent(missing)).toBe(true);
    await store.settled();
    expect(urls).toHaveLength(1); // nothing asked twice
    expect(store.complete).toBe(false);
  });

  it('a resync keeps the sources fetched by MN; a registry change drops them and they are asked for again when shown', async () => {
    const store = useSourcesStore();
    store.goOnDemand();
    store.lookup(MN_CEMS);
    await store.settled();
    expect(store.byMn.size).toBe(1);
    store.goOnDemand(); // another snapshot (a resync): what was fetched is kept, not asked for again
    expect(store.lookup(MN_CEMS)?.name).toBe(cems.name);
    await store.settled();
    expect(urls).toHaveLength(1);
    store.goOnDemand(true);
    expect(store.byMn.size).toBe(0);
    store.lookup(MN_CEMS);
    await store.settled();
    expect(urls).toHaveLength(2);
    expect(store.lookup(MN_CEMS)?.name).toBe(cems.name);
  });

  it('a city’s snapshot holds every source: nothing is fetched by MN, an unknown MN is absent at once', async () => {
    const store = useSourcesStore();
    store.applySnapshot([cems]);
    expect(store.lookup(MN_NH3)).toBeUndefined();
    expect(store.isAbsent(MN_NH3)).toBe(true);
    await store.settled();
    expect(urls).toEqual([]);
  });
});
