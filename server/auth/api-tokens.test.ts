/**
 * ApiTokens over a real SQLite store with an injected clock: who may create which tenant, what a
 * token acts as, expiry, the creator's identity checked at each use, the last use written at most
 * once a minute, revocation by tenant, and what is audited (never the token).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../domain/principal';
import { openApiTokenStore } from '../storage/sql/api-token-store';
import { ApiTokens, bearerOf, hashToken, type TokenUser } from './api-tokens';
import type { AuditInput } from './audit-log';

const DAY = 86_400_000;
const admin: Principal = { userId: 1, username: 'admin', role: 'admin', enterpriseId: null, department: null };
const qilu: Principal = { userId: 2, username: 'qilu', role: 'enterprise', enterpriseId: 'qilu-power', department: null };
const officer: Principal = { userId: 3, username: 'officer', role: 'officer', enterpriseId: null, department: null };

describe('ApiTokens', () => {
  let dir: string;
  let opened: Awaited<ReturnType<typeof openApiTokenStore>>;
  let tokens: ApiTokens;
  let now: number;
  const audited: AuditInput[] = [];
  const users = new Map<number, TokenUser>();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-tokens-'));
    opened = await openApiTokenStore(join(dir, 'auth.db'));
    now = 1_800_000_000_000;
    audited.length = 0;
    for (const p of [admin, qilu, officer])
      users.set(p.userId, { id: p.userId, username: p.username, role: p.role, enterpriseId: p.enterpriseId, disabled: false });
    tokens = new ApiTokens({
      store: opened.store,
      users: { get: async (id) => users.get(id) },
      audit: { record: (i) => audited.push(i) },
      enterpriseExists: (id) => ['qilu-power', 'zichuan-cement'].includes(id),
      limits: { burst: 5, perMinute: 60 },
      log: pino({ level: 'silent' }),
      now: () => now,
    });
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const use = (secret: string, method = 'GET') => tokens.authenticate(secret, method, '/api/alerts', '127.0.0.1');

  it.each([
    // actor, asked tenant, → tenant or error
    [admin, undefined, null],
    [admin, 'zichuan-cement', 'zichuan-cement'],
    [admin, 'no-such', 'unknown_enterprise'],
    [qilu, undefined, 'qilu-power'],
    [qilu, 'qilu-power', 'qilu-power'],
    [qilu, 'zichuan-cement', 'forbidden'],
  ] as const)('%o asks for %s → %s', async (actor, asked, expected) => {
    const made = tokens.create(actor, { name: 't', scope: 'read', enterpriseId: asked, expiresInDays: 1 }, null);
    if (expected === 'unknown_enterprise' || expected === 'forbidden') await expect(made).rejects.toMatchObject({ code: expected });
    else expect((await made).token.enterpriseId).toBe(expected);
  });

  it('a token acts as its creator bureau-wide, or as the enterprise of its tenant; the token is stored only hashed', async () => {
    const wide = await tokens.create(admin, { name: 'wide', scope: 'write', expiresInDays: 1 }, null);
    const ent = await tokens.create(admin, { name: 'ent', scope: 'read', enterpriseId: 'zichuan-cement', expiresInDays: 1 }, null);
    expect(await use(wide.secret)).toEqual({
      ok: true,
      principal: {
        userId: 1,
        username: 'admin',
        role: 'admin',
        enterpriseId: null,
        department: null,
        token: { id: wide.token.id, scope: 'write' },
      },
    });
    expect(await use(ent.secret)).toMatchObject({ ok: true, principal: { role: 'enterprise', enterpriseId: 'zichuan-cement' } });
    const row = await opened.store.get(wide.token.id);
    expect(row?.token_hash).toBe(hashToken(wide.secret));
    expect(JSON.stringify(row)).not.toContain(wide.secret.slice(8));
    expect(JSON.stringify(audited)).not.toContain(wide.secret.slice(8));
  });

  it('expires at its expiry (401, audited); a read token changes nothing (403)', async () => {
    const { secret, token } = await tokens.create(admin, { name: 'r', scope: 'read', expiresInDays: 2 }, null);
    expect(await use(secret, 'POST')).toMatchObject({ ok: false, status: 403, reason: 'read_only' });
    now += 2 * DAY - 1;
    expect((await use(secret)).ok).toBe(true);
    now += 1;
    expect(await use(secret)).toMatchObject({ ok: false, status: 401, reason: 'expired' });
    expect(audited.filter((a) => a.action === 'api_token.refused').map((a) => a.detail?.['reason'])).toEqual(['read_only', 'expired']);
    expect((await tokens.list(admin))[0]).toMatchObject({ id: token.id, state: 'expired' });
  });

  it.each([
    ['disabled', { disabled: true }],
    ['given another role', { role: 'officer' as const }],
    ['moved to another enterprise', { enterpriseId: 'zichuan-cement' }],
  ])('stops when its creator is %s', async (_what, change) => {
    const { secret } = await tokens.create(qilu, { name: 'q', scope: 'read', expiresInDays: 1 }, null);
    expect((await use(secret)).ok).toBe(true);
    users.set(2, { ...(users.get(2) as TokenUser), ...change });
    expect(await use(secret)).toMatchObject({ ok: false, status: 401, reason: 'identity' });
  });

  it('stops when its creator is deleted; an unknown token is counted, not audited', async () => {
    const { secret } = await tokens.create(officer, { name: 'o', scope: 'read', expiresInDays: 1 }, null);
    users.delete(3);
    expect(await use(secret)).toMatchObject({ ok: false, reason: 'identity' });
    const before = audited.length;
    expect(await use(`o3s_${'x'.repeat(43)}`)).toMatchObject({ ok: false, status: 401, reason: 'unknown' });
    expect(await use('')).toMatchObject({ ok: false, reason: 'unknown' });
    expect(audited.length).toBe(before);
    expect(tokens.refused).toMatchObject({ unknown: 2, identity: 1 });
  });

  it('writes the last use at most once a minute', async () => {
    const { secret, token } = await tokens.create(admin, { name: 'u', scope: 'read', expiresInDays: 1 }, null);
    await use(secret);
    const first = now;
    now += 30_000;
    await use(secret);
    expect((await opened.store.get(token.id))?.last_used_at).toBe(first);
    now += 30_000;
    await use(secret);
    expect((await opened.store.get(token.id))?.last_used_at).toBe(now);
  });

  it('a burst is refused with Retry-After, audited once per run', async () => {
    const { secret } = await tokens.create(admin, { name: 'b', scope: 'read', expiresInDays: 1 }, null);
    for (let i = 0; i < 5; i += 1) expect((await use(secret)).ok).toBe(true);
    expect(await use(secret)).toEqual({ ok: false, status: 429, reason: 'rate_limited', retryAfterS: 1 });
    expect(await use(secret)).toMatchObject({ ok: false, status: 429 });
    expect(audited.filter((a) => a.detail?.['reason'] === 'rate_limited')).toHaveLength(1);
    now += 1_000;
    expect((await use(secret)).ok).toBe(true);
  });

  it('an enterprise lists and revokes only its own enterprise’s tokens; revoking twice audits once', async () => {
    const own = await tokens.create(admin, { name: 'own', scope: 'read', enterpriseId: 'qilu-power', expiresInDays: 1 }, null);
    const other = await tokens.create(admin, { name: 'other', scope: 'read', enterpriseId: 'zichuan-cement', expiresInDays: 1 }, null);
    await tokens.create(admin, { name: 'wide', scope: 'read', expiresInDays: 1 }, null);
    expect((await tokens.list(qilu)).map((t) => t.name)).toEqual(['own']);
    expect((await tokens.list(admin)).map((t) => t.name).sort()).toEqual(['other', 'own', 'wide']);
    await expect(tokens.revoke(qilu, other.token.id, null)).rejects.toMatchObject({ status: 404 });
    expect((await use(other.secret)).ok).toBe(true);
    expect(await tokens.revoke(qilu, own.token.id, '10.0.0.1')).toMatchObject({ state: 'revoked', revokedBy: 'qilu' });
    await tokens.revoke(admin, own.token.id, null);
    expect(audited.filter((a) => a.action === 'api_token.revoked')).toEqual([
      expect.objectContaining({ actor: qilu, target: `api-token:${own.token.id}`, ip: '10.0.0.1' }),
    ]);
    expect(await use(own.secret)).toMatchObject({ ok: false, status: 401, reason: 'revoked' });
  });

  it.each([
    ['Bearer o3s_abc', 'o3s_abc'],
    ['bearer   o3s_abc  ', 'o3s_abc'],
    ['Basic dXNlcg==', null],
    ['Bearer', null],
    ['', null],
  ])('reads %j as %s', (header, token) => {
    expect(bearerOf({ get: () => header } as never)).toBe(token);
  });
});
