/**
 * Accounts over real HTTP: the auth, users and audit routers and the middleware mounted on a small
 * Express app on a free port, driven with fetch and a hand-kept cookie, with an injected clock.
 */
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/auth/audit-log';
import { openAuthDatabase } from '../../server/auth/auth-database';
import { auditRouter } from '../../server/auth/audit-router';
import { authenticate, originCheck, securityHeaders } from '../../server/auth/auth-middleware';
import { requirePermission } from '../../server/auth/route-access';
import { authRouter } from '../../server/auth/auth-router';
import { LoginGuard } from '../../server/auth/login-guard';
import { Revocations } from '../../server/auth/revocations';
import type { IdentityRevoked } from '../../server/domain/principal';
import { createPasswordHasher } from '../../server/auth/password';
import { SessionStore } from '../../server/auth/session-store';
import { principalFromCookieHeader } from '../../server/auth/socket-auth';
import { UserStore } from '../../server/auth/user-store';
import { usersRouter } from '../../server/auth/users-router';
import { errorMiddleware } from '../../server/http/errors';
import { createHttpApp } from '../../server/http/http-app';
import { hashToken } from '../../server/auth/session-store';
import { until } from '../helpers/wait';

const H = 3_600_000;
const ADMIN_PW = 'admin-password-1';
const OFFICER_PW = 'officer-password-1';

let t = 1_800_000_000_000;
const now = () => t;
let logText = '';
const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, cb) => ((logText += chunk.toString()), cb()) }));
const { db, close: closeDb } = await openAuthDatabase(':memory:');
const users = new UserStore(db, createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), now);
const sessions = new SessionStore(db, {}, now);
const audit = new AuditLog(db, now);
const guard = new LoginGuard({}, now);
const deviceGuard = new LoginGuard({}, now);
const revocations = new Revocations(log, now);
const revoked: IdentityRevoked[] = [];
revocations.on((e) => revoked.push(e));

let server: Server;
let base: string;

/** The parts of the JSON bodies this suite reads. */
interface Body {
  error?: string;
  user: { id: number; username: string; enterpriseId: string | null; disabled: boolean };
  principal: unknown;
  items: { username: string; action: string }[];
  total: number;
}

/** A browser of this app: keeps the session cookie, sends the same-origin Origin on writes. */
function browser() {
  let cookie = '';
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'GET' ? {} : { origin: base }),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set?.startsWith('o3s_session=')) cookie = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!;
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Body) : null, setCookie: set };
  };
  return {
    call,
    cookie: () => cookie,
    setCookie: (c: string) => (cookie = c),
    login: (username: string, password: string) => call('POST', '/api/auth/login', { username, password }),
  };
}

beforeAll(async () => {
  await users.create({ username: 'admin', role: 'admin', password: ADMIN_PW });
  await users.create({ username: 'officer', role: 'officer', password: OFFICER_PW });
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders());
  app.use(express.json());
  app.use('/api', originCheck());
  app.use('/api/auth', authRouter({ users, sessions, guard, audit, revocations, log }));
  const enterpriseExists = (id: string) => ['qilu-power', 'zichuan-cement'].includes(id);
  app.use('/api/users', usersRouter({ users, sessions, audit, guards: [guard, deviceGuard], revocations, enterpriseExists }));
  app.use('/api/audit', auditRouter({ audit, sessions, users }));
  app.get('/api/duty', authenticate(sessions, users), (_req, res) => {
    requirePermission(res, 'alerts.handle');
    res.json({ principal: res.locals.principal });
  });
  app.post('/api/echo', (req, res) => res.json({ ok: true, body: req.body }));
  app.use(errorMiddleware(log));
  await new Promise<void>((r) => (server = app.listen(0, '127.0.0.1', () => r())));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await closeDb();
});

