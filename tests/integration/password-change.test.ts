/**
 * The forced password change on the real app (auth.forcePasswordChange on, as in production): a
 * demo account, a user an administrator created and one whose password was reset may sign in but do
 * nothing but change the password (403 password_change_required, no socket); the change clears the
 * flag, ends the user's other sessions and lets this one go on; all of it audited, no password logged.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';

const NEW_OFFICER_PW = 'officer-own-password-1';
const NEW_ADMIN_PW = 'admin-own-password-1';

describe('forced password change', () => {
  let t: TestApp;
  let dir: string;
  let logFile: string;
  const sockets: DashboardSocket[] = [];

  /** Opens a dashboard socket with this cookie: 'connected' once the snapshot came, else the refusal. */
  const handshake = (cookie: string) =>
    new Promise<string>((res) => {
      const s: DashboardSocket = io(t.baseUrl, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
      sockets.push(s);
      s.once('state:snapshot', () => (res('connected'), s.close()));
      s.once('connect_error', (err) => res(err.message));
    });
  const changePassword = (session: ApiSession, currentPassword: string, newPassword: string) =>
    session.fetch('/api/auth/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword, newPassword }),
    });
  /** The session continuing under the cookie a successful change set. */
  const continued = (before: ApiSession, res: Response): ApiSession => {
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^o3s_session=/);
    return {
      cookie,
      fetch: (path, init = {}) =>
        before.fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), cookie } }),
      async call(method, path, body) {
        const r = await this.fetch(path, {
          method,
          ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        });
        const text = await r.text();
        return { status: r.status, body: (text ? JSON.parse(text) : {}) as never };
      },
    };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-pwchange-'));
    logFile = join(dir, 'server.log');
    t = await startTestApp({ AUTH_FORCE_PASSWORD_CHANGE: 'true', LOG_LEVEL: 'debug' }, { logFile });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a demo account may only see who it is, sign out or change its password; then everything works', async () => {
    const laptop = await t.signIn('officer');
    const phone = await t.signIn('officer');
    expect(await laptop.call('GET', '/api/auth/me')).toMatchObject({
      status: 200,
      body: { user: { username: 'officer', mustChangePassword: true } },
    });
    for (const [method, path] of [
      ['GET', '/api/sources'],
      ['GET', '/api/alerts'],
      ['POST', '/api/silences'],
      ['GET', '/api/no-such-route'],
    ] as const) {
      expect(await laptop.call(method, path, method === 'GET' ? undefined : {})).toMatchObject({
        status: 403,
        body: { error: 'password_change_required' },
      });
    }
    expect(await handshake(laptop.cookie)).toBe('password_change_required');

    const demoPw = t.app.demoAccounts.find((a) => a.username === 'officer')!.password;
    const wrong = await changePassword(laptop, 'not-the-password', NEW_OFFICER_PW);
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: 'wrong_password' });
    const same = await changePassword(laptop, demoPw, demoPw);
    expect(same.status).toBe(400);
    expect(await same.json()).toMatchObject({ error: 'weak_password' });
    const weak = await changePassword(laptop, demoPw, 'short');
    expect(weak.status).toBe(400);
    expect(await weak.json()).toMatchObject({ error: 'weak_password' });
    expect((await laptop.call('GET', '/api/sources')).status).toBe(403); // refusals change nothing

    const ok = await changePassword(laptop, demoPw, NEW_OFFICER_PW);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ user: { username: 'officer', mustChangePassword: false } });
    const session = continued(laptop, ok);
    expect((await session.call('GET', '/api/sources')).status).toBe(200);
    expect(await session.call('GET', '/api/auth/me')).toMatchObject({ body: { user: { mustChangePassword: false } } });
    expect(await handshake(session.cookie)).toBe('connected');
    // The user's other sessions ended.
    expect((await phone.call('GET', '/api/auth/me')).status).toBe(401);
    expect(await handshake(phone.cookie)).toBe('unauthenticated');
    await expect(signIn(t.baseUrl, 'officer', demoPw)).rejects.toThrow(/HTTP 401/);
    expect((await (await signIn(t.baseUrl, 'officer', NEW_OFFICER_PW)).call('GET', '/api/sources')).status).toBe(200);
  });

  it('an administrator’s new user and reset password must be changed; the trail says so, never a password', async () => {
    const first = await t.signIn('admin');
    expect((await first.call('GET', '/api/users')).status).toBe(403);
    const adminPw = t.app.demoAccounts.find((a) => a.username === 'admin')!.password;
    const admin = continued(first, await changePassword(first, adminPw, NEW_ADMIN_PW));

    const created = await admin.call<{ user: { id: number; mustChangePassword: boolean } }>('POST', '/api/users', {
      username: 'li.wei',
      role: 'officer',
      password: 'given-by-admin-1',
    });
    expect(created).toMatchObject({ status: 201, body: { user: { mustChangePassword: true } } });
    const id = created.body.user.id;
    const li = await signIn(t.baseUrl, 'li.wei', 'given-by-admin-1');
    expect((await li.call('GET', '/api/sources')).status).toBe(403);
    const liOwn = continued(li, await changePassword(li, 'given-by-admin-1', 'li-wei-own-pass-1'));
    expect((await liOwn.call('GET', '/api/sources')).status).toBe(200);

    expect(await admin.call('POST', `/api/users/${id}/password`, { password: 'reset-by-admin-1' })).toMatchObject({
      status: 200,
      body: { user: { mustChangePassword: true } },
    });
    const reset = await signIn(t.baseUrl, 'li.wei', 'reset-by-admin-1');
    expect(await reset.call('GET', '/api/alerts')).toMatchObject({ status: 403, body: { error: 'password_change_required' } });
    // An administrator may waive it (or require it by hand).
    expect(await admin.call('PATCH', `/api/users/${id}`, { mustChangePassword: false })).toMatchObject({
      body: { user: { mustChangePassword: false } },
    });
    expect((await reset.call('GET', '/api/alerts')).status).toBe(200);
    // Required by hand while the user is live: the socket closes at once, the session stays for the change.
    const live: DashboardSocket = io(t.baseUrl, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: reset.cookie } });
    sockets.push(live);
    await new Promise((res) => live.once('state:snapshot', res));
    const closed = new Promise((res) => live.once('disconnect', res));
    expect(await admin.call('PATCH', `/api/users/${id}`, { mustChangePassword: true })).toMatchObject({
      body: { user: { mustChangePassword: true } },
    });
    expect(await closed).toBe('io server disconnect');
    expect(await handshake(reset.cookie)).toBe('password_change_required');
    expect((await reset.call('GET', '/api/alerts')).status).toBe(403);
    expect((await reset.call('GET', '/api/auth/me')).status).toBe(200);

    const trail = await admin.call<{ items: { action: string; username: string; detail: unknown }[] }>(
      'GET',
      `/api/audit?target=user:${id}&action=password_change_required&action=password_change_waived&action=password_changed`,
    );
    expect(trail.body.items.map((r) => [r.action, r.detail])).toEqual([
      ['password_change_required', { reason: 'admin' }],
      ['password_change_waived', null],
      ['password_change_required', { reason: 'reset' }],
      ['password_changed', { sessionsEnded: 1, forced: true }],
      ['password_change_required', { reason: 'created' }],
    ]);
    const demo = await admin.call<{ items: { username: string; detail: unknown }[] }>(
      'GET',
      '/api/audit?action=password_change_required&username=system',
    );
    expect(demo.body.items.map((r) => r.detail)).toEqual(Array(5).fill({ reason: 'demo' }));
    const all = JSON.stringify((await admin.call('GET', '/api/audit?limit=1000')).body);
    const log = readFileSync(logFile, 'utf8');
    for (const pw of [NEW_OFFICER_PW, NEW_ADMIN_PW, 'given-by-admin-1', 'li-wei-own-pass-1', 'reset-by-admin-1']) {
      expect(all).not.toContain(pw);
      expect(log).not.toContain(pw);
    }
  });

  it('wrong current passwords count at the sign-in guard', async () => {
    const ozone = await t.signIn('ozone');
    // The guard's free failures (5 per client, login-guard.ts), then the wait begins.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await changePassword(ozone, `wrong-guess-${i}`, 'ozone-own-password-1')).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 403]);
    const throttled = await changePassword(ozone, 'wrong-guess-7', 'ozone-own-password-1');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
