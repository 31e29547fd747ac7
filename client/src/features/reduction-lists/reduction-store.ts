/**
 * The reduction lists' state (issue 18): the coverage report with its filters, the list open (a
 * version of an enterprise's year, with what applies at each level), and the acknowledgement.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ListStanding } from '@domain/reduction-list';
import {
  acknowledgeReductionList,
  fetchCoverage,
  fetchReductionList,
  type ReductionCoverageRow,
  type ReductionListAnswer,
} from '../../api/reduction-lists';

export const useReductionStore = defineStore('reductionLists', () => {
  const today = ref<string | null>(null);
  const rows = shallowRef<ReductionCoverageRow[]>([]);
  const standing = ref<ListStanding | ''>('');
  const district = ref('');
  const open = shallowRef<ReductionListAnswer | null>(null);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);

  async function guarded(f: () => Promise<void>): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      await f();
    } catch (err) {
      error.value = err;
    } finally {
      loading.value = false;
    }
  }

  const loadCoverage = () =>
    guarded(async () => {
      const c = await fetchCoverage({ standing: standing.value, district: district.value });
      today.value = c.today;
      rows.value = c.items;
    });

  const openList = (enterpriseId: string, year: number, version?: number) =>
    guarded(async () => {
      open.value = await fetchReductionList(enterpriseId, year, version);
    });

  /** The enterprise read its list: acknowledged, then read again (the answer lists the acknowledgement). */
  const acknowledge = () =>
    guarded(async () => {
      const l = open.value?.list;
      if (!l) return;
      await acknowledgeReductionList(l.enterpriseId, l.year);
      open.value = await fetchReductionList(l.enterpriseId, l.year);
    });

  const close = () => (open.value = null);

  return { today, rows, standing, district, open, loading, error, loadCoverage, openList, acknowledge, close };
});
