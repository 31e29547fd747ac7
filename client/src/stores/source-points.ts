/**
 * The overview's sources at a province's size: every source the user may see as a compact point
 * (GET /api/sources/points: MN, position, the server's status, enterprise) rather than the whole
 * list, and the full view (name, enterprise, latest values) of only the cards in view, asked for
 * by MN (`need`). The six statuses the overview shows are derived here from the points, the active
 * alerts and the maintenance windows by the one status function (server/domain/source-status.ts).
 *
 * Kept current by the socket, one source at a time: a reading batch makes a quiet source report
 * again and refreshes the latest values of the cards held, a logger going offline makes its source
 * offline, an alert change moves its source's status. The points are fetched again only when the
 * registry changed, after a lost connection, and every REFRESH_MS while the overview is shown (the
 * server's offline status follows time, which no event announces).
 */
import type { LatestValues, LoggerStatusEvent, SourceStatusKind, SourceView } from '@domain/events';
import type { SourcePoint } from '@domain/source-query';
import { statusAfterReading, statusWithAlerts } from '@domain/source-status';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, shallowRef } from 'vue';
import { fetchSourcePoints, fetchSourcesByMn, MNS_PER_REQUEST } from '../api/sources';
import { useClock } from '../composables/use-clock';
import { useAlertsStore } from './alerts';
import { useMaintenanceStore } from './maintenance';
import { missingBatches } from './source-lookup';
import { activeAlertsByMn, deriveStatus, OVERVIEW_STATUSES, type OverviewStatus } from './source-status';
import { useSourcesStore } from './sources';

type Fetch = typeof fetch;

/** A source on the map and in the grid: its registry facts (the server's status is kept apart). */
export interface PointFacts {
  mn: string;
  lon: number;
  lat: number;
  enterpriseId: string;
}

export { missingBatches };

export const REFRESH_MS = 60_000;
/** Cards' views held at most; past it, those not in view are dropped (fetched again when scrolled back to). */
export const CARDS_KEPT = 1_000;

/** Counts per overview status, every status present. */
export function countStatuses(statuses: Iterable<OverviewStatus>): Record<OverviewStatus, number> {
  const c = Object.fromEntries(OVERVIEW_STATUSES.map((s) => [s, 0])) as Record<OverviewStatus, number>;
  for (const s of statuses) c[s] += 1;
  return c;
}

