/** The audit trail for the administrator: one page of records under the current filter, newest first. */
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import { fetchAudit, type AuditFilter, type AuditRecord } from '../api/admin';

type Fetch = typeof fetch;
export const AUDIT_PAGE = 50;

export const useAuditStore = defineStore('audit', () => {
  const items = ref<AuditRecord[]>([]);
  const total = ref(0);
  const page = ref(0);
  const pageSize = ref(AUDIT_PAGE);
  const loading = ref(false);
  const error = ref<unknown>(null);
  const filter = reactive<Omit<AuditFilter, 'limit' | 'offset'>>({});

  /** Loads a page (0-based) under the filter (page 0 after a filter change). */
  async function load(p = 0, fetchFn?: Fetch): Promise<void> {
    loading.value = true;
    try {
      const answer = await fetchAudit({ ...filter, limit: pageSize.value, offset: p * pageSize.value }, fetchFn);
      items.value = answer.items;
      total.value = answer.total;
      page.value = p;
      error.value = null;
    } catch (err) {
      error.value = err;
    } finally {
      loading.value = false;
    }
  }

  function setFilter(f: Omit<AuditFilter, 'limit' | 'offset'>): void {
    for (const k of Object.keys(filter) as (keyof typeof filter)[]) delete filter[k];
    Object.assign(filter, Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')));
  }

  /** Another page size: back to the first page. */
  function setPageSize(n: number, fetchFn?: Fetch): Promise<void> {
    pageSize.value = n;
    return load(0, fetchFn);
  }

  return { items, total, page, pageSize, loading, error, filter, load, setFilter, setPageSize };
});
