/**
 * The duty officer's alert wall: filters, text search and the alert open in the detail drawer.
 * The filtering itself is a pure function (`filterAlerts`) so 10,000 alerts can be tested without a DOM.
 */
import { type Alert, type Severity } from '@domain/alert';
import { catalog } from '@domain/catalog';
import type { SourceView } from '@domain/events';
import type { SourceKind } from '@domain/source-kinds';
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import { useAlertsStore } from './alerts';
import { useSourcesStore } from './sources';

export const STATE_FILTERS = ['all', 'active', 'cleared'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export interface AlertFilters {
  district: string | null;
  kind: SourceKind | null;
  enterpriseId: string | null;
  severities: Severity[];
  state: StateFilter;
  /** Closed alerts (resolved, or cleared and acknowledged) are hidden unless asked for. */
  showClosed: boolean;
  onlyUnacknowledged: boolean;
  /** Free text: source, enterprise, MN, factor (code or name), rule, assignee. */
  q: string;
}

export const emptyFilters = (): AlertFilters => ({
  district: null,
  kind: null,
  enterpriseId: null,
  severities: [],
  state: 'all',
  showClosed: false,
  onlyUnacknowledged: false,
  q: '',
});

type SourceFacts = Pick<SourceView, 'name' | 'district' | 'kind' | 'enterpriseName'>;

/** Everything the text search looks at, lower-cased once per alert. */
function haystack(a: Alert, s: SourceFacts | undefined): string {
  const f = catalog.get(a.factor);
  return [a.mn, a.factor, a.rule, a.assignee ?? '', f?.zh ?? '', f?.en ?? '', s?.name ?? '', s?.enterpriseName ?? '', a.enterpriseId].join('\u0001').toLowerCase();
}

export function filterAlerts(alerts: readonly Alert[], f: AlertFilters, sources: ReadonlyMap<string, SourceFacts>): Alert[] {
  const q = f.q.trim().toLowerCase();
  const severities = f.severities.length > 0 ? new Set(f.severities) : null;
  return alerts.filter((a) => {
    if (!f.showClosed && a.closedAt !== null) return false;
    if (f.state !== 'all' && a.state !== f.state) return false;
    if (f.onlyUnacknowledged && a.acknowledgedAt !== null) return false;
    if (severities && !severities.has(a.severity)) return false;
    if (f.enterpriseId !== null && a.enterpriseId !== f.enterpriseId) return false;
    const s = sources.get(a.mn);
    if (f.district !== null && s?.district !== f.district) return false;
    if (f.kind !== null && s?.kind !== f.kind) return false;
    return q === '' || haystack(a, s).includes(q);
  });
}

export const useAlertWallStore = defineStore('alert-wall', () => {
  const alerts = useAlertsStore();
  const sources = useSourcesStore();
  const filters = reactive(emptyFilters());
  /** The alert open in the detail drawer. */
  const openId = ref<number | null>(null);

  const shown = computed(() => filterAlerts(alerts.list, filters, sources.byMn));
  const districts = computed(() => [...new Set(sources.list.map((s) => s.district))].sort());
  const enterprises = computed(() => [...sources.enterpriseNames].map(([id, name]) => ({ id, name })));
  const filtering = computed(() => JSON.stringify(filters) !== JSON.stringify(emptyFilters()));
  const open = computed(() => (openId.value === null ? undefined : alerts.byId.get(openId.value)));

  function reset(): void {
    Object.assign(filters, emptyFilters());
  }

  return { filters, openId, open, shown, districts, enterprises, filtering, reset };
});
