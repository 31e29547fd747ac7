/**
 * Heavy-pollution and ozone warnings as the user may see them: every warning (the control centre's
 * list, loaded over REST) and the open ones (the banner), kept live by `warnings:snapshot` on
 * connect and `warning:changed`; the forecast proposals for the centre to confirm.
 */
import { compareWarnings, isOpenWarning, type Warning, type WarningProposals } from '@domain/warning';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, shallowRef } from 'vue';
import {
  changeWarning,
  type ChangeRequest,
  closeWarning,
  fetchProposals,
  fetchWarnings,
  issueWarning,
  type IssueRequest,
} from '../api/warnings';

type Fetch = typeof fetch;

export const useWarningsStore = defineStore('warnings', () => {
  const byId = shallowReactive(new Map<number, Warning>());
  const proposals = shallowRef<WarningProposals | null>(null);
  const error = ref<string | null>(null);

  /** In force first, then issued, then closed (the server's order). */
  const list = computed(() => [...byId.values()].sort(compareWarnings));
  /** Issued or in force: the banner. */
  const open = computed(() => list.value.filter(isOpenWarning));

  /** Keeps the newer of two versions (a REST answer may race the event). */
  function apply(w: Warning): void {
    const shown = byId.get(w.id);
    if (!shown || w.version >= shown.version) byId.set(w.id, w);
  }

  /** The open warnings at connect: what is no longer open is dropped from the open set. */
  function applySnapshot(items: readonly Warning[]): void {
    const ids = new Set(items.map((w) => w.id));
    for (const w of [...byId.values()]) if (isOpenWarning(w) && !ids.has(w.id)) byId.delete(w.id);
    for (const w of items) apply(w);
  }

  async function load(fetchFn: Fetch = fetch): Promise<void> {
    try {
      for (const w of await fetchWarnings(fetchFn)) apply(w);
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  async function loadProposals(fetchFn: Fetch = fetch): Promise<void> {
    proposals.value = await fetchProposals(fetchFn);
  }

  async function issue(req: IssueRequest, fetchFn: Fetch = fetch): Promise<Warning> {
    const w = await issueWarning(req, fetchFn);
    apply(w);
    return w;
  }

  async function change(id: number, req: ChangeRequest, fetchFn: Fetch = fetch): Promise<Warning> {
    const w = await changeWarning(id, req, fetchFn);
    apply(w);
    return w;
  }

  async function close(id: number, action: 'lift' | 'cancel', note?: string, fetchFn: Fetch = fetch): Promise<Warning> {
    const w = await closeWarning(id, action, note, fetchFn);
    apply(w);
    return w;
  }

  return { list, open, proposals, error, apply, applySnapshot, load, loadProposals, issue, change, close };
});