export const useSourcePointsStore = defineStore('source-points', () => {
  const alerts = useAlertsStore();
  const maintenance = useMaintenanceStore();
  const sources = useSourcesStore();
  // A window that starts or ends changes the status without any event: re-derive every 30 s.
  const now = useClock(30_000);

  const points = shallowRef<readonly PointFacts[]>([]);
  /** The server's status of each point, as last said or moved since by the socket (`version` counts the moves). */
  let said = new Map<string, SourceStatusKind>();
  const version = ref(0);
  const loaded = ref(false);
  /** When the points were last fetched (epoch ms; 0 never). */
  let loadedAt = 0;
  const error = ref<unknown>(null);
  /** A connection was lost since the last load: the points may have missed changes. */
  let stale = false;
  let inflight: Promise<void> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let users = 0;

  /** The full views of the cards fetched by MN (a reading batch keeps their latest values). */
  const cards = shallowReactive(new Map<string, SourceView>());
  const asked = new Set<string>();

  const activeByMn = computed(() => activeAlertsByMn(alerts.active));

  /**
   * The overview status of every point, derived again on every move (a reading batch, an alert):
   * kept cheap at 20,000 points. The stores are read once, not per point, and a point without an
   * active alert (most of them) takes the status derived once for its server status and window.
   */
  const statusOf = computed(() => {
    void version.value;
    const m = new Map<string, OverviewStatus>();
    const alerting = alerts.synced ? alerts.activeMns : null;
    const byMn = activeByMn.value;
    const inWindow = maintenance.activeAt(now.value);
    const plain = new Map<string, OverviewStatus>();
    for (const p of points.value) {
      const server = statusWithAlerts(said.get(p.mn) ?? 'nodata', alerting ? alerting.has(p.mn) : null);
      const covered = inWindow(p);
      const list = byMn.get(p.mn);
      if (list) {
        m.set(p.mn, deriveStatus({ status: server }, list, covered));
        continue;
      }
      const key = covered ? `${server}+` : server;
      let status = plain.get(key);
      if (status === undefined) plain.set(key, (status = deriveStatus({ status: server }, [], covered)));
      m.set(p.mn, status);
    }
    return m;
  });
  const counts = computed(() => countStatuses(statusOf.value.values()));

  function apply(list: readonly SourcePoint[]): void {
    points.value = list.map(([mn, lon, lat, , enterpriseId]) => ({ mn, lon, lat, enterpriseId }));
    said = new Map(list.map((p) => [p[0], p[3]]));
    version.value += 1;
    loaded.value = true;
    loadedAt = Date.now();
    error.value = null;
  }

  /**
   * The points afresh (one fetch at a time; a call while one is under way shares it). While no card
   * is held (the first load), the views of the first `firstCards` points are asked at once, as the
   * points arrive: the grid would ask them too, but only once measured. The grid knows how many it
   * shows first (SourceGrid.vue, and main.ts before the grid exists).
   */
  function load(fetchFn?: Fetch, firstCards = 0): Promise<void> {
    stale = false;
    inflight ??= fetchSourcePoints(fetchFn)
      .then(
        (list) => {
          const first = cards.size === 0 ? list.slice(0, firstCards).map((p) => p[0]) : [];
          apply(list);
          if (first.length > 0) void need(first, fetchFn);
        },
        (err: unknown) => void (error.value = err),
      )
      .finally(() => (inflight = null));
    return inflight;
  }

  /**
   * Loads every `refreshMs` until every caller of start has called stop; now too unless the points
   * are younger than that (the grid and the map of one overview share one fetch).
   */
  function start(refreshMs = REFRESH_MS, fetchFn?: Fetch, firstCards = 0): Promise<void> {
    users++;
    timer ??= setInterval(() => void load(fetchFn), refreshMs);
    if (loaded.value && !stale && Date.now() - loadedAt < refreshMs) return inflight ?? Promise.resolve();
    return load(fetchFn, firstCards);
  }

  function stop(): void {
    users = Math.max(0, users - 1);
    if (users === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  /** The view a card shows: the dashboard's list has it (a city), or it was fetched by MN. */
  const cardOf = (mn: string): SourceView | undefined => sources.byMn.get(mn) ?? cards.get(mn);

  /** The cards in view: fetches the views not held yet, dropping old ones past CARDS_KEPT. */
  async function need(mns: readonly string[], fetchFn?: Fetch): Promise<void> {
    const batches = missingBatches(mns, (mn) => asked.has(mn) || cardOf(mn) !== undefined, MNS_PER_REQUEST);
    if (batches.length === 0) return;
    if (cards.size > CARDS_KEPT) {
      const keep = new Set(mns);
      for (const mn of [...cards.keys()]) if (!keep.has(mn)) cards.delete(mn);
    }
    for (const b of batches) for (const mn of b) asked.add(mn);
    try {
      const views = (await Promise.all(batches.map((b) => fetchSourcesByMn(b, fetchFn)))).flat();
      for (const v of views) {
        const shown = cards.get(v.mn)?.latest;
        cards.set(v.mn, shown && (!v.latest || shown.ts > v.latest.ts) ? { ...v, latest: shown } : v);
      }
    } catch (err) {
      error.value = err;
    } finally {
      for (const b of batches) for (const mn of b) asked.delete(mn);
    }
  }

  /** A reading batch: the sources that reported are no longer offline / without data; the cards held take the values. */
  function applyBatch(batch: readonly LatestValues[]): void {
    let moved = false;
    for (const latest of batch) {
      const was = said.get(latest.mn);
      if (was !== undefined && statusAfterReading(was) !== was) {
        said.set(latest.mn, statusAfterReading(was));
        moved = true;
      }
      const card = cards.get(latest.mn);
      if (card && (!card.latest || latest.ts >= card.latest.ts)) cards.set(latest.mn, { ...card, latest });
    }
    if (moved) version.value += 1;
  }

  /** A logger's last connection closed: its source is offline until it reports again. */
  function applyLoggerStatus(e: LoggerStatusEvent): void {
    if (e.status !== 'offline' || !said.has(e.mn) || said.get(e.mn) === 'offline') return;
    said.set(e.mn, 'offline');
    version.value += 1;
  }

  /** The connection was lost: fetch the points again once it is back (if they were loaded at all). */
  function markStale(): void {
    if (loaded.value) stale = true;
  }

  /** Connected again, or the registry changed: the points afresh if they are shown or were missed. */
  function resync(registryChanged = false): void {
    if (!loaded.value || (!stale && !registryChanged)) return;
    if (registryChanged) cards.clear();
    void load();
  }

  return {
    points,
    activeByMn,
    statusOf,
    counts,
    loaded,
    error,
    cards,
    cardOf,
    load,
    start,
    stop,
    need,
    applyBatch,
    applyLoggerStatus,
    markStale,
    resync,
  };
});
