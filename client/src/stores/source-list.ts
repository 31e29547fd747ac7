/**
 * The registry's source list as the administration page shows it: one page at a time, filtered,
 * sorted and paged by the server (GET /api/registry/sources), so 20,000 sources never reach the
 * browser at once. A newer request wins: an answer to an older one (a filter typed over) is dropped.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { fetchSourcePage, type SourceListItem, type SourceListParams } from '../api/registry';

type Fetch = typeof fetch;

export const useSourceListStore = defineStore('sourceList', () => {
  const items = shallowRef<SourceListItem[]>([]);
  const total = ref(0);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<unknown>(null);
  let latest = 0;
  let params: SourceListParams = {};

  async function load(next: SourceListParams, fetchFn?: Fetch): Promise<void> {
    const mine = ++latest;
    params = next;
    loading.value = true;
    try {
      const page = await fetchSourcePage(next, fetchFn);
      if (mine !== latest) return;
      items.value = page.items;
      total.value = page.total;
      loaded.value = true;
      error.value = null;
    } catch (err) {
      if (mine === latest) error.value = err;
    } finally {
      if (mine === latest) loading.value = false;
    }
  }

  /** The same page again (after a change to the registry). */
  const reload = (fetchFn?: Fetch): Promise<void> => load(params, fetchFn);

  return { items, total, loaded, loading, error, load, reload };
});
