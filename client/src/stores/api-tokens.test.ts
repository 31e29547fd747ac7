import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiTokenView } from '../api/api-tokens';
import { useApiTokensStore } from './api-tokens';

const token = (id: string, over: Partial<ApiTokenView> = {}): ApiTokenView => ({
  id,
  name: `令牌${id}`,
  scope: 'read',
  enterpriseId: null,
  shown: 'o3s_AbCd',
  createdBy: 'admin',
  createdAt: 10,
  expiresAt: 1_000,
  lastUsedAt: null,
  revokedAt: null,
  revokedBy: null,
  state: 'active',
  ...over,
});
const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const SECRET = `o3s_${'x'.repeat(43)}`;

describe('API tokens store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lists active first then newest; keeps the new token until dismissed; revokes in place', async () => {
    const store = useApiTokensStore();
    const calls: { method: string; url: string; body: unknown }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      calls.push({ method: String(init.method), url, body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (init.method === 'GET')
        return answer(200, {
          items: [token('a', { state: 'revoked', createdAt: 30 }), token('b', { createdAt: 5 }), token('c', { createdAt: 20 })],
        });
      if (init.method === 'POST') return answer(201, { token: token('d', { createdAt: 40, name: '新' }), secret: SECRET });
      return answer(200, { token: token('b', { state: 'revoked', revokedAt: 50, revokedBy: 'admin' }) });
    }) as typeof fetch;
    await store.load(fetchFn);
    expect(store.list.map((t) => t.id)).toEqual(['c', 'b', 'a']);
    await store.create({ name: '新', scope: 'write', expiresInDays: 30 }, fetchFn);
    expect(calls.at(-1)).toEqual({ method: 'POST', url: '/api/tokens', body: { name: '新', scope: 'write', expiresInDays: 30 } });
    expect(store.secret).toEqual({ name: '新', value: SECRET });
    expect(store.list.map((t) => t.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(JSON.stringify(store.items)).not.toContain(SECRET);
    store.dismissSecret();
    expect(store.secret).toBeNull();
    await store.revoke({ id: 'b' }, fetchFn);
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/tokens/b' });
    expect(store.list.map((t) => t.id)).toEqual(['d', 'c', 'a', 'b']); // revoked: last, newest first
    expect(store.items.find((t) => t.id === 'b')).toMatchObject({ state: 'revoked' });
  });

  it('keeps the load error; a refused create keeps no token', async () => {
    const store = useApiTokensStore();
    const fetchFn = (async () => answer(403, { error: 'forbidden', message: 'no' })) as unknown as typeof fetch;
    await store.load(fetchFn);
    expect(store.error).not.toBeNull();
    await expect(store.create({ name: 'x', scope: 'read', expiresInDays: 1 }, fetchFn)).rejects.toThrow();
    expect(store.secret).toBeNull();
  });
});
