/**
 * Heavy-pollution responses as the user may see them (the bureau: whole; an enterprise: its own
 * part): loaded over REST, kept current by `response:changed`, acknowledged by an enterprise; and
 * the effect reports opened (loaded when asked: they read every outlet's hours).
 */
import type { ReductionResponse } from '@domain/response';
import type { ResponseEffect } from '@domain/response-effect';
import { defineStore } from 'pinia';
import { computed, shallowReactive, shallowRef } from 'vue';
import { acknowledgeResponse, fetchResponseEffect, fetchResponses } from '../api/responses';

type Fetch = typeof fetch;

export const useResponsesStore = defineStore('responses', () => {
  const byId = shallowReactive(new Map<number, ReductionResponse>());
  const error = shallowRef<unknown>(null);
  const effects = shallowReactive(new Map<number, ResponseEffect>());
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

  /** Loads (again) a response's effect report; throws what the server refused. */
  async function loadEffect(id: number, fetchFn: Fetch = fetch): Promise<ResponseEffect> {
    const e = await fetchResponseEffect(id, fetchFn);
    effects.set(id, e);
    return e;
  }

  return { items, active, error, effects, apply, load, acknowledge, loadEffect };
});
