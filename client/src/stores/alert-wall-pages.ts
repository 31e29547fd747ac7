/**
 * The wall's rows when the alerts are paged from the server (a province: `alerts.paged`). The first
 * page comes with the filters, further pages as the list is scrolled towards them; every alert the
 * alerts store takes (socket events, REST answers) patches the rows loaded (features/wall/alert-pages.ts)
 * and the counts are asked again shortly after (how many match, how many are open and active), so a
 * change updates its row and the counts without reloading the list. A snapshot (a reconnect, a
 * sequence gap) or new filters load the first page afresh.
 */
import type { Alert } from '@domain/alert';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { fetchAlertPage } from '../api/alerts';
import { ALERT_PAGE, nextOffset, pageQuery, patchRows, type LoadedRows } from '../features/wall/alert-pages';
import { emptyFilters, filterAlerts, type AlertFilters } from './alert-filters';
import { useAlertsStore } from './alerts';
import { useSessionStore } from './session';
import { useSourcesStore } from './sources';

/** Counts are asked again this long after the last change (a burst of changes asks once). */
export const RECOUNT_MS = 500;

export const useAlertWallPagesStore = defineStore('alert-wall-pages', () => {
  const alerts = useAlertsStore();
  const sources = useSourcesStore();
  const session = useSessionStore();
  const loaded = shallowRef<LoadedRows>({ rows: [], total: 0 });
  /** Open and active (the header's badge), and open in all (the "of n" of the count). */
  const counts = ref<{ active: number; open: number } | null>(null);
  const loading = ref(false);
  const failed = ref(false);
  let filters: AlertFilters = emptyFilters();
  /** Bumped by new filters or a snapshot: an answer to an older request is dropped. */
  let generation = 0;
  let recountTimer: ReturnType<typeof setTimeout> | undefined;
  let watching: (() => void) | null = null;

  const me = () => session.user?.username ?? null;
  const rows = computed(() => loaded.value.rows);
  const total = computed(() => loaded.value.total);

  async function load(offset: number): Promise<void> {
    const gen = generation;
    loading.value = true;
    try {
      const page = await fetchAlertPage(pageQuery(filters, me(), offset));
      if (gen !== generation) return;
      // The rows' sources in one request or two (≤ 200 MNs each), before the rows render one by one.
      sources.prefetch(page.items.map((a) => a.mn));
      const before = offset === 0 ? [] : loaded.value.rows.slice(0, offset);
      const known = new Set(before.map((a) => a.id));
      // A row may have moved up into this page meanwhile (a change): it is kept once.
      loaded.value = { rows: [...before, ...page.items.filter((a) => !known.has(a.id))], total: page.total };
      failed.value = false;
    } catch (err) {
      if (gen === generation) failed.value = true;
      console.warn('[wall] alert page not loaded', err);
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  async function count(query: URLSearchParams): Promise<number> {
    return (await fetchAlertPage(query)).total;
  }

  async function recount(): Promise<void> {
    const gen = generation;
    const open = new URLSearchParams({ open: 'true', limit: '1' });
    const active = new URLSearchParams({ open: 'true', state: 'active', limit: '1' });
    try {
      const [matching, o, a] = await Promise.all([count(pageQuery(filters, me(), 0, 1)), count(open), count(active)]);
      if (gen !== generation) return;
      counts.value = { open: o, active: a };
      loaded.value = { rows: loaded.value.rows, total: Math.max(loaded.value.rows.length, matching) };
    } catch (err) {
      console.warn('[wall] alert counts not refreshed', err);
    }
  }

  function recountSoon(): void {
    clearTimeout(recountTimer);
    recountTimer = setTimeout(() => void recount(), RECOUNT_MS);
  }

  /** New filters (or a snapshot): the first page afresh, and the counts. */
  function reload(next: AlertFilters = filters): void {
    filters = JSON.parse(JSON.stringify(next)) as AlertFilters;
    generation += 1;
    loaded.value = { rows: [], total: 0 };
    void load(0);
    void recount();
  }

  /** The list shows rows up to `end` (exclusive): the next page if they are not loaded yet. */
  function showUpTo(end: number): void {
    const offset = nextOffset(loaded.value, end);
    if (offset !== null && !loading.value) void load(offset);
  }

  function changed(alert: Alert | null): void {
    if (alert === null) return reload();
    // A province's source may not be held yet: a filter on its facts keeps what the server said (the row loaded or not).
    const bySource = filters.district !== null || filters.kind !== null || filters.department !== null || filters.q.trim() !== '';
    const unknown = bySource && sources.lookup(alert.mn) === undefined;
    const matches = unknown
      ? loaded.value.rows.some((r) => r.id === alert.id)
      : filterAlerts([alert], filters, sources.byMn, me()).length === 1;
    loaded.value = patchRows(loaded.value, alert, matches);
    recountSoon();
  }

  /** Starts following the alerts store (the wall is shown); returns the stop. */
  function watchAlerts(): () => void {
    watching ??= alerts.onChange(changed);
    return () => {
      watching?.();
      watching = null;
      clearTimeout(recountTimer);
    };
  }

  return { rows, total, counts, loading, failed, pageSize: ALERT_PAGE, reload, showUpTo, watchAlerts };
});