describe('sign-in, session cookie and sign-out', () => {
  it('signs in with a httpOnly SameSite=Strict cookie and never returns the password or its hash', async () => {
    const b = browser();
    const res = await b.login('OFFICER', OFFICER_PW);
    expect(res.status).toBe(200);
    expect(res.body?.user).toMatchObject({ username: 'officer', role: 'officer', enterpriseId: null, lastLoginAt: t });
    expect(JSON.stringify(res.body)).not.toMatch(/password-1|argon2|passwordHash/);
    expect(res.setCookie).toMatch(/^o3s_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect((await b.call('GET', '/api/auth/me')).body?.user.username).toBe('officer');
    expect((await b.call('GET', '/api/duty')).body?.principal).toEqual({
      userId: 2,
      username: 'officer',
      role: 'officer',
      enterpriseId: null,
      department: null,
    });
    expect((await audit.query({ action: 'login', username: 'officer' })).total).toBe(1);
  });

  it('sets Secure when the request came over HTTPS (trusted proxy)', async () => {
    const res = await browser().call(
      'POST',
      '/api/auth/login',
      { username: 'officer', password: OFFICER_PW },
      { 'x-forwarded-proto': 'https' },
    );
    expect(res.setCookie).toMatch(/; Secure/);
  });

  it('answers 401 {error: unauthenticated} without a valid session, 403 to the wrong role', async () => {
    const anon = browser();
    expect(await anon.call('GET', '/api/auth/me')).toMatchObject({ status: 401, body: { error: 'unauthenticated' } });
    anon.setCookie('o3s_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await anon.call('GET', '/api/duty')).status).toBe(401);
    const ozoneUser = await users.create({ username: 'ozone', role: 'ozone', password: 'ozone-password-1' });
    const oz = browser();
    await oz.login('ozone', 'ozone-password-1');
    expect(await oz.call('GET', '/api/duty')).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await oz.call('GET', '/api/users')).status).toBe(403);
    expect((await oz.call('GET', '/api/audit')).status).toBe(403);
    expect(ozoneUser.role).toBe('ozone');
  });

  it('gives the same answer for a wrong password and an unknown user, and never logs the password', async () => {
    const wrong = await browser().login('admin', 'not-the-password');
    const unknown = await browser().login('ghost', 'not-the-password');
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
    expect(unknown.body).toEqual(wrong.body);
    expect(logText).toContain('sign-in refused');
    expect(logText).not.toContain('not-the-password');
    expect((await audit.query({ action: 'login_failed', username: 'ghost' })).items[0]).toMatchObject({
      userId: null,
      detail: { reason: 'unknown_user' },
    });
    await guard.succeed('admin');
    users.noteLoginSuccess(1);
  });

  it('ends the session on logout; the old cookie no longer works', async () => {
    const b = browser();
    await b.login('officer', OFFICER_PW);
    const old = b.cookie();
    const res = await b.call('POST', '/api/auth/logout');
    expect(res.status).toBe(204);
    expect(res.setCookie).toMatch(/^o3s_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    b.setCookie(old);
    expect((await b.call('GET', '/api/auth/me')).status).toBe(401);
    expect(await principalFromCookieHeader(old, sessions, users)).toBeNull();
    const token = old.slice('o3s_session='.length);
    expect(revoked.at(-1)).toEqual({ userId: 2, reason: 'logout', sessionId: hashToken(token), at: t });
  });

  it('expires a session idle for 8 h; socket.io handshakes resolve the same cookie', async () => {
    const b = browser();
    await b.login('officer', OFFICER_PW);
    expect(await principalFromCookieHeader(`theme=dark; ${b.cookie()}`, sessions, users)).toMatchObject({
      username: 'officer',
      role: 'officer',
    });
    t += 7 * H;
    expect((await b.call('GET', '/api/auth/me')).status).toBe(200);
    t += 8 * H;
    expect((await b.call('GET', '/api/auth/me')).status).toBe(401);
  });
});

describe('sign-in throttling: delays per client, never an account lock', () => {
  /** A sign-in from another address (this test app trusts its loopback proxy's X-Forwarded-For). */
  const loginFrom = (ip: string, username: string, password: string) =>
    browser().call('POST', '/api/auth/login', { username, password }, { 'x-forwarded-for': ip });

  it('makes the guessing client wait after 5 failures (429 + Retry-After), while the user signs in from elsewhere', async () => {
    const target = await users.create({ username: 'victim', role: 'officer', password: 'victim-password' });
    for (let i = 0; i < 5; i++) expect((await loginFrom('198.51.100.7', 'victim', `guess-${i}-guess`)).status).toBe(401);
    expect((await loginFrom('198.51.100.7', 'victim', 'guess-5-guess')).status).toBe(401); // the 6th counts, then waits begin
    const waiting = await loginFrom('198.51.100.7', 'victim', 'victim-password');
    expect(waiting).toMatchObject({ status: 429, body: { error: 'too_many_attempts', retryAfterS: 2 } });
    expect(waiting.headers.get('retry-after')).toBe('2');
    expect((await loginFrom('198.51.100.7', 'victim', 'victim-password')).status).toBe(429);
    // One audit record per throttle, however often the client knocks meanwhile.
    const locks = (await audit.query({ action: 'login_locked', username: 'victim' })).items;
    expect(locks).toMatchObject([{ ip: '198.51.100.7', detail: { scope: 'client', retryAfterS: 2 } }]);
    expect(guard.refused.client).toBe(2);
    // The account itself is not locked: the right password from the user's own address works now.
    expect((await loginFrom('192.0.2.10', 'victim', 'victim-password')).status).toBe(200);
    expect(await users.get(target.id)).toMatchObject({ failedLogins: 0, lockedUntil: null });
    t += 2_000;
    expect((await loginFrom('198.51.100.7', 'victim', 'victim-password')).status).toBe(200);
  });

  it('an address spraying 20 usernames is throttled, except for a user who signed in from it before', async () => {
    await users.create({ username: 'sprayed', role: 'officer', password: 'sprayed-password' });
    expect((await loginFrom('203.0.113.50', 'admin', ADMIN_PW)).status).toBe(200); // admin's known-good client
    for (let i = 0; i < 20; i++) expect((await loginFrom('203.0.113.50', `spray${i}`, 'guess-guess')).status).toBe(401);
    expect(await loginFrom('203.0.113.50', 'sprayed', 'sprayed-password')).toMatchObject({ status: 429, body: { retryAfterS: 900 } });
    expect((await loginFrom('203.0.113.50', 'admin', ADMIN_PW)).status).toBe(200);
    expect((await loginFrom('203.0.113.51', 'sprayed', 'sprayed-password')).status).toBe(200);
  });

  it('failures at another door (the MQTT guard) never slow web sign-in', async () => {
    for (let i = 0; i < 30; i++) deviceGuard.fail('officer', '192.0.2.77');
    expect((await loginFrom('192.0.2.77', 'officer', OFFICER_PW)).status).toBe(200);
  });
});

describe('trust proxy and Secure as the HTTP app is configured', () => {
  /** The product's HTTP app with only the auth routes, on a free port. */
  async function productApp(trustProxy: false | number | string[], forceSecureCookie: boolean) {
    const ok: express.RequestHandler = (_req, res) => void res.json({});
    const app = createHttpApp(
      {
        ...{ health: ok, ready: ok, metrics: ok, routers: {}, clientDir: '/nonexistent', trustProxy, forceSecureCookie },
        gate: authenticate(sessions, users),
        publicRouters: { '/api/auth': authRouter({ users, sessions, guard: new LoginGuard({}, now), audit, revocations, log }) },
      },
      log,
    );
    const srv = await new Promise<Server>((r) => {
      const s2 = app.listen(0, '127.0.0.1', () => r(s2));
    });
    const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    const login = (headers: Record<string, string>) =>
      fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url, ...headers },
        body: JSON.stringify({ username: 'officer', password: OFFICER_PW }),
      });
    return { login, close: () => new Promise((r) => srv.close(r)) };
  }
  const proxied = { 'x-forwarded-for': '203.0.113.77', 'x-forwarded-proto': 'https' };
  const lastLoginIp = async () => (await audit.query({ action: 'login', username: 'officer', limit: 1 })).items[0]?.ip;

  it('without trust proxy, X-Forwarded-* from a client are ignored: its own address, no Secure', async () => {
    const app = await productApp(false, false);
    const res = await app.login(proxied);
    expect(res.headers.get('set-cookie')).not.toMatch(/Secure/);
    expect(await lastLoginIp()).toBe('127.0.0.1');
    await app.close();
  });

  it.each([['loopback'], [1]])('trusting the proxy (%j): the forwarded address, and Secure over forwarded HTTPS', async (trust) => {
    const app = await productApp(typeof trust === 'number' ? trust : [trust], false);
    const res = await app.login(proxied);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(await lastLoginIp()).toBe('203.0.113.77');
    await app.close();
  });

  it('forceSecureCookie marks the cookie Secure on plain HTTP too', async () => {
    const app = await productApp(false, true);
    expect((await app.login({})).headers.get('set-cookie')).toMatch(/; Secure/);
    await app.close();
  });
});

