import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NotifyTargetBase } from '@domain/notify-target';
import type { NotifyTargetView } from '../api/notify-targets';
import { useNotifyTargetsStore } from './notify-targets';

const delivery = { pending: 0, delivered: 3, failedAttempts: 1, abandoned: 0, lastError: null, lastErrorAt: null, lastDeliveredAt: 5 };
const target = (id: string, over: Partial<NotifyTargetBase> = {}): NotifyTargetView => ({
  id,
  name: `渠道${id}`,
  kind: 'webhook',
  format: 'dingtalk',
  url: 'https://oapi.dingtalk.com/robot/***?access_token=***',
  enabled: true,
  createdAt: 1,
  updatedAt: 1,
  version: 1,
  delivery,
  ...over,
});
const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe('notification targets store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads, changes from the version it holds, deletes with the version, keeps the last test result', async () => {
    const store = useNotifyTargetsStore();
    const calls: { method: string; url: string; body: unknown }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      calls.push({ method: String(init.method), url, body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (init.method === 'GET') return answer(200, { items: [target('b', { name: '乙' }), target('a', { name: '甲' })] });
      if (init.method === 'PATCH') return answer(200, { target: target('a', { name: '甲', enabled: false, version: 2 }) });
      if (init.method === 'DELETE') return answer(200, { abandoned: 2 });
      return answer(200, { result: { ok: false, status: 502, error: 'HTTP 502: bad gateway', ms: 12 } });
    }) as typeof fetch;
    await store.load(fetchFn);
    expect(store.list.map((t) => t.name)).toEqual(['甲', '乙']);
    await store.setEnabled(store.items[1]!, false, fetchFn);
    expect(calls.at(-1)).toEqual({ method: 'PATCH', url: '/api/notify-targets/a', body: { enabled: false, version: 1 } });
    expect(store.items.find((t) => t.id === 'a')).toMatchObject({ enabled: false, version: 2 });
    expect(await store.test(store.items[0]!, fetchFn, () => 42)).toMatchObject({ ok: false, status: 502 });
    expect(store.tests['b']).toMatchObject({ ok: false, status: 502, at: 42 });
    expect(
      await store.remove(
        store.items.find((t) => t.id === 'a')!,
        fetchFn,
      ),
    ).toBe(2);
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/notify-targets/a?version=2' });
    expect(store.items.map((t) => t.id)).toEqual(['b']);
  });

  it('a stale change comes back as its code, and a body it does not understand is refused', async () => {
    const store = useNotifyTargetsStore();
    const conflict = (async () => answer(409, { error: 'version_conflict', message: 'changed meanwhile' })) as unknown as typeof fetch;
    await expect(store.update(target('a'), { enabled: false }, conflict)).rejects.toMatchObject({ status: 409, code: 'version_conflict' });
    const odd = (async () => answer(200, { items: [{ id: 'a', name: 'x', url: 'https://secret' }] })) as unknown as typeof fetch;
    await store.load(odd);
    expect(store.error).toMatchObject({ code: 'unexpected_body' });
  });

  it('email and SMS targets are understood; one missing its settings is refused', async () => {
    const store = useNotifyTargetsStore();
    const base = { id: 'm', name: '邮箱', enabled: true, createdAt: 1, updatedAt: 1, version: 1, delivery };
    const mail = {
      ...base,
      kind: 'email',
      email: {
        recipients: ['duty@example.com'],
        smtp: { host: 'smtp.example.com', port: 465, security: 'tls', username: 'u', from: 'o3@example.com', hasPassword: true },
      },
    };
    const sms = {
      ...base,
      id: 's',
      name: '短信',
      kind: 'sms',
      sms: { phones: ['13800138000'], signName: '淄博生态环境', templateCode: 'SMS_1' },
    };
    await store.load((async () => answer(200, { items: [mail, sms] })) as unknown as typeof fetch);
    expect(store.error).toBeNull();
    expect(store.items.map((t) => t.kind)).toEqual(['email', 'sms']);
    await store.load((async () => answer(200, { items: [{ ...base, kind: 'email', email: { smtp: null } }] })) as unknown as typeof fetch);
    expect(store.error).toMatchObject({ code: 'unexpected_body' });
  });
});
