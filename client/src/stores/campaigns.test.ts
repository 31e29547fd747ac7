import type { Campaign, CampaignNotice } from '@domain/campaign';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { FALLBACK_MEASURES, isNoticeEvent } from '../api/campaigns';
import { isNewer, upsertNotice, useCampaignsStore } from './campaigns';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const T = Date.UTC(2026, 6, 1);
const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 1,
  name: '7 月上旬管控',
  level: 'light',
  from: T,
  to: T + 3 * 86_400_000,
  target: { enterpriseIds: ['zichuan-cement'], kinds: [], districts: [] },
  measures: [{ id: 'pause-voc-steps', zh: '暂停涉 VOCs 工序', en: 'Pause VOC steps', window: null }],
  reductionPct: 20,
  note: null,
  state: 'draft',
  affected: [],
  createdBy: 'ozone',
  createdAt: T,
  activatedBy: null,
  activatedAt: null,
  closedBy: null,
  closedAt: null,
  ...over,
});
const notice = (over: Partial<CampaignNotice> = {}): CampaignNotice => ({
  campaignId: 1,
  enterpriseId: 'zichuan-cement',
  sentAt: T,
  acknowledgedAt: null,
  acknowledgedBy: null,
  note: null,
  ...over,
});

function server(routes: Record<string, () => Response>) {
  const calls: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${String(input)}`;
    calls.push(key);
    const route = routes[key];
    return route ? route() : json({ error: 'not_found', message: 'no route' }, 404);
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe('campaigns store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it.each<[Campaign['state'], Campaign['state'] | undefined, boolean]>([
    ['draft', undefined, true],
    ['active', 'draft', true],
    ['active', 'active', true],
    ['draft', 'active', false],
    ['active', 'ended', false],
    ['cancelled', 'active', true],
  ])('an event in state %s over a shown %s is applied: %s', (incoming, shown, expected) => {
    expect(isNewer(campaign({ state: incoming }), shown ? campaign({ state: shown }) : undefined)).toBe(expected);
  });

  it('upsertNotice replaces the same enterprise and keeps the others', () => {
    const list = upsertNotice([notice({ enterpriseId: 'a' }), notice()], notice({ acknowledgedAt: T + 5 }));
    expect(list.map((n) => [n.enterpriseId, n.acknowledgedAt])).toEqual([
      ['a', null],
      ['zichuan-cement', T + 5],
    ]);
  });

  it('a live notice (sent, then acknowledged) shows without any request', () => {
    const store = useCampaignsStore();
    const active = campaign({ state: 'active', affected: ['zichuan-cement'] });
    const sent = { kind: 'sent', campaign: active, notice: notice() };
    expect(isNoticeEvent(sent)).toBe(true);
    store.applyNotice(sent as Parameters<typeof store.applyNotice>[0]);
    expect(store.active.map((c) => c.id)).toEqual([1]);
    store.applyNotice({
      kind: 'acknowledged',
      campaign: active,
      notice: notice({ acknowledgedAt: T + 9, acknowledgedBy: 'zichuan-cement' }),
    });
    expect(store.notices.get(1)?.[0]?.acknowledgedBy).toBe('zichuan-cement');
  });

  it('a malformed notice event is recognised as such', () => {
    expect(isNoticeEvent({ kind: 'sent', campaign: { id: 1 }, notice: notice() })).toBe(false);
  });

  it('create, then activate: the detail with its notices is fetched', async () => {
    const active = campaign({ state: 'active', affected: ['zichuan-cement'] });
    const { calls, fetchFn } = server({
      'POST /api/campaigns': () => json({ campaign: campaign() }, 201),
      'POST /api/campaigns/1/activate': () => json({ campaign: active }),
      'GET /api/campaigns/1': () => json({ campaign: active, notices: [notice()], compliance: null }),
    });
    const store = useCampaignsStore();
    await store.create(
      { name: 'x', level: 'light', from: T, to: T + 1, target: { enterpriseIds: ['zichuan-cement'] }, measures: ['pause-voc-steps'] },
      fetchFn,
    );
    expect(store.list.map((c) => c.state)).toEqual(['draft']);
    await store.act(1, 'activate', fetchFn);
    expect(calls).toEqual(['POST /api/campaigns', 'POST /api/campaigns/1/activate', 'GET /api/campaigns/1']);
    expect(store.byId.get(1)?.state).toBe('active');
    expect(store.notices.get(1)).toHaveLength(1);
  });

  it('acknowledge records the answer as the notice', async () => {
    const { fetchFn } = server({
      'POST /api/campaigns/1/acknowledge': () => json({ notice: notice({ acknowledgedAt: T + 1, acknowledgedBy: 'zichuan-cement' }) }),
    });
    const store = useCampaignsStore();
    await store.acknowledge(1, undefined, fetchFn);
    expect(store.notices.get(1)?.[0]?.acknowledgedAt).toBe(T + 1);
  });

  it('templates: the server list when offered, else the shipped defaults', async () => {
    const store = useCampaignsStore();
    await store.loadTemplates(server({}).fetchFn);
    expect(store.templatesFromServer).toBe(false);
    expect(store.templates.map((m) => m.id)).toEqual(FALLBACK_MEASURES.map((m) => m.id));

    setActivePinia(createPinia());
    const fresh = useCampaignsStore();
    await fresh.loadTemplates(
      server({ 'GET /api/ozone/measures': () => json({ items: [{ id: 'only-one', zh: '一', en: 'one', kinds: [] }] }) }).fetchFn,
    );
    expect(fresh.templatesFromServer).toBe(true);
    expect(fresh.templates.map((m) => m.id)).toEqual(['only-one']);
  });

  it('resync refetches only what was loaded', async () => {
    const { calls, fetchFn } = server({
      'GET /api/campaigns': () => json({ items: [campaign({ state: 'active', affected: ['zichuan-cement'] })] }),
      'GET /api/campaigns/1': () => json({ campaign: campaign({ state: 'active' }), notices: [notice()], compliance: null }),
    });
    const store = useCampaignsStore();
    await store.resync(fetchFn);
    expect(calls).toEqual([]);
    await store.loadWithActiveDetails(fetchFn);
    calls.length = 0;
    await store.resync(fetchFn);
    expect(calls).toEqual(['GET /api/campaigns', 'GET /api/campaigns/1']);
  });
});
