/**
 * Maintenance / stop-production windows the user may see: loaded over REST (and again after every
 * reconnect, since `maintenance:changed` events are not numbered), kept current by those events.
 */
import type { MaintenanceWindow } from '@domain/alert';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive } from 'vue';
import {
  approveMaintenance,
  declareMaintenance,
  endMaintenance,
  fetchMaintenance,
  rejectMaintenance,
  type MaintenanceRequest,
} from '../api/maintenance';

/** Is the window in effect for this source at this instant? (Approved only; mn null: the whole enterprise.) */
export const covers = (w: MaintenanceWindow, source: { mn: string; enterpriseId: string }, at: number): boolean =>
  w.status === 'approved' && w.from <= at && at < w.to && w.enterpriseId === source.enterpriseId && (w.mn === null || w.mn === source.mn);

/** Pending first (what waits for an officer), then the latest start first. */
export const reviewOrder = (a: MaintenanceWindow, b: MaintenanceWindow): number =>
  Number(b.status === 'pending') - Number(a.status === 'pending') || b.from - a.from || b.id - a.id;

export const useMaintenanceStore = defineStore('maintenance', () => {
  const byId = shallowReactive(new Map<number, MaintenanceWindow>());
  const loaded = ref(false);
  const error = ref<string | null>(null);

  /** Pending first, then newest first. */
  const list = computed(() => [...byId.values()].sort(reviewOrder));

  function apply(w: MaintenanceWindow): void {
    byId.set(w.id, w);
  }

  async function load(fetchFn?: typeof fetch): Promise<void> {
    try {
      const items = await fetchMaintenance(false, fetchFn);
      byId.clear();
      for (const w of items) byId.set(w.id, w);
      loaded.value = true;
      error.value = null;
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err);
    }
  }

  /** Declares a window; the server's refusal (ApiError with its field) is for the form to show. */
  async function declare(req: MaintenanceRequest, fetchFn?: typeof fetch): Promise<MaintenanceWindow> {
    const w = await declareMaintenance(req, fetchFn);
    apply(w);
    return w;
  }

  async function end(id: number, fetchFn?: typeof fetch): Promise<void> {
    apply(await endMaintenance(id, fetchFn));
  }

  /** An officer's decision; the server's refusal (ApiError) is for the caller to show. */
  async function approve(id: number, note?: string, fetchFn?: typeof fetch): Promise<void> {
    apply(await approveMaintenance(id, note, fetchFn));
  }

  async function reject(id: number, reason: string, fetchFn?: typeof fetch): Promise<void> {
    apply(await rejectMaintenance(id, reason, fetchFn));
  }

  const activeFor = (source: { mn: string; enterpriseId: string }, at: number): boolean => list.value.some((w) => covers(w, source, at));
  /** `activeFor` at one moment for many sources (the overview's 20,000): the windows looked up once. */
  function activeAt(at: number): (source: { mn: string; enterpriseId: string }) => boolean {
    const windows = list.value.filter((w) => w.status === 'approved' && w.from <= at && at < w.to);
    return windows.length === 0 ? () => false : (source) => windows.some((w) => covers(w, source, at));
  }

  return { byId, list, loaded, error, apply, load, declare, end, approve, reject, activeFor, activeAt };
});
