/**
 * The duty officer's alert wall: filters (kept in the page's query string, so a reload or a shared
 * link shows the same wall), text search, the order, the rows selected for bulk acknowledgement and
 * the alert open in the detail drawer. Filtering, ordering and the query string are pure functions
 * so 10,000 alerts can be tested without a DOM.
 */
import { byAttention } from '@domain/alert';
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import { emptyFilters, filterAlerts, type AlertFilters } from './alert-filters';
import { useAlertWallPagesStore } from './alert-wall-pages';
import { useAlertsStore } from './alerts';
import { useSessionStore } from './session';
import { useSourcesStore } from './sources';

export * from './alert-filters';

export const useAlertWallStore = defineStore('alert-wall', () => {
  const alerts = useAlertsStore();
  const sources = useSourcesStore();
  const session = useSessionStore();
  const filters = reactive(emptyFilters());
  /** The alert open in the detail drawer. */
  const openId = ref<number | null>(null);
  /** Rows ticked for a bulk acknowledgement. */
  const selected = ref<ReadonlySet<number>>(new Set());

  const pages = useAlertWallPagesStore();
  /**
   * In the duty officer's order: open, most severe, unacknowledged, newest. Paged (a province): the
   * rows loaded so far, filtered and ordered by the server.
   */
  const shown = computed(() =>
    alerts.paged ? pages.rows : filterAlerts(alerts.list, filters, sources.byMn, session.user?.username ?? null).sort(byAttention),
  );
  /** How many alerts match the filters (paged: on the server, loaded or not). */
  const matching = computed(() => (alerts.paged ? pages.total : shown.value.length));
  /** The ticked rows still shown and still waiting for an acknowledgement. */
  const selectable = computed(() => shown.value.filter((a) => a.closedAt === null && a.acknowledgedAt === null));
  const selectedShown = computed(() => selectable.value.filter((a) => selected.value.has(a.id)).map((a) => a.id));
  // Every source's, so only from the whole list (a province's is fetched when the filters are opened: AlertFilters).
  const districts = computed(() => (sources.complete ? [...new Set(sources.list.map((s) => s.district))].sort() : []));
  const enterprises = computed(() => (sources.complete ? [...sources.enterpriseNames].map(([id, name]) => ({ id, name })) : []));
  const filtering = computed(() => JSON.stringify(filters) !== JSON.stringify(emptyFilters()));
  const open = computed(() => (openId.value === null ? undefined : alerts.byId.get(openId.value)));

  function reset(): void {
    Object.assign(filters, emptyFilters());
  }

  function setFilters(next: AlertFilters): void {
    if (JSON.stringify(next) !== JSON.stringify(filters)) Object.assign(filters, next);
  }

  function toggle(ids: readonly number[], on: boolean): void {
    const next = new Set(selected.value);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    selected.value = next;
  }

  function clearSelection(): void {
    selected.value = new Set();
  }

  return {
    filters,
    openId,
    open,
    shown,
    matching,
    districts,
    enterprises,
    filtering,
    selected,
    selectable,
    selectedShown,
    reset,
    setFilters,
    toggle,
    clearSelection,
  };
});
