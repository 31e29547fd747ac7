/**
 * The wall's rows when the alerts are paged from the server (a province: `alerts.paged`). The first
 * page comes with the filters, further pages as the list is scrolled towards them; every alert the
 * alerts store takes (socket events, REST answers) patches the rows loaded (features/wall/alert-pages.ts)
 * and the counts are asked again shortly after (how many match, how many are open and active), so a
 * change updates its row and the counts without reloading the list. A snapshot (a reconnect, a
 * sequence gap) or new filters load the first page afresh: once for every trigger of one burst (a
 * snapshot both pages the alerts and tells its listeners), an answer to a load since superseded
 * dropped. Only the counts the first page does not tell are asked (its total is the matching count,
 * and the open count too when no filter is set). The unfiltered first page is not asked either while
 * the alerts store holds it unchanged (`alerts.openPage`: a paged snapshot's alerts, or before any the
 * dashboard's first REST load).
 */
import type { Alert } from '@domain/alert';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { fetchAlertPage } from '../api/alerts';
import {
  ACTIVE_COUNT,
  ALERT_PAGE,
  countKey,
  nextOffset,
  OPEN_COUNT,
  openFirstPage,
  pageQuery,
  patchRows,
  type LoadedRows,
} from '../features/wall/alert-pages';
import { emptyFilters, filterAlerts, type AlertFilters } from './alert-filters';
import { useAlertsStore } from './alerts';
import { useSessionStore } from './session';
import { useSourcesStore } from './sources';

/** Counts are asked again this long after the last change (a burst of changes asks once). */
export const RECOUNT_MS = 500;

type Fetch = typeof fetch;
type Page = { items: readonly Alert[]; total: number };

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
  /** Bumped by new filters, a snapshot or the wall left: an answer to an older request is dropped. */
  let generation = 0;
  let recountTimer: ReturnType<typeof setTimeout> | undefined;
  /** A reload asked for and not yet started: the other triggers of the same burst join it. */
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  let watching: (() => void) | null = null;
  /** The requests' fetch (tests give theirs through `watchAlerts`). */
  let fetchFn: Fetch | undefined;

  const me = () => session.user?.username ?? null;
  const rows = computed(() => loaded.value.rows);
  const total = computed(() => loaded.value.total);

  /** A page answered at `offset` becomes the rows from there on. */
  function take(offset: number, page: Page): void {
    // The rows' sources in one request or two (≤ 200 MNs each), before the rows render one by one.
    sources.prefetch(page.items.map((a) => a.mn));
    const before = offset === 0 ? [] : loaded.value.rows.slice(0, offset);
    const known = new Set(before.map((a) => a.id));
    // A row may have moved up into this page meanwhile (a change): it is kept once.
    loaded.value = { rows: [...before, ...page.items.filter((a) => !known.has(a.id))], total: page.total };
    failed.value = false;
  }

  /** The page at `offset`; its total, or null when it failed or was superseded. */
  async function load(offset: number): Promise<number | null> {
    const gen = generation;
    loading.value = true;
    try {
      const page = await fetchAlertPage(pageQuery(filters, me(), offset), fetchFn);
      if (gen !== generation) return null;
      take(offset, page);
      return page.total;
    } catch (err) {
      if (gen === generation) failed.value = true;
      console.warn('[wall] alert page not loaded', err);
      return null;
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  /** The matching, open and active counts: those `known` (a query's key → its total) are not asked again. */
  async function recount(known: ReadonlyMap<string, number> = new Map()): Promise<void> {
    const gen = generation;
    const asked = new Map<string, Promise<number>>();
    const countOf = (query: URLSearchParams): Promise<number> => {
      const key = countKey(query);
      const had = known.get(key);
      if (had !== undefined) return Promise.resolve(had);
      const p = asked.get(key) ?? fetchAlertPage(query, fetchFn).then((page) => page.total);
      asked.set(key, p);
      return p;
    };
    try {
      const matchingQuery = pageQuery(filters, me(), 0, 1);
      const [matching, open, active] = await Promise.all([countOf(matchingQuery), countOf(OPEN_COUNT), countOf(ACTIVE_COUNT)]);
      if (gen !== generation) return;
      counts.value = { open, active };
      loaded.value = { rows: loaded.value.rows, total: Math.max(loaded.value.rows.length, matching) };
    } catch (err) {
      console.warn('[wall] alert counts not refreshed', err);
    }
  }

  function recountSoon(): void {
    clearTimeout(recountTimer);
    recountTimer = setTimeout(() => void recount(), RECOUNT_MS);
  }

  /** The first page, then the counts its total does not tell (asked after it: the rows come first). */
  async function firstPage(): Promise<void> {
    reloadTimer = undefined;
    clearTimeout(recountTimer);
    const gen = generation;
    const query = pageQuery(filters, me(), 0);
    // The last snapshot's (or the first REST load's) alerts, unchanged since, are the unfiltered first page.
    const seed = alerts.openPage;
    let matching: number | null;
    if (seed && query.toString() === openFirstPage().toString() && seed.items.length >= Math.min(ALERT_PAGE, seed.total)) {
      take(0, { items: seed.items.slice(0, ALERT_PAGE), total: seed.total });
      loading.value = false;
      matching = seed.total;
    } else matching = await load(0);
    if (matching !== null && gen === generation) await recount(new Map([[countKey(query), matching]]));
  }

  /**
   * New filters (or a snapshot): the first page afresh, and the counts. Every call until the load
   * starts (the same task) joins one load, with the last filters. The same filters keep the rows
   * shown until the new page replaces them; an answer to an earlier load is dropped.
   */
  /** The first page asked for last was for these filters. */
  function askedFor(next: AlertFilters): boolean {
    return JSON.stringify(next) === JSON.stringify(filters);
  }

  function reload(next: AlertFilters = filters): void {
    const same = askedFor(next);
    filters = JSON.parse(JSON.stringify(next)) as AlertFilters;
    generation += 1;
    if (!same) loaded.value = { rows: [], total: 0 };
    loading.value = true;
    reloadTimer ??= setTimeout(() => void firstPage(), 0);
  }

  /** The list shows rows up to `end` (exclusive): the next page if they are not loaded yet. */
  function showUpTo(end: number): void {
    const offset = nextOffset(loaded.value, end);
    if (offset !== null && !loading.value) void load(offset);
  }

  function changed(alert: Alert | null): void {
    // Not paged (a city): the wall shows the alerts store itself.
    if (!alerts.paged) return;
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

  /** Starts following the alerts store (the wall is shown); returns the stop, which drops the rows. */
  function watchAlerts(fetchWith?: Fetch): () => void {
    fetchFn = fetchWith;
    watching ??= alerts.onChange(changed);
    return () => {
      watching?.();
      watching = null;
      clearTimeout(recountTimer);
      clearTimeout(reloadTimer);
      reloadTimer = undefined;
      // Not followed from now on: shown again, the wall loads them afresh.
      generation += 1;
      loaded.value = { rows: [], total: 0 };
      counts.value = null;
      loading.value = false;
    };
  }

  return { rows, total, counts, loading, failed, pageSize: ALERT_PAGE, askedFor, reload, showUpTo, watchAlerts };
});
