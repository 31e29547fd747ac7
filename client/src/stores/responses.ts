/**
 * Heavy-pollution responses as the user may see them (the bureau: whole; an enterprise: its own
 * part): loaded over REST, kept current by `response:changed`, acknowledged by an enterprise.
 */
import type { ReductionResponse } from '@domain/response';
import { defineStore } from 'pinia';
import { computed, shallowReactive, shallowRef } from 'vue';
import { acknowledgeResponse, fetchResponses } from '../api/responses';

type Fetch = typeof fetch;

export const useResponsesStore = defineStore('responses', () => {
  const byId = shallowReactive(new Map<number, ReductionResponse>());
  const error = shallowRef<unknown>(null);
  /** Newest first, active before ended. */
  const items = computed(() => [...byId.values()].sort((a, b) => (a.status === b.status ? b.id - a.id : a.status === 'active' ? -1 : 1)));
  const active = computed(() => items.value.filter((r) => r.status === 'active'));

  /** A response as an answer or the socket gives it: a later version replaces the one shown. */
  function apply(r: ReductionResponse): void {
    const had = byId.get(r.id);
    if (!had || had.version <= r.version) byId.set(r.id, r);
  }

  async function load(fetchFn: Fetch = fetch): Promise<void> {
    try {
      error.value = null;
      for (const r of await fetchResponses({}, fetchFn)) apply(r);
    } catch (err) {
      error.value = err;
    }
  }

  async function acknowledge(id: number, fetchFn: Fetch = fetch): Promise<void> {
    apply(await acknowledgeResponse(id, fetchFn));
  }

  return { items, active, error, apply, load, acknowledge };
});
