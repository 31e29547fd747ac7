/**
 * Figures at the top of the sources overview: sources online and the open alerts (GET
 * /api/sources/summary: counted by the server, a few hundred bytes at a province's size), exceedances opened today (counted
 * by the server up to the load, `exceedance=true&limit=1` → `total`: no alert is read; the live store adds
 * those opened since) and the effective
 * transmission rate of the newest day reported (GET /api/reports/transmission/rate: computed by the
 * server from yesterday's and today's rows, one small answer; a fraction 0–1; null = "—" when there
 * are no rows or the request failed). The figures are
 * reloaded every `refreshMs` while the overview is shown (start / stop), so the rate follows the
 * day instead of keeping the value of the moment the page was opened. On the first day after
 * install — no source received anything the day before — the rate is not yet meaningful
 * (`firstDay`): it is shown as such, not as a failing red figure.
 */
import type { Alert } from '@domain/alert';
import { EQUIPMENT_RULES } from '@domain/source-status';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { countAlerts } from '../api/alerts';
import { fetchTransmissionRate } from '../api/reports';
import { browserDate } from '../composables/local-date';
import { fetchSourceSummary } from '../api/sources';
import type { SourceSummary } from '@domain/source-summary';
import { useAlertsStore } from './alerts';

/** Rules that report on the equipment, not on an emission: not exceedances. */
const NOT_EXCEEDANCE: ReadonlySet<string> = new Set(EQUIPMENT_RULES);
/** How often the figures are reloaded while shown. */
export const KPI_REFRESH_MS = 60_000;

/** Local midnight of the day containing `at`. */
export const startOfDay = (at: number): number => {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

/**
 * Exceedance alerts opened today: the server's count of those opened in [since, countedTo) plus the
 * live store's opened from `countedTo` on (each alert in exactly one of the two: the same cut on the
 * same `openedAt`, whatever the clocks say). An alert whose late data opens it before `countedTo` after
 * the count is in the next minute's count.
 */
export function countExceedances(counted: number, countedTo: number, live: readonly Alert[], since: number): number {
  const from = Math.max(since, countedTo);
  let n = counted;
  for (const a of live) if (a.openedAt >= from && !NOT_EXCEEDANCE.has(a.rule)) n++;
  return n;
}

export const useKpiStore = defineStore('kpi', () => {
  const alerts = useAlertsStore();
  /** The server's count of today's exceedances opened before `countedTo` (0 before the first load). */
  const counted = ref(0);
  const countedTo = ref(startOfDay(Date.now()));
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

  const exceedancesToday = computed(() => countExceedances(counted.value, countedTo.value, alerts.list, since.value));

  async function load(now: number = Date.now(), fetchFn: typeof fetch = fetch): Promise<void> {
    const midnight = startOfDay(now);
    const q = new URLSearchParams({ exceedance: 'true', from: String(midnight), to: String(now) });
    const day = browserDate(now);
    // Each figure shows as its answer comes: the transmission rate (two days of every source at a
    // province) may take longer than the counts, which must not wait for it.
    const counting = (now > midnight ? countAlerts(q, fetchFn) : Promise.resolve(0)).then(
      (n) => {
        counted.value = n;
        countedTo.value = now;
        since.value = midnight;
      },
      () => {
        // A new day without the server's count: only what the live store saw open since midnight.
        if (midnight !== since.value) {
          counted.value = 0;
          countedTo.value = midnight;
        }
        since.value = midnight;
      },
    );
    const rating = fetchTransmissionRate(day, fetchFn).then(
      (r) => {
        effectiveRate.value = r.rate;
        firstDay.value = r.firstDay;
      },
      () => {
        effectiveRate.value = null;
        firstDay.value = false;
      },
    );
    const summarising = fetchSourceSummary(fetchFn).then(
      (counts) => void (summary.value = counts),
      () => undefined,
    );
    await Promise.all([counting, rating, summarising]);
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
