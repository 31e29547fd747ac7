/**
 * The data-quality page (issue 19): the chosen period (a month or a quarter), the transmission
 * figures the server answered for it, and the comparison tests with the criteria they are judged
 * by. The period texts are the server's (`2026-11`, `2026-Q4`).
 */
import type { CriterionBand } from '@domain/quality';
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import {
  type ComparisonDraft,
  type ComparisonTest,
  fetchComparisons,
  fetchTransmissionQuality,
  recordComparison,
  type TransmissionQuality,
} from '../api/quality';
import { browserDate } from '../composables/local-date';

type Fetch = typeof fetch;
export type PeriodKind = 'month' | 'quarter';

/** The month before the one of `today` (YYYY-MM-DD): the latest whole month. */
export function previousMonth(today: string): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The quarter (`YYYY-Qn`) a month (`YYYY-MM`) lies in. */
export const quarterOf = (month: string): string => `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;

/** The last `n` quarters up to the one of `month`, newest first. */
export function recentQuarters(month: string, n = 8): string[] {
  let y = Number(month.slice(0, 4));
  let q = Math.ceil(Number(month.slice(5, 7)) / 3);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(`${y}-Q${q}`);
    if (--q === 0) [y, q] = [y - 1, 4];
  }
  return out;
}

export const useQualityStore = defineStore('quality', () => {
  const month = previousMonth(browserDate());
  const query = reactive<{ kind: PeriodKind; month: string; quarter: string }>({ kind: 'month', month, quarter: quarterOf(month) });
  const period = computed(() => (query.kind === 'month' ? query.month : query.quarter));
  const transmission = shallowRef<TransmissionQuality | null>(null);
  const comparisons = shallowRef<ComparisonTest[] | null>(null);
  const criteria = shallowRef<Record<string, CriterionBand[]>>({});
  const maxSpanH = ref(24);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  const comparisonsError = shallowRef<unknown>(null);

  async function load(fetchFn?: Fetch): Promise<void> {
    loading.value = true;
    try {
      transmission.value = await fetchTransmissionQuality(period.value, fetchFn);
      error.value = null;
    } catch (err) {
      error.value = err;
    } finally {
      loading.value = false;
    }
  }

  async function loadComparisons(fetchFn?: Fetch): Promise<void> {
    try {
      const list = await fetchComparisons(fetchFn);
      comparisons.value = list.items;
      criteria.value = list.criteria;
      maxSpanH.value = list.maxSpanH;
      comparisonsError.value = null;
    } catch (err) {
      comparisonsError.value = err;
    }
  }

  /** Records a test and puts it first; a refusal is thrown to the form. */
  async function record(draft: ComparisonDraft, fetchFn?: Fetch): Promise<ComparisonTest> {
    const test = await recordComparison(draft, fetchFn);
    comparisons.value = [test, ...(comparisons.value ?? [])];
    return test;
  }

  return { query, period, transmission, comparisons, criteria, maxSpanH, loading, error, comparisonsError, load, loadComparisons, record };
});
