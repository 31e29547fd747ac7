import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSourceListStore } from './source-list';

const item = (mn: string) => ({
  mn,
  enterpriseId: 'coke',
  name: '焦炉烟囱',
  kind: 'cems',
  lat: 41.5,
  lon: 120.4,
  position: 'outlet',
  intervalS: 30,
  limits: {},
  enterpriseName: '龙城焦化',
  districtName: '龙城区',
  limitsCount: 0,
  onboardingState: 'networked',
});

/** A fetch whose answers the test releases one by one, in any order. */
function server() {
  const calls: { url: string; answer(body: unknown, status?: number): void }[] = [];
  const fetchFn = ((url: string) =>
    new Promise<Response>((resolve) => {
      calls.push({ url, answer: (body, status = 200) => resolve(new Response(JSON.stringify(body), { status })) });
    })) as typeof fetch;
  return { fetchFn, calls };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('source list store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('asks the server for the page under the filters, leaving blank ones out', async () => {
    const { fetchFn, calls } = server();
    const store = useSourceListStore();
    const done = store.load({ q: '焦炉', kind: undefined, district: '', sort: 'name', page: 2, pageSize: 20 }, fetchFn);
    await settle();
    expect(calls.map((c) => c.url)).toEqual([`/api/registry/sources?q=${encodeURIComponent('焦炉')}&sort=name&page=2&pageSize=20`]);
    calls[0]?.answer({ items: [item('211300CEMS00000000000901')], total: 21, page: 2, pageSize: 20 });
    await done;
    expect(store.items.map((i) => i.mn)).toEqual(['211300CEMS00000000000901']);
    expect(store).toMatchObject({ total: 21, loaded: true, loading: false, error: null });
  });

  it('an older answer arriving after a newer one is dropped', async () => {
    const { fetchFn, calls } = server();
    const store = useSourceListStore();
    const first = store.load({ q: '焦' }, fetchFn);
    const second = store.load({ q: '焦炉' }, fetchFn);
    await settle();
    calls[1]?.answer({ items: [item('211300CEMS00000000000902')], total: 1, page: 1, pageSize: 50 });
    await second;
    calls[0]?.answer({ items: [item('211300CEMS00000000000901'), item('211300CEMS00000000000903')], total: 2, page: 1, pageSize: 50 });
    await first;
    expect(store.items.map((i) => i.mn)).toEqual(['211300CEMS00000000000902']);
    expect(store.total).toBe(1);
  });

  it('a refusal is kept as the error, the last page stays; reload asks again with the same filters', async () => {
    const { fetchFn, calls } = server();
    const store = useSourceListStore();
    const done = store.load({ kind: 'vocs' }, fetchFn);
    await settle();
    calls[0]?.answer({ error: 'bad_request', message: 'kind: invalid' }, 400);
    await done;
    expect(store.error).toBeTruthy();
    const again = store.reload(fetchFn);
    await settle();
    expect(calls[1]?.url).toBe('/api/registry/sources?kind=vocs');
    calls[1]?.answer({ items: [], total: 0, page: 1, pageSize: 50 });
    await again;
    expect(store.error).toBeNull();
  });
});
