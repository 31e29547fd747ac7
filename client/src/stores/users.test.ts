import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AdminUser } from '../api/admin';
import { auditQuery } from '../api/admin';
import { useAuditStore } from './audit';
import { useUsersStore } from './users';

const user = (id: number, over: Partial<AdminUser> = {}): AdminUser => ({
  id,
  username: `u${id}`,
  displayName: `用户${id}`,
  role: 'officer',
  enterpriseId: null,
  department: null,
  disabled: false,
  createdAt: 0,
  passwordChangedAt: 0,
  lastLoginAt: null,
  ...over,
});
const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe('users store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lists active users first, by username; a change replaces the user', async () => {
    const store = useUsersStore();
    const calls: { url: string; body: unknown }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      calls.push({ url, body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (url === '/api/users') return answer(200, { items: [user(2), user(1, { disabled: true }), user(3)] });
      return answer(200, { user: user(1, { disabled: false }) });
    }) as typeof fetch;
    await store.load(fetchFn);
    expect(store.list.map((u) => u.id)).toEqual([2, 3, 1]);
    await store.setDisabled(1, false, fetchFn);
    expect(calls.at(-1)).toEqual({ url: '/api/users/1', body: { disabled: false } });
    expect(store.list.map((u) => u.id)).toEqual([1, 2, 3]);
  });

  it('the last administrator refusal comes back as its code', async () => {
    const store = useUsersStore();
    const fetchFn = (async () => answer(409, { error: 'last_admin', message: 'the last active administrator' })) as unknown as typeof fetch;
    await expect(store.setDisabled(1, true, fetchFn)).rejects.toMatchObject({ status: 409, code: 'last_admin' });
  });
});

describe('audit store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('sends the filter without empty fields, pages by 50', async () => {
    const store = useAuditStore();
    const urls: string[] = [];
    const fetchFn = (async (url: string) => {
      urls.push(url);
      const record = { id: 1, at: 5, userId: 1, username: 'admin', role: 'admin', action: 'login', target: null, detail: null, ip: null };
      return answer(200, { items: [record], total: 120 });
    }) as unknown as typeof fetch;
    store.setFilter({ username: 'admin', action: '', target: 'enterprise:coke', from: 1000 });
    await store.load(2, fetchFn);
    expect(urls).toEqual(['/api/audit?username=admin&target=enterprise%3Acoke&from=1000&limit=50&offset=100']);
    expect([store.total, store.page, store.items.length]).toEqual([120, 2, 1]);
    expect(auditQuery({})).toBe('');
  });
});
