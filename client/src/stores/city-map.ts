/**
 * The city map (GET /api/map), loaded once per page when a map is first shown and kept: the
 * boundary does not change while the server runs. A failed load says so and may be retried.
 */
import type { CityMap } from '@domain/city-map';
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { fetchCityMap } from '../api/city-map';

export type CityMapState = 'idle' | 'loading' | 'ready' | 'failed';

export const useCityMapStore = defineStore('city-map', () => {
  const map = shallowRef<CityMap | null>(null);
  const state = ref<CityMapState>('idle');
  let pending: Promise<void> | null = null;

  /** Loads the map unless it is loaded or loading; after a failure, tries again. */
  function load(fetchFn: typeof fetch = fetch): Promise<void> {
    if (state.value === 'ready') return Promise.resolve();
    pending ??= fetchCityMap(fetchFn)
      .then((m) => {
        map.value = m;
        state.value = 'ready';
      })
      .catch(() => {
        state.value = 'failed';
      })
      .finally(() => {
        pending = null;
      });
    state.value = 'loading';
    return pending;
  }

  return { map, state, load };
});
