/**
 * Figures at the top of the sources overview: sources online and the open alerts (GET
 * /api/sources/summary: counted by the server, a few hundred bytes at a province's size), exceedances opened today (REST for
 * what happened before the page loaded, the live store for what came since) and the effective
 * transmission rate of the newest day reported (GET /api/reports/transmission/rate: computed by the
 * server from yesterday's and today's rows, one small answer; a fraction 0–1; null = "—" when there
 * are no rows or the request failed). The figures are
 * reloaded every `refreshMs` while the overview is shown (start / stop), so the rate follows the
 * day instead of keeping the value of the moment the page was opened. On the first day after
 * install — no source received anything the day before — the rate is not yet meaningful
 * (`firstDay`): it is shown as such, not as a failing red figure.
 */
import { type Alert, OFFLINE_RULE } from '@domain/alert';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { isAlert, isItems } from '../api/guards';
import { fetchTransmissionRate } from '../api/reports';
import { browserDate } from '../composables/local-date';
import { requestJson } from '../api/rest';
import { fetchSourceSummary } from '../api/sources';
import type { SourceSummary } from '@domain/source-summary';
import { useAlertsStore } from './alerts';
import { FAULT_RULE, MAINTENANCE_FLAG_RULE } from './source-status';

/** Rules that report on the equipment, not on an emission: not exceedances. */
const NOT_EXCEEDANCE: ReadonlySet<string> = new Set([OFFLINE_RULE, FAULT_RULE, MAINTENANCE_FLAG_RULE]);
/** How often the figures are reloaded while shown. */
export const KPI_REFRESH_MS = 60_000;

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
  /** The rate is of the first day after install: not yet meaningful. */
  const firstDay = ref(false);
  /** When the figures were last loaded (epoch ms), null before the first load. */
  const loadedAt = ref<number | null>(null);
  /** The server's counts of the sources and open alerts the user may see; null before the first load (or if it failed). */
  const summary = shallowRef<SourceSummary | null>(null);
  let timer: ReturnType<typeof setInterval> | null = null;
  let users = 0;

  const exceedancesToday = computed(() => countExceedances([today.value, alerts.list], since.value));

  async function load(now: number = Date.now(), fetchFn: typeof fetch = fetch): Promise<void> {
    since.value = startOfDay(now);
    const q = new URLSearchParams({ from: String(since.value), limit: '1000' });
    const day = browserDate(now);
    const [list, rate, counts] = await Promise.allSettled([
      requestJson('GET', `/api/alerts?${q}`, isItems(isAlert), undefined, fetchFn),
      fetchTransmissionRate(day, fetchFn),
      fetchSourceSummary(fetchFn),
    ]);
    if (counts.status === 'fulfilled') summary.value = counts.value;
    if (list.status === 'fulfilled') today.value = list.value.items;
    effectiveRate.value = rate.status === 'fulfilled' ? rate.value.rate : null;
    firstDay.value = rate.status === 'fulfilled' && rate.value.firstDay;
    loadedAt.value = now;
  }

  /** Loads now and then every `refreshMs` until every caller of start has called stop. */
  function start(refreshMs = KPI_REFRESH_MS, fetchFn: typeof fetch = fetch): Promise<void> {
    users++;
    timer ??= setInterval(() => void load(Date.now(), fetchFn), refreshMs);
    return load(Date.now(), fetchFn);
  }

  function stop(): void {
    users = Math.max(0, users - 1);
    if (users === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  /** Sources reporting (neither offline nor without any data), of how many; null before the summary. */
  const online = computed(() => {
    const s = summary.value;
    return s === null ? null : { online: s.total - s.byStatus.offline - s.byStatus.nodata, of: s.total };
  });

  return { exceedancesToday, effectiveRate, firstDay, loadedAt, summary, online, load, start, stop };
});
