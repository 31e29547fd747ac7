/**
 * Rectification cases as the user may see them (staff: all, with filters; an enterprise: its own):
 * one page of the list and the case open in the detail, loaded over REST and refreshed when
 * `case:changed` says a shown case moved.
 */
import type { CaseView, RectificationCase } from '@domain/case-kinds';
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import {
  createCase,
  deleteAttachment,
  fetchCase,
  fetchCases,
  moveCase,
  uploadAttachment,
  type CaseFilters,
  type CaseMove,
  type NewCaseRequest,
} from '../api/cases';

type Fetch = typeof fetch;

export const PAGE_SIZE = 20;

export const useCasesStore = defineStore('cases', () => {
  const items = shallowRef<CaseView[]>([]);
  const total = ref(0);
  const filters = ref<CaseFilters>({ limit: PAGE_SIZE, offset: 0 });
  const selected = shallowRef<CaseView | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  /** A page showing cases is open: live changes refresh it. */
  const watching = ref(false);

  async function load(fetchFn: Fetch = fetch): Promise<void> {
    loading.value = true;
    try {
      const page = await fetchCases(filters.value, fetchFn);
      items.value = page.items;
      total.value = page.total;
      error.value = null;
    } catch (err) {
      error.value = err;
    } finally {
      loading.value = false;
    }
  }

  async function open(id: number, fetchFn: Fetch = fetch): Promise<void> {
    selected.value = await fetchCase(id, fetchFn);
  }

  function close(): void {
    selected.value = null;
  }

  /** A case as an answer or the socket gives it: replaces its row and the open detail. */
  function apply(c: CaseView): void {
    items.value = items.value.map((x) => (x.id === c.id ? c : x));
    if (selected.value?.id === c.id) selected.value = c;
  }

  /** `case:changed`: the shown list and detail are refetched (the event has no derived overdue). */
  function changed(c: RectificationCase, fetchFn: Fetch = fetch): void {
    if (selected.value?.id === c.id && c.version > selected.value.version) void open(c.id, fetchFn).catch(() => undefined);
    void load(fetchFn);
  }

  async function create(req: NewCaseRequest, fetchFn: Fetch = fetch): Promise<CaseView> {
    const c = await createCase(req, fetchFn);
    await load(fetchFn);
    return c;
  }

  async function move(id: number, m: CaseMove, fetchFn: Fetch = fetch): Promise<CaseView> {
    const c = await moveCase(id, m, fetchFn);
    apply(c);
    return c;
  }

  async function upload(id: number, file: File, fetchFn: Fetch = fetch): Promise<void> {
    await uploadAttachment(id, file, fetchFn);
    await open(id, fetchFn);
  }

  async function removeFile(id: number, attachmentId: string, fetchFn: Fetch = fetch): Promise<void> {
    await deleteAttachment(id, attachmentId, fetchFn);
    await open(id, fetchFn);
  }

  return { items, total, filters, selected, loading, error, watching, load, open, close, apply, changed, create, move, upload, removeFile };
});
