/**
 * The ozone control centre's figures: per-station status, the forecasts from today and the warning
 * they imply (all from REST; the server computes them from stored data). Entering or importing
 * forecasts refreshes the warning. Refusals are left for the forms to show (ApiError).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  type Forecast,
  type ForecastEntry,
  fetchForecasts,
  fetchOzoneStatus,
  fetchWarning,
  importForecastCsv,
  type OzoneStatus,
  type OzoneWarning,
  postForecast,
} from '../api/ozone';

type Fetch = typeof fetch;
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Forecasts by date, a newer one for a date replacing the older (as the server does). */
export function mergeForecasts(current: readonly Forecast[], incoming: readonly Forecast[]): Forecast[] {
  const byDate = new Map(current.map((f) => [f.date, f]));
  for (const f of incoming) byDate.set(f.date, f);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

export const useOzoneStore = defineStore('ozone', () => {
  const status = shallowRef<OzoneStatus | null>(null);
  const warning = shallowRef<OzoneWarning | null>(null);
  const forecasts = shallowRef<Forecast[]>([]);
  const loading = ref(false);
  /** What failed to load, per part (the others still show). */
  const errors = ref<{ status?: string; warning?: string; forecasts?: string }>({});

  const stations = computed(() => status.value?.stations ?? []);

  async function refreshWarning(fetchFn?: Fetch): Promise<void> {
    try {
      warning.value = await fetchWarning(fetchFn);
      errors.value = { ...errors.value, warning: undefined };
    } catch (err) {
      errors.value = { ...errors.value, warning: messageOf(err) };
    }
  }

  async function load(fetchFn?: Fetch): Promise<void> {
    loading.value = true;
    const [s, f] = await Promise.allSettled([fetchOzoneStatus(fetchFn), fetchForecasts(fetchFn), refreshWarning(fetchFn)]);
    if (s.status === 'fulfilled') status.value = s.value;
    if (f.status === 'fulfilled') forecasts.value = f.value;
    errors.value = {
      ...(s.status === 'rejected' ? { status: messageOf(s.reason) } : {}),
      ...(f.status === 'rejected' ? { forecasts: messageOf(f.reason) } : {}),
      ...(errors.value.warning ? { warning: errors.value.warning } : {}),
    };
    loading.value = false;
  }

  /** One forecast; the server's refusal (ApiError with its field) propagates to the form. */
  async function addForecast(entry: ForecastEntry, fetchFn?: Fetch): Promise<Forecast> {
    const saved = await postForecast(entry, fetchFn);
    forecasts.value = mergeForecasts(forecasts.value, [saved]);
    await refreshWarning(fetchFn);
    return saved;
  }

  /** A CSV import, all rows or none; a refusal's per-row reasons are in the ApiError's body. */
  async function importCsv(csv: string, fetchFn?: Fetch): Promise<Forecast[]> {
    const saved = await importForecastCsv(csv, fetchFn);
    forecasts.value = mergeForecasts(forecasts.value, saved);
    await refreshWarning(fetchFn);
    return saved;
  }

  return { status, warning, forecasts, stations, loading, errors, load, addForecast, importCsv, refreshWarning };
});
