/**
 * API tokens on the real app (issue 21): a script-like client — plain fetch, no cookie, no Origin —
 * with a token an administrator created lists alerts and acknowledges one; a read token is refused
 * the acknowledge (403) but reads; a token never opens a socket; the token is shown once and never
 * again (not in the list, the audit log or the server's log); after revocation it gets 401 at once,
 * and one whose creator was disabled or moved to another enterprise; a burst gets 429
 * with Retry-After; a cookie without the app's Origin is still refused; every creation, revocation
 * and refused use is audited.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { ApiTokenView, CreatedApiToken } from '../../server/domain/api-token';
import type { AuditRecord } from '../../server/domain/audit';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { signIn, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const B_NH3 = '370300NH3000000000000201'; // zichuan-cement, ammonia slip limit 8 mg/m³
const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

/** A script: plain fetch with `Authorization: Bearer`, no cookie, no Origin. */
const script = (baseUrl: string, token: string) => ({
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown) {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
  },
});

describe('API tokens for machines', () => {
  let t: TestApp;
  let dir: string;
  let logFile: string;
  let admin: ApiSession;
  let alert: Alert;
  const secrets: string[] = [];
  const clients: MqttClient[] = [];

  const create = async (s: ApiSession, body: Record<string, unknown>) => {
    const res = await s.call<CreatedApiToken>('POST', '/api/tokens', body);
    if (res.status === 201) secrets.push(res.body.secret);
    return res;
  };
  const audit = async (action: string) =>
    (await admin.call<{ items: AuditRecord[] }>('GET', `/api/audit?action=${action}&limit=1000`)).body.items;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-tokens-'));
    logFile = join(dir, 'server.log');
    t = await startTestApp({ LOG_LEVEL: 'debug', API_TOKEN_BURST: '20', API_TOKEN_PER_MINUTE: '60' }, { logFile });
    admin = await t.signIn('admin');
    const password = t.config.registry.sources.find((s) => s.mn === B_NH3)?.mqttPassword as string;
    const c = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `tok0-${B_NH3}`, username: B_NH3, password, reconnectPeriod: 0 });
    clients.push(c);
    await c.publishAsync(dataTopic(B_NH3), nh3(Date.now() - 2_000, 9.4), { qos: 1 });
    const officer = await t.signIn('officer');
    await until(
      async () => (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${B_NH3}`)).body.items.length > 0,
      'the alert over the limit',
    );
    alert = (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${B_NH3}`)).body.items[0] as Alert;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a write token lists alerts and acknowledges one, without a cookie or an Origin; the creation is audited', async () => {
    const created = await create(admin, { name: '省厅数据交换', scope: 'write', expiresInDays: 30 });
    expect(created.status).toBe(201);
    const { token, secret } = created.body;
    expect(secret).toMatch(/^o3s_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: '省厅数据交换', scope: 'write', enterpriseId: null, createdBy: 'admin', state: 'active' });
    expect(token.shown).toBe(secret.slice(0, 8));
    expect(token.expiresAt - token.createdAt).toBe(30 * 86_400_000);

    const bot = script(t.baseUrl, secret);
    const list = await bot.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${B_NH3}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((a) => a.id)).toContain(alert.id);
    const ack = await bot.call<{ alert: Alert }>('POST', `/api/alerts/${alert.id}/acknowledge`, { note: '自动确认' });
    expect(ack.status).toBe(200);
    expect(ack.body.alert.acknowledgedBy).toBe('admin');

    const acks = await audit('alert_acknowledged');
    expect(acks[0]).toMatchObject({ username: 'admin', target: `/api/alerts/${alert.id}/acknowledge` });
    expect(acks[0]?.detail).toMatchObject({ token: token.id });
    const [rec] = await audit('api_token.created');
    expect(rec).toMatchObject({ username: 'admin', target: `api-token:${token.id}` });
    expect(rec?.detail).toMatchObject({ name: '省厅数据交换', scope: 'write', enterpriseId: null, expiresAt: token.expiresAt });
  });

  it('the token is shown once: the list has its first characters and its last use, never the token', async () => {
    const list = await admin.call<{ items: ApiTokenView[] }>('GET', '/api/tokens');
    expect(list.status).toBe(200);
    const item = list.body.items.find((i) => i.name === '省厅数据交换') as ApiTokenView;
    expect(item.lastUsedAt).toEqual(expect.any(Number));
    const text = JSON.stringify(list.body);
    for (const s of secrets) expect(text).not.toContain(s);
  });

  it('a read token reads but is refused the acknowledge (403), and the refusal is audited', async () => {
    const { secret, token } = (await create(admin, { name: '只读', scope: 'read', expiresInDays: 7 })).body;
    const bot = script(t.baseUrl, secret);
    expect((await bot.call('GET', '/api/alerts')).status).toBe(200);
    const ack = await bot.call('POST', `/api/alerts/${alert.id}/acknowledge`, {});
    expect(ack).toMatchObject({ status: 403, body: { error: 'token_read_only' } });
    expect((await audit('api_token.refused')).find((r) => r.target === `api-token:${token.id}`)?.detail).toMatchObject({
      reason: 'read_only',
      method: 'POST',
    });
  });

  it('a token manages no tokens and no users, and never opens a socket', async () => {
    const { secret } = (await create(admin, { name: '写', scope: 'write', expiresInDays: 7 })).body;
    const bot = script(t.baseUrl, secret);
    expect((await bot.call('GET', '/api/tokens')).status).toBe(403);
    expect((await bot.call('POST', '/api/tokens', { name: 'x', scope: 'write', expiresInDays: 1 })).status).toBe(403);
    // The user and account routes read the session cookie only: a token is nobody there.
    expect((await bot.call('GET', '/api/users')).status).toBe(401);
    expect((await bot.call('GET', '/api/auth/me')).status).toBe(401);
    const socket = io(t.baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { authorization: `Bearer ${secret}` },
      auth: { token: secret },
    });
    const err = await new Promise<Error>((res) => socket.once('connect_error', res));
    socket.close();
    expect(err.message).toBe('unauthenticated');
  });

  it('after revocation the token gets 401 at once; the revocation is audited', async () => {
    const { secret, token } = (await create(admin, { name: '将吊销', scope: 'write', expiresInDays: 7 })).body;
    const bot = script(t.baseUrl, secret);
    expect((await bot.call('GET', '/api/alerts')).status).toBe(200);
    const revoked = await admin.call<{ token: ApiTokenView }>('DELETE', `/api/tokens/${token.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.token).toMatchObject({ state: 'revoked', revokedBy: 'admin' });
    expect(await bot.call('GET', '/api/alerts')).toMatchObject({ status: 401, body: { error: 'token_revoked' } });
    expect((await audit('api_token.revoked'))[0]).toMatchObject({ username: 'admin', target: `api-token:${token.id}` });
    expect((await audit('api_token.refused')).find((r) => r.target === `api-token:${token.id}`)?.detail).toMatchObject({
      reason: 'revoked',
    });
  });

  it('an unknown or malformed token gets 401; the expiry is required and at most a year', async () => {
    expect((await script(t.baseUrl, `o3s_${'A'.repeat(43)}`).call('GET', '/api/alerts')).status).toBe(401);
    expect((await script(t.baseUrl, 'nonsense').call('GET', '/api/alerts')).status).toBe(401);
    expect((await create(admin, { name: 'x', scope: 'read' })).status).toBe(400);
    expect((await create(admin, { name: 'x', scope: 'read', expiresInDays: 366 })).status).toBe(400);
    expect((await create(admin, { name: 'x', scope: 'admin', expiresInDays: 1 })).status).toBe(400);
  });

  it('a token of a user who is disabled, or moved to another enterprise, stops working', async () => {
    const made = await admin.call<{ user: { id: number } }>('POST', '/api/users', {
      username: 'qilu-machine',
      role: 'enterprise',
      enterpriseId: 'qilu-power',
      password: 'qilu-machine-pass-1',
    });
    expect(made.status).toBe(201);
    const owner = await signIn(t.baseUrl, 'qilu-machine', 'qilu-machine-pass-1');
    const first = (await create(owner, { name: '企业接口', scope: 'read', expiresInDays: 10 })).body;
    expect(first.token.enterpriseId).toBe('qilu-power');
    const bot = script(t.baseUrl, first.secret);
    expect((await bot.call('GET', '/api/alerts')).status).toBe(200);
    const id = made.body.user.id;
    expect((await admin.call('PATCH', `/api/users/${id}`, { enterpriseId: 'zichuan-cement' })).status).toBe(200);
    expect(await bot.call('GET', '/api/alerts')).toMatchObject({ status: 401, body: { error: 'token_identity_changed' } });

    expect((await admin.call('PATCH', `/api/users/${id}`, { enterpriseId: 'qilu-power' })).status).toBe(200);
    const owner2 = await signIn(t.baseUrl, 'qilu-machine', 'qilu-machine-pass-1');
    const second = (await create(owner2, { name: '企业接口二', scope: 'read', expiresInDays: 10 })).body;
    const bot2 = script(t.baseUrl, second.secret);
    expect((await bot2.call('GET', '/api/alerts')).status).toBe(200);
    expect((await admin.call('PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await bot2.call('GET', '/api/alerts')).status).toBe(401);
  });

  it('a burst gets 429 with Retry-After; another token is not held back', async () => {
    const { secret } = (await create(admin, { name: '突发', scope: 'read', expiresInDays: 1 })).body;
    const bot = script(t.baseUrl, secret);
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof bot.call>> | undefined;
    for (let i = 0; i < 60 && !limited; i += 1) {
      const res = await bot.call('GET', '/api/map');
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
    expect(limited?.body).toMatchObject({ error: 'rate_limited' });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const other = (await create(admin, { name: '另一个', scope: 'read', expiresInDays: 1 })).body;
    expect((await script(t.baseUrl, other.secret).call('GET', '/api/map')).status).toBe(200);
  });

  it('a cookie never skips the Origin check, even beside a bearer token', async () => {
    const res = await fetch(`${t.baseUrl}/api/alerts/${alert.id}/comment`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ text: 'x' }),
    });
    expect(res.status).toBe(403);
    const both = await fetch(`${t.baseUrl}/api/alerts/${alert.id}/comment`, {
      method: 'POST',
      headers: { cookie: admin.cookie, authorization: `Bearer ${secrets[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x' }),
    });
    expect(both.status).toBe(403);
  });

  it('refusals are counted per reason in /metrics', async () => {
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    for (const reason of ['unknown', 'revoked', 'identity', 'read_only', 'rate_limited']) {
      expect(text).toMatch(new RegExp(`o3s_refused_total\\{[^}]*door="api_token"[^}]*reason="${reason}"[^}]*\\} [1-9]`));
    }
  });

  it('no token appears in the audit log or in the server’s log', async () => {
    const all = JSON.stringify((await admin.call('GET', '/api/audit?limit=1000')).body);
    const log = readFileSync(logFile, 'utf8');
    expect(secrets.length).toBeGreaterThan(5);
    for (const s of secrets) {
      expect(all).not.toContain(s);
      expect(log).not.toContain(s);
    }
  });
});