describe('CSRF and security headers', () => {
  it.each([
    ['no Origin or Referer', {}, 403],
    ['a foreign Origin', { origin: 'http://evil.example' }, 403],
    ['a foreign Referer', { referer: 'http://evil.example/page' }, 403],
    ['Origin null', { origin: 'null' }, 403],
    ['a same-host Referer', { referer: 'SELF/dashboard' }, 200],
    ['a same-host Origin', { origin: 'SELF' }, 200],
  ])('a POST with %s → %i', async (_what, headers, status) => {
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('SELF', base)]));
    const res = await fetch(`${base}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body: '{}' });
    expect(res.status).toBe(status);
    if (status === 403) expect(await res.json()).toMatchObject({ error: 'bad_origin' });
  });

  it('sends the CSP and helmet headers, and no CORS headers even to a foreign Origin', async () => {
    const res = await fetch(`${base}/api/auth/me`, { headers: { origin: 'http://evil.example' } });
    const csp = res.headers.get('content-security-policy') ?? '';
    const host = new URL(base).host;
    for (const d of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      `connect-src 'self' ws://${host} wss://${host}`,
      "frame-ancestors 'none'",
      "object-src 'none'",
    ]) {
      expect(csp).toContain(d);
    }
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    const preflight = await fetch(`${base}/api/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('password change', () => {
  it('checks the current password and the policy, then ends every other session', async () => {
    await users.create({ username: 'frank', role: 'officer', password: 'frank-password-1' });
    const laptop = browser();
    const phone = browser();
    await laptop.login('frank', 'frank-password-1');
    await phone.login('frank', 'frank-password-1');
    expect(
      await laptop.call('POST', '/api/auth/password', { currentPassword: 'wrong-password', newPassword: 'frank-password-2' }),
    ).toMatchObject({
      status: 403,
      body: { error: 'wrong_password' },
    });
    expect(await laptop.call('POST', '/api/auth/password', { currentPassword: 'frank-password-1', newPassword: 'short' })).toMatchObject({
      status: 400,
      body: { error: 'weak_password' },
    });
    expect(await laptop.call('POST', '/api/auth/password', { currentPassword: 'frank-password-1', newPassword: 'frank' })).toMatchObject({
      status: 400,
    });
    const ok = await laptop.call('POST', '/api/auth/password', { currentPassword: 'frank-password-1', newPassword: 'frank-password-2' });
    expect(ok.status).toBe(200);
    expect((await laptop.call('GET', '/api/auth/me')).status).toBe(200); // a fresh session for this browser
    expect((await phone.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await browser().login('frank', 'frank-password-1')).status).toBe(401);
    expect((await browser().login('frank', 'frank-password-2')).status).toBe(200);
    expect((await audit.query({ action: 'password_changed', username: 'frank' })).items[0]?.detail).toEqual({ sessionsEnded: 2 });
    const frankId = (await users.findByUsername('frank'))!.id;
    await until(() => revoked.some((e) => e.userId === frankId && e.reason === 'password'), 'the password revocation');
    expect(revoked.filter((e) => e.userId === frankId).map((e) => [e.reason, e.sessionId])).toEqual([['password', undefined]]);
    expect(logText).not.toContain('frank-password');
  });
});

describe('user administration (admin only)', () => {
  it('creates, changes role (ending sessions), disables, resets, and keeps the last admin', async () => {
    const admin = browser();
    expect((await admin.login('admin', ADMIN_PW)).status).toBe(200);
    expect(
      await admin.call('POST', '/api/users', {
        username: 'qilu',
        role: 'enterprise',
        enterpriseId: 'nowhere',
        password: 'qilu-password-1',
      }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_user' } });
    expect(await admin.call('POST', '/api/users', { username: 'qilu', role: 'enterprise', password: 'qilu-password-1' })).toMatchObject({
      status: 400,
      body: { error: 'bad_request' },
    });
    const created = await admin.call('POST', '/api/users', {
      username: 'qilu',
      role: 'enterprise',
      enterpriseId: 'qilu-power',
      password: 'qilu-password-1',
    });
    expect(created).toMatchObject({ status: 201, body: { user: { username: 'qilu', role: 'enterprise', enterpriseId: 'qilu-power' } } });
    expect(JSON.stringify(created.body)).not.toContain('qilu-password-1');
    expect((await admin.call('POST', '/api/users', { username: 'QILU', role: 'ozone', password: 'qilu-password-1' })).status).toBe(409);
    const id = created.body!.user.id as number;

    const qilu = browser();
    await qilu.login('qilu', 'qilu-password-1');
    expect((await admin.call('PATCH', `/api/users/${id}`, { enterpriseId: 'zichuan-cement' })).body?.user.enterpriseId).toBe(
      'zichuan-cement',
    );
    expect((await qilu.call('GET', '/api/auth/me')).status).toBe(401); // tenant changed: sessions ended

    await qilu.login('qilu', 'qilu-password-1');
    expect((await admin.call('PATCH', `/api/users/${id}`, { disabled: true })).body?.user.disabled).toBe(true);
    expect((await qilu.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await qilu.login('qilu', 'qilu-password-1')).status).toBe(401);
    await admin.call('PATCH', `/api/users/${id}`, { disabled: false });

    expect((await admin.call('POST', `/api/users/${id}/password`, { password: 'qilu-password-2' })).status).toBe(200);
    expect((await qilu.login('qilu', 'qilu-password-2')).status).toBe(200);

    expect(await admin.call('PATCH', '/api/users/1', { role: 'officer' })).toMatchObject({ status: 409, body: { error: 'last_admin' } });
    expect((await admin.call('PATCH', '/api/users/999', { disabled: true })).status).toBe(404);
    // enterprise changed, disabled, (enabled: nothing), password reset
    expect(revoked.filter((e) => e.userId === id).map((e) => e.reason)).toEqual(['enterprise', 'disabled', 'password']);
    const list = await admin.call('GET', '/api/users');
    expect(list.body?.items.map((u: { username: string }) => u.username)).toContain('qilu');
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|hash/i);
  });

  it('signals a role change (a demotion) as `role`, and a new display name not at all', async () => {
    const admin = browser();
    await admin.login('admin', ADMIN_PW);
    const { id } = await users.create({ username: 'demoted', role: 'officer', password: 'demoted-password' });
    await admin.call('PATCH', `/api/users/${id}`, { role: 'enterprise', enterpriseId: 'qilu-power' });
    await admin.call('PATCH', `/api/users/${id}`, { displayName: 'Demoted' });
    expect(revoked.filter((e) => e.userId === id)).toEqual([{ userId: id, reason: 'role', at: t }]);
  });

  it('lists the audit trail with filters and pagination', async () => {
    const admin = browser();
    await admin.login('admin', ADMIN_PW);
    const res = await admin.call('GET', `/api/audit?target=user:${(await users.findByUsername('qilu'))!.id}&limit=2`);
    expect(res.status).toBe(200);
    // created (+ password_change_required), role_changed, disabled, enabled, password_reset (+ password_change_required)
    expect(res.body?.total).toBe(7);
    expect(res.body?.items.map((r: { action: string }) => r.action)).toEqual(['password_change_required', 'password_reset']);
    const page2 = await admin.call('GET', `/api/audit?target=user:${(await users.findByUsername('qilu'))!.id}&limit=2&offset=2`);
    expect(page2.body?.items.map((r: { action: string }) => r.action)).toEqual(['user_enabled', 'user_disabled']);
    expect(
      (await admin.call('GET', '/api/audit?action=login&action=logout')).body?.items.every((r: { action: string }) =>
        ['login', 'logout'].includes(r.action),
      ),
    ).toBe(true);
    expect((await admin.call('GET', '/api/audit?limit=0')).status).toBe(400);
  });
});
