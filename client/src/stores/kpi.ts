/**
 * Figures at the top of the sources overview: sources online, exceedances opened today (REST for
 * what happened before the page loaded, the live store for what came since) and the effective
 * transmission rate of the newest day reported (GET /api/reports/transmission for yesterday and
 * today; a fraction 0–1; null = "—" when there are no rows or the report failed).
 */
import { type Alert, OFFLINE_RULE } from '@domain/alert';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { isAlert, isItems } from '../api/guards';
import { fetchTransmission, meanEffectiveRate } from '../api/reports';
import { addDays, browserDate } from '../composables/local-date';
import { requestJson } from '../api/rest';
import { useAlertsStore } from './alerts';
import { FAULT_RULE, MAINTENANCE_FLAG_RULE } from './source-status';

/** Rules that report on the equipment, not on an emission: not exceedances. */
const NOT_EXCEEDANCE = new Set([OFFLINE_RULE, FAULT_RULE, MAINTENANCE_FLAG_RULE]);

/** Local midnight of the day containing `at`. */
export const startOfDay = (at: number): number => {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

/** Distinct exceedance alerts opened since `since`, from both lists. */
export function countExceedances(lists: readonly (readonly Alert[])[], since: number): number {
  const ids = new Set<number>();
  for (const list of lists) for (const a of list) if (a.openedAt >= since && !NOT_EXCEEDANCE.has(a.rule)) ids.add(a.id);
  return ids.size;
}

export const useKpiStore = defineStore('kpi', () => {
  const alerts = useAlertsStore();
  const today = shallowRef<Alert[]>([]);
  const since = ref(startOfDay(Date.now()));
  /** Fraction 0–1; null: not available (no rows, or the report failed); undefined: loading. */
  const effectiveRate = ref<number | null | undefined>(undefined);

  const exceedancesToday = computed(() => countExceedances([today.value, alerts.list], since.value));

  async function load(now: number = Date.now(), fetchFn: typeof fetch = fetch): Promise<void> {
    since.value = startOfDay(now);
    const q = new URLSearchParams({ from: String(since.value), limit: '1000' });
    const [list, rows] = await Promise.allSettled([
      requestJson('GET', `/api/alerts?${q}`, isItems(isAlert), undefined, fetchFn),
      fetchTransmission(addDays(browserDate(now), -1), browserDate(now), fetchFn),
    ]);
    if (list.status === 'fulfilled') today.value = list.value.items;
    effectiveRate.value = rows.status === 'fulfilled' ? meanEffectiveRate(rows.value) : null;
  }

  return { exceedancesToday, effectiveRate, load };
});
