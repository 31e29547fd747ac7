import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useAlertsStore } from '../stores/alerts';
import { useCampaignsStore } from '../stores/campaigns';
import { useConnectionStore } from '../stores/connection';
import { useMaintenanceStore } from '../stores/maintenance';
import { useSourcesStore } from '../stores/sources';
import { makeAlert, makeLatest, makeSource, MN_CEMS, MN_NH3, T0 } from '../testing/fixtures';
import { SNAPSHOT_ALERTS_MAX } from '@domain/events';
import { bindRealtime, loadInitialState, type RealtimeSocket } from './realtime';

/** Just enough of a socket.io client socket: records handlers and what the client emits. */
function fakeSocket() {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  const emitted: string[] = [];
  const socket = {
    active: true,
    on: (ev: string, fn: (...args: unknown[]) => void) => handlers.set(ev, fn),
    emit: (ev: string) => emitted.push(ev),
    connect: vi.fn(),
    disconnect: vi.fn(),
    io: { on: (ev: string, fn: (...args: unknown[]) => void) => handlers.set(`io:${ev}`, fn) },
  };
  const fire = (ev: string, ...args: unknown[]) => {
    const fn = handlers.get(ev);
    if (!fn) throw new Error(`no handler for ${ev}`);
    fn(...args);
  };
  return { socket, emitted, fire, bound: socket as unknown as RealtimeSocket };
}

const snapshot = { seq: 10, alerts: [makeAlert()], sources: [makeSource({ latest: makeLatest() })] };

