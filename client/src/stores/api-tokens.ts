/**
 * API tokens (issue 21): the list (active first, then newest), create — the token itself is kept
 * only until the page says it was seen (`dismissSecret`) — and revoke.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as api from '../api/api-tokens';
import type { ApiTokenView, NewApiToken } from '../api/api-tokens';

type Fetch = typeof fetch;
const RANK = { active: 0, expired: 1, revoked: 2 } as const;

export const useApiTokensStore = defineStore('api-tokens', () => {
  const items = ref<ApiTokenView[]>([]);
  const loaded = ref(false);
  const error = ref<unknown>(null);
  /** The token just created, shown once: its name and the token. */
  const secret = ref<{ name: string; value: string } | null>(null);
  const list = computed(() => [...items.value].sort((a, b) => RANK[a.state] - RANK[b.state] || b.createdAt - a.createdAt));

  async function load(fetchFn?: Fetch): Promise<void> {
    try {
      items.value = await api.fetchApiTokens(fetchFn);
      loaded.value = true;
      error.value = null;
    } catch (err) {
      error.value = err;
    }
  }

  function apply(t: ApiTokenView): ApiTokenView {
    const i = items.value.findIndex((x) => x.id === t.id);
    items.value = i < 0 ? [t, ...items.value] : items.value.map((x) => (x.id === t.id ? t : x));
    return t;
  }

  async function create(body: NewApiToken, fetchFn?: Fetch): Promise<ApiTokenView> {
    const created = await api.createApiToken(body, fetchFn);
    secret.value = { name: created.token.name, value: created.secret };
    return apply(created.token);
  }

  const revoke = async (t: Pick<ApiTokenView, 'id'>, fetchFn?: Fetch) => apply(await api.revokeApiToken(t.id, fetchFn));
  /** Forgets the token shown once. */
  const dismissSecret = (): void => void (secret.value = null);

  return { items, list, loaded, error, secret, load, create, revoke, dismissSecret };
});
