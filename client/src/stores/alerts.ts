/**
 * Live alerts, keyed by id. A `state:snapshot` replaces everything; `alert:opened|updated|cleared|escalated`
 * events upsert one alert (the payload is the whole alert, so every kind applies the same way).
 * Events carry a per-server sequence number: an event that does not follow the last one means
 * something was missed, and `applyEvent` answers 'resync' once so the caller asks for a snapshot.
 *
 * A reconnect says where the page left off (`resumeSeq`, the handshake's `auth.seq`): with a Redis
 * the server then replays the changes after it and sends no snapshot, so the events simply go on
 * from `lastSeq + 1` (one the page already had is stale, a gap still asks for a resync); otherwise
 * a snapshot arrives and replaces everything, as on the first connect.
 *
 * A province's audience has more open alerts than a snapshot carries: the snapshot then brings only
 * the first of them in the wall's order (`paged`, with `openTotal`), and the wall pages the rest over
 * REST (stores/alert-wall-pages.ts), kept up to date by the same events (`onChange`). The first REST
 * load (before the snapshot) already tells it from the open count it is answered with, so the wall
 * need not wait for the socket; the snapshot then says it again and replaces everything. Either one's
 * alerts are the unfiltered wall's first page (`openPage`) until the next change.
 */
import { type Alert, byAttention, needsAttention } from '@domain/alert';
import { SNAPSHOT_ALERTS_MAX, type AlertEvent, type Snapshot } from '@domain/events';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, shallowRef } from 'vue';

/**
 * Closed alerts kept for the list; older ones are dropped so an all-day page stays small. Open
 * alerts (active, or cleared but not yet acknowledged) are never dropped: they need an officer.
 */
export const MAX_RESOLVED = 200;

/**
 * applied  – the event followed the previous one (or arrived while a resync is already pending);
 * stale    – already covered by the snapshot or a previous event, ignored;
 * resync   – a gap: the event was applied, and the caller must emit `state:resync`.
 */
export type ApplyResult = 'applied' | 'stale' | 'resync';

/** Newest first: by opening time, then by id (ids grow). */
/** How far an alert's life has gone: every change moves one of these forward. */
const stamp = (a: Alert): number =>
  Math.max(
    a.lastSeenAt,
    a.clearedAt ?? 0,
    a.acknowledgedAt ?? 0,
    a.escalatedAt ?? 0,
    a.closedAt ?? 0,
    a.closedAt === null ? 0 : Number.MAX_SAFE_INTEGER,
  );

export const byNewest = (a: Alert, b: Alert): number => b.openedAt - a.openedAt || b.id - a.id;

