import type { AlertEvent } from '@domain/events';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeAlert, MN_NH3, T0 } from '../testing/fixtures';
import { type ApplyResult, MAX_RESOLVED, useAlertsStore } from './alerts';

const a1 = makeAlert({ id: 1, openedAt: T0 });
const a2 = makeAlert({ id: 2, mn: MN_NH3, factor: 'a21001', openedAt: T0 + 60_000 });
const ev = (seq: number, alert = a1): AlertEvent => ({ seq, alert });

describe('alerts store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('a snapshot replaces every alert and sets the sequence', () => {
    const store = useAlertsStore();
    store.applySnapshot({ seq: 3, alerts: [a1] });
    store.applySnapshot({ seq: 7, alerts: [a2] });
    expect(store.list.map((a) => a.id)).toEqual([2]);
    expect(store.lastSeq).toBe(7);
    expect(store.synced).toBe(true);
  });

  // Each row: events applied in order after a snapshot at seq 10 holding a1 → results, resulting list.
  it.each<{ name: string; events: AlertEvent[]; results: ApplyResult[]; ids: number[]; a1?: Partial<typeof a1> }>([
    { name: 'opened adds', events: [ev(11, a2)], results: ['applied'], ids: [2, 1] },
    {
      name: 'updated replaces in place',
      events: [ev(11, { ...a1, value: 80, peak: 80, count: 4, lastSeenAt: T0 + 5_000 })],
      results: ['applied'],
      ids: [1],
      a1: { value: 80, peak: 80, count: 4, state: 'active' },
    },
    {
      name: 'cleared keeps the alert, marked cleared',
      events: [ev(11, { ...a1, state: 'cleared', clearedAt: T0 + 9_000 })],
      results: ['applied'],
      ids: [1],
      a1: { state: 'cleared', clearedAt: T0 + 9_000 },
    },
    { name: 'an event already in the snapshot is stale', events: [ev(10, a2), ev(9, a2)], results: ['stale', 'stale'], ids: [1] },
    { name: 'a duplicate event is stale', events: [ev(11, a2), ev(11, a2)], results: ['applied', 'stale'], ids: [2, 1] },
    {
      name: 'a gap asks for a resync once',
      events: [ev(13, a2), ev(14, a2), ev(16, a2)],
      results: ['resync', 'applied', 'applied'],
      ids: [2, 1],
    },
  ])('$name', ({ events, results, ids, a1: expected }) => {
    const store = useAlertsStore();
    store.applySnapshot({ seq: 10, alerts: [a1] });
    expect(events.map((e) => store.applyEvent(e))).toEqual(results);
    expect(store.list.map((a) => a.id)).toEqual(ids);
    if (expected) expect(store.byId.get(1)).toMatchObject(expected);
  });

  it('orders newest first by opening time, then by id', () => {
    const store = useAlertsStore();
    const same = makeAlert({ id: 5, openedAt: T0 });
    const older = makeAlert({ id: 9, openedAt: T0 - 1 });
    store.applySnapshot({ seq: 1, alerts: [older, a1, same, a2] });
    expect(store.list.map((a) => a.id)).toEqual([2, 5, 1, 9]);
  });

  it('a resync is pending from the gap until the next snapshot, which clears it', () => {
    const store = useAlertsStore();
    store.applySnapshot({ seq: 1, alerts: [] });
    expect(store.applyEvent(ev(3))).toBe('resync');
    expect(store.synced).toBe(false);
    store.applySnapshot({ seq: 4, alerts: [a1, a2] });
    expect(store.synced).toBe(true);
    expect(store.applyEvent(ev(4))).toBe('stale');
    expect(store.applyEvent(ev(5))).toBe('applied');
    expect(store.applyEvent(ev(7))).toBe('resync');
  });

  // A reconnect that resumed (the handshake's `auth.seq`): with Redis the server replays the changes
  // after it and sends no snapshot; a single process (or a Redis that no longer keeps them) sends one.
  it.each<{ name: string; after: AlertEvent[] | number; results: ApplyResult[]; ids: number[]; resume: number | null }>([
    {
      name: 'no snapshot: the replay continues from lastSeq + 1, then the live changes',
      after: [ev(12, a2), ev(13, { ...a1, state: 'cleared', clearedAt: T0 + 9_000 }), ev(14, a2)],
      results: ['applied', 'applied', 'applied'],
      ids: [2, 1],
      resume: 14,
    },
    {
      name: 'no snapshot: a change the page already had (in flight at the disconnect) is stale',
      after: [ev(11), ev(12, a2)],
      results: ['stale', 'applied'],
      ids: [2, 1],
      resume: 12,
    },
    { name: 'no snapshot: a gap still asks for a resync', after: [ev(13, a2)], results: ['resync'], ids: [2, 1], resume: null },
    { name: 'a snapshot replaces everything, at its number', after: 40, results: [], ids: [2], resume: 40 },
  ])('reconnected: $name', ({ after, results, ids, resume }) => {
    const store = useAlertsStore();
    store.applySnapshot({ seq: 10, alerts: [] });
    expect(store.applyEvent(ev(11))).toBe('applied');
    expect(store.resumeSeq).toBe(11);
    if (typeof after === 'number') store.applySnapshot({ seq: after, alerts: [a2] });
    else expect(after.map((e) => store.applyEvent(e))).toEqual(results);
    expect(store.list.map((a) => a.id)).toEqual(ids);
    expect(store.resumeSeq).toBe(resume);
  });

  it('resumes from nothing before the first snapshot, nor while a snapshot is owed', () => {
    const store = useAlertsStore();
    expect(store.hydrate([a1])).toBe(true);
    expect(store.resumeSeq).toBe(null);
    store.applySnapshot({ seq: 10, alerts: [a1] });
    expect(store.resumeSeq).toBe(10);
    // The server closed the socket on purpose (the identity changed: maybe another audience, other numbers).
    store.expectSnapshot();
    expect([store.resumeSeq, store.synced]).toEqual([null, false]);
    store.applySnapshot({ seq: 3, alerts: [a2] });
    expect(store.resumeSeq).toBe(3);
  });

  it('an event before any snapshot is applied and asks for one', () => {
    const store = useAlertsStore();
    expect(store.applyEvent(ev(42, a2))).toBe('resync');
    expect(store.list).toHaveLength(1);
  });

  it('a lower sequence in a new snapshot (server restarted) is accepted', () => {
    const store = useAlertsStore();
    store.applySnapshot({ seq: 500, alerts: [a1] });
    store.applySnapshot({ seq: 0, alerts: [] });
    expect(store.applyEvent(ev(1, a2))).toBe('applied');
  });

  it('tracks the active alerts and the sources that have one', () => {
    const store = useAlertsStore();
    store.applySnapshot({ seq: 1, alerts: [a1, { ...a2, state: 'cleared', clearedAt: T0 + 1 }] });
    expect(store.active.map((a) => a.id)).toEqual([1]);
    expect([...store.activeMns]).toEqual([a1.mn]);
  });

  it('keeps at most MAX_RESOLVED closed alerts, dropping the earliest closed, never an open one', () => {
    const store = useAlertsStore();
    const closed = Array.from({ length: MAX_RESOLVED + 1 }, (_, i) =>
      makeAlert({ id: 100 + i, state: 'cleared', openedAt: T0 + i, clearedAt: T0 + 1_000 + i, closedAt: T0 + 2_000 + i }),
    );
    const clearedOpen = Array.from({ length: 5 }, (_, i) => makeAlert({ id: 900 + i, state: 'cleared', clearedAt: T0 }));
    store.applySnapshot({ seq: 1, alerts: [a1, ...closed, ...clearedOpen] });
    expect(store.byId.size).toBe(MAX_RESOLVED + 1 + 5);
    expect(store.byId.has(100)).toBe(false);
    expect(store.byId.has(1)).toBe(true);
    expect(store.byId.has(904)).toBe(true);
  });

  it.each([
    { name: 'an acknowledgement answered over REST is shown at once', known: {}, answer: { acknowledgedAt: T0 + 10 }, shown: T0 + 10 },
    {
      name: 'an answer older than the socket update is ignored',
      known: { acknowledgedAt: T0 + 20, closedAt: T0 + 30 },
      answer: { acknowledgedAt: T0 + 10 },
      shown: T0 + 20,
    },
  ])('$name', ({ known, answer, shown }) => {
    const store = useAlertsStore();
    store.applySnapshot({ seq: 1, alerts: [{ ...a1, ...known }] });
    store.upsert({ ...a1, ...answer });
    expect(store.byId.get(1)?.acknowledgedAt).toBe(shown);
  });

  it('counts open, unacknowledged, announced critical alerts for the banner', () => {
    const store = useAlertsStore();
    store.applySnapshot({
      seq: 1,
      alerts: [
        makeAlert({ id: 1, severity: 'critical' }),
        makeAlert({ id: 2, severity: 'critical', state: 'cleared', clearedAt: T0 }),
        makeAlert({ id: 3, severity: 'critical', acknowledgedAt: T0, acknowledgedBy: 'officer' }),
        makeAlert({ id: 4, severity: 'critical', suppressed: 'maintenance' }),
        makeAlert({ id: 5, severity: 'major' }),
        makeAlert({ id: 6, severity: 'critical', closedAt: T0, closedBy: 'officer' }),
      ],
    });
    expect(store.unacknowledgedCritical.map((a) => a.id).sort()).toEqual([1, 2]);
  });

  it('a paged snapshot’s alerts are the wall’s first page, in its order, until the next change', () => {
    const store = useAlertsStore();
    const critical = makeAlert({ id: 3, severity: 'critical', openedAt: T0 - 60_000 });
    store.applySnapshot({ seq: 1, alerts: [a1, critical, a2], alertsPaged: true, openAlerts: 900 });
    expect(store.openPage?.items.map((a) => a.id)).toEqual([3, 2, 1]);
    expect(store.openPage?.total).toBe(900);
    store.applyEvent(ev(2, { ...a1, lastSeenAt: T0 + 1 }));
    expect(store.openPage).toBe(null);
    // Not paged: the wall shows the store itself, no page is held.
    store.applySnapshot({ seq: 5, alerts: [a1] });
    expect(store.openPage).toBe(null);
  });

  it('REST hydration with the open count: paged past a snapshot’s size, the answer held as the first page', () => {
    const store = useAlertsStore();
    expect(store.hydrate([a2, a1], 501)).toBe(true);
    expect([store.paged, store.openTotal, store.openPage?.items.map((a) => a.id)]).toEqual([true, 501, [2, 1]]);
    store.upsert({ ...a1, acknowledgedAt: T0 + 5, acknowledgedBy: 'officer' });
    expect(store.openPage).toBe(null);
  });

  it('REST hydration fills an empty store but never overrides a snapshot', () => {
    const store = useAlertsStore();
    expect(store.hydrate([a1])).toBe(true);
    expect(store.list).toHaveLength(1);
    store.applySnapshot({ seq: 2, alerts: [a2] });
    expect(store.hydrate([a1])).toBe(false);
    expect(store.list.map((a) => a.id)).toEqual([2]);
  });
});