describe('bindRealtime', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });

  it('connects, and a snapshot fills alerts and sources', () => {
    const { socket, fire, bound } = fakeSocket();
    bindRealtime(bound);
    expect(socket.connect).toHaveBeenCalledOnce();
    fire('state:snapshot', snapshot);
    expect(useAlertsStore().list).toHaveLength(1);
    expect(useSourcesStore().list[0]?.mn).toBe(MN_CEMS);
  });

  it.each([
    { name: 'the next event is applied without a resync', seqs: [11, 12], resyncs: 0 },
    { name: 'a gap emits state:resync', seqs: [12], resyncs: 1 },
    { name: 'further events before the new snapshot do not resync again', seqs: [12, 14, 15], resyncs: 1 },
  ])('$name', ({ seqs, resyncs }) => {
    const { emitted, fire, bound } = fakeSocket();
    bindRealtime(bound);
    fire('state:snapshot', snapshot);
    const kinds = ['alert:opened', 'alert:updated', 'alert:cleared'];
    seqs.forEach((seq, i) => fire(kinds[i % 3] as string, { seq, alert: makeAlert({ id: 100 + i }) }));
    expect(emitted.filter((e) => e === 'state:resync')).toHaveLength(resyncs);
  });

  it('campaign events reach the campaigns store; a malformed one is rejected and counted', () => {
    const { fire, bound } = fakeSocket();
    bindRealtime(bound);
    const campaign = {
      id: 7,
      name: 'c',
      level: 'light',
      from: T0,
      to: T0 + 1,
      target: { enterpriseIds: [], kinds: [], districts: [] },
      measures: [],
      reductionPct: 20,
      note: null,
      state: 'active',
      affected: ['zichuan-cement'],
      createdBy: 'ozone',
      createdAt: T0,
      activatedBy: 'ozone',
      activatedAt: T0,
      closedBy: null,
      closedAt: null,
    };
    const notice = { campaignId: 7, enterpriseId: 'zichuan-cement', sentAt: T0, acknowledgedAt: null, acknowledgedBy: null, note: null };
    fire('campaign:notice', { kind: 'sent', campaign, notice });
    const campaigns = useCampaignsStore();
    expect(campaigns.active.map((c) => c.id)).toEqual([7]);
    expect(campaigns.notices.get(7)).toEqual([notice]);
    fire('campaign:changed', { campaign: { ...campaign, state: 'ended' } });
    expect(campaigns.byId.get(7)?.state).toBe('ended');
    fire('campaign:changed', { campaign: { id: 'x' } });
    expect(useConnectionStore().rejected).toBe(1);
  });

  it('a reading batch updates the latest values', () => {
    const { fire, bound } = fakeSocket();
    bindRealtime(bound);
    fire('state:snapshot', snapshot);
    fire('reading:batch', [makeLatest({ ts: T0 + 5_000 })]);
    expect(useSourcesStore().latestOf(MN_CEMS)?.ts).toBe(T0 + 5_000);
  });

  it('logger:status offline marks the source offline at once', () => {
    const { fire, bound } = fakeSocket();
    bindRealtime(bound);
    fire('state:snapshot', snapshot);
    fire('logger:status', { mn: MN_CEMS, status: 'offline', since: T0, via: 'hj212' });
    expect(useSourcesStore().byMn.get(MN_CEMS)?.status).toBe('offline');
  });

  it('a changed registry replaces the source list without reconnecting: a new source appears, a removed one goes', () => {
    const { socket, fire, bound } = fakeSocket();
    bindRealtime(bound);
    fire('state:snapshot', snapshot);
    const added = makeSource({ mn: MN_NH3, name: '新增出口', kind: 'ammonia', status: 'nodata', latest: null });
    fire('sources:changed', { version: 2, sources: [added] });
    const sources = useSourcesStore();
    expect(sources.list.map((s) => [s.mn, s.name])).toEqual([[MN_NH3, '新增出口']]);
    expect(sources.byMn.has(MN_CEMS)).toBe(false);
    expect(sources.registryVersion).toBe(2);
    expect(useAlertsStore().list).toHaveLength(1); // alerts untouched
    expect(socket.connect).toHaveBeenCalledOnce();
  });

  it.each([
    ['sources:changed', { version: 2, sources: [{ mn: MN_NH3 }] }],
    ['sources:changed', { sources: [] }],
    ['state:snapshot', { seq: 'x', alerts: [], sources: [] }],
    ['logger:status', { mn: MN_CEMS, status: 'gone', since: T0, via: 'mqtt' }],
    ['alert:opened', { seq: 11, alert: { id: 1 } }],
    ['reading:batch', [{ mn: MN_CEMS }]],
    ['reading:batch', null],
  ])('rejects a malformed %s and counts it', (ev, payload) => {
    const { fire, bound } = fakeSocket();
    bindRealtime(bound);
    fire('state:snapshot', snapshot);
    fire(ev, payload);
    expect(useConnectionStore().rejected).toBe(1);
    expect(useAlertsStore().list).toHaveLength(1);
    expect(useSourcesStore().latestOf(MN_CEMS)?.ts).toBe(T0);
  });

  it('follows the connection: connected, reconnecting with attempts, back, given up', () => {
    const { socket, fire, bound } = fakeSocket();
    bindRealtime(bound);
    const connection = useConnectionStore();
    expect(connection.state).toBe('disconnected');
    fire('connect');
    expect(connection.state).toBe('connected');
    fire('disconnect', 'transport close');
    expect(connection.state).toBe('reconnecting');
    fire('io:reconnect_attempt', 3);
    expect(connection.attempt).toBe(3);
    fire('connect');
    expect([connection.state, connection.attempt]).toEqual(['connected', 0]);
    fire('io:reconnect_failed');
    expect(connection.state).toBe('disconnected');
    socket.active = false;
    fire('connect');
    fire('disconnect', 'io client disconnect');
    expect(connection.state).toBe('disconnected');
  });

  it('with batchMs, alert changes and reading batches are applied together when the window ends, in order; a snapshot first applies what is queued', () => {
    vi.useFakeTimers();
    try {
      const { fire, bound } = fakeSocket();
      const announced: number[] = [];
      bindRealtime(bound, { batchMs: 100, announce: (_, a) => announced.push(a.id) });
      fire('state:snapshot', snapshot);
      const alerts = useAlertsStore();
      const sources = useSourcesStore();
      fire('alert:opened', { seq: 11, alert: makeAlert({ id: 30 }) });
      fire('reading:batch', [makeLatest({ ts: T0 + 60_000 })]);
      fire('alert:cleared', { seq: 12, alert: makeAlert({ id: 30, state: 'cleared', clearedAt: T0 }) });
      expect(alerts.byId.has(30)).toBe(false);
      vi.advanceTimersByTime(100);
      expect(alerts.byId.get(30)?.state).toBe('cleared');
      expect(alerts.lastSeq).toBe(12);
      expect(sources.latestOf(MN_CEMS)?.ts).toBe(T0 + 60_000);
      expect(announced).toEqual([30]);
      fire('alert:opened', { seq: 13, alert: makeAlert({ id: 31 }) });
      fire('state:snapshot', { ...snapshot, seq: 20 });
      expect(alerts.lastSeq).toBe(20);
      expect(alerts.byId.has(31)).toBe(false); // applied, then replaced by the newer snapshot
      expect(announced).toEqual([30, 31]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('announces opened and escalated alerts once applied, never stale ones; refetches on connect', () => {
    const { fire, bound } = fakeSocket();
    const announced: string[] = [];
    let connects = 0;
    bindRealtime(bound, { announce: (kind, a) => announced.push(`${kind}:${a.id}`), connected: () => (connects += 1) });
    fire('connect');
    fire('state:snapshot', snapshot);
    fire('alert:opened', { seq: 11, alert: makeAlert({ id: 20, severity: 'critical' }) });
    fire('alert:updated', { seq: 12, alert: makeAlert({ id: 20, severity: 'critical', count: 2 }) });
    fire('alert:escalated', { seq: 13, alert: makeAlert({ id: 20, severity: 'critical', escalatedAt: T0 }) });
    fire('alert:opened', { seq: 11, alert: makeAlert({ id: 20, severity: 'critical' }) });
    expect(announced).toEqual(['opened:20', 'escalated:20']);
    expect(connects).toBe(1);
  });

  it('a maintenance window event updates the maintenance store; a malformed one is rejected', () => {
    const { fire, bound } = fakeSocket();
    bindRealtime(bound);
    const window = {
      id: 3,
      enterpriseId: 'qilu-power',
      mn: null,
      from: T0,
      to: T0 + 3_600_000,
      reason: '检修',
      declaredBy: 'officer',
      createdAt: T0,
      status: 'approved' as const,
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      endedBy: null,
      endedAt: null,
    };
    fire('maintenance:changed', { window });
    fire('maintenance:changed', { window: { id: 'x' } });
    expect(useMaintenanceStore().list.map((w) => w.id)).toEqual([3]);
    expect(useConnectionStore().rejected).toBe(1);
  });

  it('a reconnect that resumed refetches the source list (no snapshot comes); the first connect does not', async () => {
    const { fire, bound } = fakeSocket();
    const added = makeSource({ mn: MN_NH3, name: '新增出口', kind: 'ammonia', status: 'nodata', latest: null });
    const fetchSources = vi.fn(() => Promise.resolve([makeSource(), added]));
    bindRealtime(bound, { fetchSources });
    fire('connect');
    fire('state:snapshot', snapshot);
    expect(fetchSources).not.toHaveBeenCalled();
    fire('disconnect', 'transport close');
    fire('connect');
    fire('alert:opened', { seq: 11, alert: makeAlert({ id: 30 }) });
    expect(fetchSources).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(useSourcesStore().list.map((s) => s.mn)).toEqual([MN_CEMS, MN_NH3]));
    expect(useAlertsStore().list.map((a) => a.id)).toEqual([30, 1]);
  });

  it('a snapshot without the list (a province: sourcesOnRest) fetches no whole list; a page that wants it does, once', async () => {
    const { fire, bound } = fakeSocket();
    let resolve: (list: ReturnType<typeof makeSource>[]) => void = () => undefined;
    const fetchSources = vi.fn(() => new Promise<ReturnType<typeof makeSource>[]>((r) => (resolve = r)));
    bindRealtime(bound, { fetchSources });
    await loadInitialState({ fetchOpenAlerts: () => Promise.resolve({ items: [], total: 0 }) });
    fire('state:snapshot', { seq: 10, alerts: [makeAlert()], sources: [], sourcesOnRest: true });
    expect(fetchSources).not.toHaveBeenCalled();
    const sources = useSourcesStore();
    expect(sources.onDemand).toBe(true);
    expect(sources.complete).toBe(false);
    expect(useAlertsStore().list).toHaveLength(1);
    sources.wantAll(fetchSources);
    expect(fetchSources).toHaveBeenCalledOnce();
    resolve([makeSource({ latest: makeLatest() })]);
    await vi.waitFor(() => expect(sources.list.map((s) => s.mn)).toEqual([MN_CEMS]));
    expect(sources.complete).toBe(true);
    sources.wantAll(fetchSources); // held: not again
    expect(fetchSources).toHaveBeenCalledOnce();
    // The registry changed: a page wanted the whole list, so it is fetched afresh.
    fire('sources:changed', { version: 2, sources: [], sourcesOnRest: true });
    expect(fetchSources).toHaveBeenCalledTimes(2);
  });

  it('a refetch that fails leaves the list as it is', async () => {
    const { fire, bound } = fakeSocket();
    const fetchSources = vi.fn(() => Promise.reject(new Error('HTTP 502')));
    const warn = vi.mocked(console.warn);
    warn.mockClear();
    bindRealtime(bound, { fetchSources });
    fire('state:snapshot', snapshot);
    fire('connect');
    expect(fetchSources).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining('source list'), expect.any(Error)));
    expect(useSourcesStore().list.map((s) => s.mn)).toEqual([MN_CEMS]);
  });

  it('after the server closed the socket, the next handshake resumes from nothing (a snapshot is owed)', () => {
    const { fire, bound } = fakeSocket();
    const fetchSources = vi.fn(() => Promise.resolve([]));
    bindRealtime(bound, { fetchSources });
    fire('connect');
    fire('state:snapshot', snapshot);
    expect(useAlertsStore().resumeSeq).toBe(10);
    fire('disconnect', 'io server disconnect');
    expect(useAlertsStore().resumeSeq).toBe(null);
    fire('connect');
    expect(fetchSources).not.toHaveBeenCalled();
    fire('state:snapshot', { ...snapshot, seq: 3 });
    expect(useAlertsStore().resumeSeq).toBe(3);
  });

  it('reconnects by itself when the server closed the session', () => {
    const { socket, fire, bound } = fakeSocket();
    bindRealtime(bound);
    fire('connect');
    fire('disconnect', 'io server disconnect');
    expect(socket.connect).toHaveBeenCalledTimes(2);
  });
});