export const useAlertsStore = defineStore('alerts', () => {
  const byId = shallowReactive(new Map<number, Alert>());
  /** Sequence number of the last snapshot or event applied; null before the first snapshot. */
  const lastSeq = ref<number | null>(null);
  const resyncPending = ref(false);
  /** The last snapshot carried only the first page of the open alerts (a province): the wall pages them. */
  const paged = ref(false);
  /** With `paged`: how many open alerts the audience had at the snapshot (or the first REST load). */
  const openTotal = ref(0);
  /**
   * Paged: the first open alerts in the wall's order and how many are open, as the last snapshot (or,
   * before any, the first REST load) brought them: the unfiltered wall's first page, without asking.
   * Dropped at the next change (an event, a REST answer): the page is then asked for.
   */
  const openPage = shallowRef<{ items: readonly Alert[]; total: number } | null>(null);
  /** Told of every alert the store takes (events and REST answers), after it took it; and of every snapshot (null). */
  const listeners = new Set<(alert: Alert | null) => void>();
  const tell = (alert: Alert | null): void => listeners.forEach((l) => l(alert));
  function onChange(listener: (alert: Alert | null) => void): () => void {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  const list = computed(() => [...byId.values()].sort(byNewest));
  const active = computed(() => list.value.filter((a) => a.state === 'active'));
  /** MNs of sources with at least one active alert. */
  const activeMns = computed(() => new Set(active.value.map((a) => a.mn)));
  const synced = computed(() => lastSeq.value !== null && !resyncPending.value);
  /** Where a reconnect may resume: the last number applied, unless a snapshot is owed (or none came yet). */
  const resumeSeq = computed(() => (resyncPending.value ? null : lastSeq.value));
  /** Critical, open and not yet acknowledged, announced (not suppressed): the banner stays while any is left. */
  const unacknowledgedCritical = computed(() =>
    list.value.filter((a) => a.severity === 'critical' && needsAttention(a) && a.suppressed === null),
  );

  function replaceAll(alerts: readonly Alert[]): void {
    byId.clear();
    for (const a of alerts) byId.set(a.id, a);
    pruneResolved();
  }

  function applySnapshot(s: Pick<Snapshot, 'seq' | 'alerts' | 'alertsPaged' | 'openAlerts'>): void {
    replaceAll(s.alerts);
    lastSeq.value = s.seq;
    resyncPending.value = false;
    paged.value = s.alertsPaged === true;
    openTotal.value = s.openAlerts ?? s.alerts.filter((a) => a.closedAt === null).length;
    openPage.value = paged.value ? { items: [...s.alerts].sort(byAttention), total: openTotal.value } : null;
    tell(null);
  }

  /**
   * First paint from REST before the socket's snapshot arrives; ignored once a snapshot is in.
   * `open`: the alerts are the first of the open ones in the wall's order and this many are open: past
   * what a snapshot carries they are paged (as the snapshot will say), and the wall starts at once.
   */
  function hydrate(alerts: readonly Alert[], open?: number): boolean {
    if (lastSeq.value !== null) return false;
    replaceAll(alerts);
    if (open === undefined) return true;
    openPage.value = { items: alerts, total: open };
    openTotal.value = open;
    paged.value = open > SNAPSHOT_ALERTS_MAX;
    return true;
  }

  function applyEvent(e: AlertEvent): ApplyResult {
    const last = lastSeq.value;
    if (last !== null && e.seq <= last) return 'stale';
    byId.set(e.alert.id, e.alert);
    if (e.alert.closedAt !== null) pruneResolved();
    openPage.value = null;
    lastSeq.value = e.seq;
    tell(e.alert);
    if ((last !== null && e.seq === last + 1) || resyncPending.value) return 'applied';
    resyncPending.value = true;
    return 'resync';
  }

  /**
   * The next connection must start from a snapshot: the server closed the socket on purpose (an
   * identity change may put the page in another audience, whose numbers are not these).
   */
  function expectSnapshot(): void {
    if (lastSeq.value !== null) resyncPending.value = true;
  }

  /**
   * An alert a REST action answered with (acknowledge, resolve…): shown at once, before the socket's
   * `alert:updated` confirms it. An answer older than what the socket already brought is ignored.
   */
  function upsert(alert: Alert): void {
    const known = byId.get(alert.id);
    if (known && stamp(known) > stamp(alert)) return;
    byId.set(alert.id, alert);
    if (alert.closedAt !== null) pruneResolved();
    openPage.value = null;
    tell(alert);
  }

  function pruneResolved(): void {
    const resolved = [...byId.values()].filter((a) => a.closedAt !== null);
    if (resolved.length <= MAX_RESOLVED) return;
    resolved.sort((a, b) => (b.closedAt ?? b.lastSeenAt) - (a.closedAt ?? a.lastSeenAt));
    for (const a of resolved.slice(MAX_RESOLVED)) byId.delete(a.id);
  }

  return {
    byId,
    lastSeq,
    resyncPending,
    paged,
    openTotal,
    openPage,
    onChange,
    list,
    active,
    activeMns,
    synced,
    resumeSeq,
    unacknowledgedCritical,
    applySnapshot,
    hydrate,
    applyEvent,
    expectSnapshot,
    upsert,
  };
});
