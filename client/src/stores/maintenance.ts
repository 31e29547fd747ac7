/**
 * Maintenance / stop-production windows the user may see: loaded over REST (and again after every
 * reconnect, since `maintenance:changed` events are not numbered), kept current by those events.
 */
import type { MaintenanceWindow } from '@domain/alert';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive } from 'vue';
import { declareMaintenance, endMaintenance, fetchMaintenance, type MaintenanceRequest } from '../api/maintenance';

/** Does the window cover this source at this instant? (mn null: the whole enterprise.) */
export const covers = (w: MaintenanceWindow, source: { mn: string; enterpriseId: string }, at: number): boolean =>
  w.from <= at && at < w.to && w.enterpriseId === source.enterpriseId && (w.mn === null || w.mn === source.mn);

export const useMaintenanceStore = defineStore('maintenance', () => {
  const byId = shallowReactive(new Map<number, MaintenanceWindow>());
  const loaded = ref(false);
  const error = ref<string | null>(null);

  /** Newest first. */
  const list = computed(() => [...byId.values()].sort((a, b) => b.from - a.from || b.id - a.id));

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

  const activeFor = (source: { mn: string; enterpriseId: string }, at: number): boolean => list.value.some((w) => covers(w, source, at));

  return { byId, list, loaded, error, apply, load, declare, end, activeFor };
});
