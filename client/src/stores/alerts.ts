/**
 * Live alerts, keyed by id. A `state:snapshot` replaces everything; `alert:opened|updated|cleared|escalated`
 * events upsert one alert (the payload is the whole alert, so every kind applies the same way).
 * Events carry a per-server sequence number: an event that does not follow the last one means
 * something was missed, and `applyEvent` answers 'resync' once so the caller asks for a snapshot.
 */
import type { Alert } from '@domain/alert';
import type { AlertEvent, Snapshot } from '@domain/events';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive } from 'vue';

/** Cleared alerts kept for the list; older ones are dropped so an all-day page stays small. */
export const MAX_RESOLVED = 200;

/**
 * applied  – the event followed the previous one (or arrived while a resync is already pending);
 * stale    – already covered by the snapshot or a previous event, ignored;
 * resync   – a gap: the event was applied, and the caller must emit `state:resync`.
 */
export type ApplyResult = 'applied' | 'stale' | 'resync';

/** Newest first: by opening time, then by id (ids grow). */
export const byNewest = (a: Alert, b: Alert): number => b.openedAt - a.openedAt || b.id - a.id;

export const useAlertsStore = defineStore('alerts', () => {
  const byId = shallowReactive(new Map<number, Alert>());
  /** Sequence number of the last snapshot or event applied; null before the first snapshot. */
  const lastSeq = ref<number | null>(null);
  const resyncPending = ref(false);

  const list = computed(() => [...byId.values()].sort(byNewest));
  const active = computed(() => list.value.filter((a) => a.state === 'active'));
  /** MNs of sources with at least one active alert. */
  const activeMns = computed(() => new Set(active.value.map((a) => a.mn)));
  const synced = computed(() => lastSeq.value !== null && !resyncPending.value);

  function replaceAll(alerts: readonly Alert[]): void {
    byId.clear();
    for (const a of alerts) byId.set(a.id, a);
    pruneResolved();
  }

  function applySnapshot(s: Pick<Snapshot, 'seq' | 'alerts'>): void {
    replaceAll(s.alerts);
    lastSeq.value = s.seq;
    resyncPending.value = false;
  }

  /** First paint from REST before the socket's snapshot arrives; ignored once a snapshot is in. */
  function hydrate(alerts: readonly Alert[]): boolean {
    if (lastSeq.value !== null) return false;
    replaceAll(alerts);
    return true;
  }

  function applyEvent(e: AlertEvent): ApplyResult {
    const last = lastSeq.value;
    if (last !== null && e.seq <= last) return 'stale';
    byId.set(e.alert.id, e.alert);
    if (e.alert.state === 'cleared') pruneResolved();
    lastSeq.value = e.seq;
    if ((last !== null && e.seq === last + 1) || resyncPending.value) return 'applied';
    resyncPending.value = true;
    return 'resync';
  }

  function pruneResolved(): void {
    const resolved = [...byId.values()].filter((a) => a.state === 'cleared');
    if (resolved.length <= MAX_RESOLVED) return;
    resolved.sort((a, b) => (b.clearedAt ?? b.lastSeenAt) - (a.clearedAt ?? a.lastSeenAt));
    for (const a of resolved.slice(MAX_RESOLVED)) byId.delete(a.id);
  }

  return { byId, lastSeq, resyncPending, list, active, activeMns, synced, applySnapshot, hydrate, applyEvent };
});
