/**
 * The reports page: the chosen day / source / date range and what the server answered for each
 * report (the server scopes the sources to the user). Rates are fractions 0–1.
 */
import { defineStore } from 'pinia';
import { reactive, ref, shallowRef } from 'vue';
import {
  type DailyReport,
  type DailyStatus,
  fetchDailyReport,
  fetchHourlyReport,
  fetchTransmission,
  type HourlyReport,
  type ReportKind,
  type TransmissionRow,
} from '../api/reports';
import { addDays, browserDate } from '../composables/local-date';

type Fetch = typeof fetch;

/** Sources per page of the daily report. */
export const DAILY_PAGE_SIZE = 50;

/** The longest transmission range the server accepts, in days (`to` inclusive). */
export const MAX_TRANSMISSION_DAYS = 62;

/** Why a range cannot be asked for, as a message key, or null when it can. */
export function rangeProblem(from: string, to: string): 'required' | 'toBeforeFrom' | 'tooLong' | null {
  if (!from || !to) return 'required';
  if (to < from) return 'toBeforeFrom';
  return addDays(from, MAX_TRANSMISSION_DAYS - 1) < to ? 'tooLong' : null;
}

export const useReportsStore = defineStore('reports', () => {
  const today = browserDate();
  const query = reactive({ date: today, mn: '', from: addDays(today, -6), to: today });
  /** The daily report's filter (the server's: '' is any) and page (1-based). */
  const dailyFilter = reactive({ district: '', industry: '', status: '' as DailyStatus | '', q: '' });
  const dailyPage = ref(1);
  /** The page the server answered, with the totals of every visible source. */
  const daily = shallowRef<DailyReport | null>(null);
  const hourly = shallowRef<HourlyReport | null>(null);
  const transmission = shallowRef<TransmissionRow[] | null>(null);
  const loading = ref<ReportKind | null>(null);
  const error = reactive<Record<ReportKind, string | null>>({ daily: null, hourly: null, transmission: null });

  async function run<T>(kind: ReportKind, f: () => Promise<T>, set: (v: T) => void): Promise<void> {
    loading.value = kind;
    try {
      set(await f());
      error[kind] = null;
    } catch (err) {
      error[kind] = err instanceof Error ? err.message : String(err);
    } finally {
      loading.value = null;
    }
  }

  /** The chosen page (the first when the date or filter changed: `page` 1). */
  const loadDaily = (fetchFn?: Fetch, page = dailyPage.value) =>
    run(
      'daily',
      () => fetchDailyReport({ date: query.date, ...dailyFilter, offset: (page - 1) * DAILY_PAGE_SIZE, limit: DAILY_PAGE_SIZE }, fetchFn),
      (v) => {
        daily.value = v;
        dailyPage.value = page;
      },
    );
  const loadHourly = (fetchFn?: Fetch) =>
    query.mn
      ? run(
          'hourly',
          () => fetchHourlyReport(query.mn, query.date, fetchFn),
          (v) => (hourly.value = v),
        )
      : Promise.resolve();
  const loadTransmission = (fetchFn?: Fetch) =>
    rangeProblem(query.from, query.to)
      ? Promise.resolve()
      : run(
          'transmission',
          () => fetchTransmission(query.from, query.to, fetchFn),
          (v) => (transmission.value = v),
        );

  return { query, dailyFilter, dailyPage, daily, hourly, transmission, loading, error, loadDaily, loadHourly, loadTransmission };
});