describe('loadInitialState', () => {
  beforeEach(() => setActivePinia(createPinia()));

  const rest = { fetchOpenAlerts: () => Promise.resolve({ items: [makeAlert({ id: 7 })], total: 1 }) };

  it('fills the alerts before the first snapshot, and takes no source list', async () => {
    await loadInitialState(rest);
    expect(useAlertsStore().list.map((a) => a.id)).toEqual([7]);
    expect(useAlertsStore().paged).toBe(false);
    expect(useSourcesStore().list).toHaveLength(0);
  });

  it('more open alerts than a snapshot carries: paged from the first REST answer, before any snapshot', async () => {
    const items = [makeAlert({ id: 7 }), makeAlert({ id: 8 })];
    await loadInitialState({ fetchOpenAlerts: () => Promise.resolve({ items, total: SNAPSHOT_ALERTS_MAX + 1 }) });
    const alerts = useAlertsStore();
    expect([alerts.paged, alerts.openTotal, alerts.openPage?.items.length]).toEqual([true, SNAPSHOT_ALERTS_MAX + 1, 2]);
    // The snapshot still replaces everything (here: fewer open alerts now, not paged).
    alerts.applySnapshot({ seq: 1, alerts: [makeAlert({ id: 9 })] });
    expect([alerts.paged, alerts.openTotal, alerts.openPage]).toEqual([false, 1, null]);
    expect(alerts.list.map((a) => a.id)).toEqual([9]);
  });

  it('leaves the stores alone once a snapshot arrived', async () => {
    useAlertsStore().applySnapshot({ seq: 1, alerts: [] });
    await loadInitialState(rest);
    expect(useAlertsStore().list).toHaveLength(0);
  });
});
