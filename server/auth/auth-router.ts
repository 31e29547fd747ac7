/**
 * /api/auth: sign in, sign out, who am I, change my password.
 *   POST /login    {username, password} → 200 {user} + Set-Cookie o3s_session; 401 invalid_credentials; 429 + Retry-After
 *   POST /logout   → 204, session revoked, cookie cleared
 *   GET  /me       → {user}   (`user.mustChangePassword`: every other route answers 403 password_change_required)
 *   POST /password {currentPassword, newPassword} → {user}; the flag cleared; every other session of
 *                  the user revoked and this one continues (under a fresh token, set in the cookie);
 *                  403 wrong_password (counted by the login guard), 400 weak_password (policy, or unchanged)
 * /me, /logout and /password let a user who must change their password through; nothing else does.
 * The password is never echoed, logged or audited; a failed sign-in says the same thing whether or
 * not the username exists.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { HttpError } from '../domain/errors';
import type { SessionUser } from '../domain/principal';
import type { Logger } from '../logger';
import type { AuditLog } from './audit-log';
import { authenticate, principalOf } from './auth-middleware';
import { authenticating, routes } from './route-access';
import type { LoginGuard } from './login-guard';
import type { Revocations } from './revocations';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './session-cookie';
import type { SessionStore } from './session-store';
import { httpErrorOf } from './user-http-errors';
import type { User, UserStore } from './user-store';
import { sessionUserSchema } from '../domain/api-schemas';

export interface AuthRouterDeps {
  users: UserStore;
  sessions: SessionStore;
  guard: LoginGuard;
  audit: AuditLog;
  /** Told when a session ends or a password changes, to close live connections. */
  revocations: Revocations;
  log: Logger;
}

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();
const passwordBody = z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }).strict();

export const clientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Answers 429 with Retry-After. */
function tooMany(res: Response, retryAfterS: number): void {
  res.setHeader('Retry-After', String(retryAfterS));
  const wait = retryAfterS < 120 ? `${retryAfterS} s` : `${Math.ceil(retryAfterS / 60)} min`;
  res.status(429).json({ error: 'too_many_attempts', message: `too many failed sign-ins; try again in ${wait}`, retryAfterS });
}

export function authRouter(deps: AuthRouterDeps): Router {
  const { users, sessions, guard, audit, revocations, log } = deps;
  const r = routes();
  const signedIn = authenticating(authenticate(sessions, users, { allowPasswordChangeRequired: true }));

  const startSession = async (req: Request, res: Response, user: User) => {
    const { token } = await sessions.create(user.id, { ip: clientIp(req), userAgent: req.get('user-agent') });
    setSessionCookie(req, res, token, sessions.options.lifetimeMs);
  };

  r.post(
    '/login',
    'public',
    {
      summary: { en: 'Sign in: sets the session cookie', zh: '登录' },
      body: loginBody,
      response: z.object({ user: sessionUserSchema }),
      refusals: [429],
    },
    async (req, res) => {
      const { username, password } = loginBody.parse(req.body);
      const ip = clientIp(req);
      const verdict = await guard.check(username, ip);
      if (!verdict.allowed) {
        // Once per throttle: a client hammering while it waits is counted (guard.refused), not written.
        if (verdict.first) {
          const { scope, retryAfterS } = verdict;
          await audit.record({ actor: { username }, action: 'login_locked', ip, detail: { scope, retryAfterS } });
          log.info({ username, ip, scope, retryAfterS }, 'sign-in refused: too many failures (further refusals not logged)');
        }
        tooMany(res, verdict.retryAfterS);
        return;
      }
      const check = await users.checkLogin(username, password);
      if (!check.ok) {
        guard.fail(username, ip);
        if (check.user) await users.noteLoginFailure(check.user.id);
        await audit.record({
          actor: check.user ? { userId: check.user.id, username: check.user.username, role: check.user.role } : { username },
          action: 'login_failed',
          ip,
          detail: { reason: check.reason },
        });
        log.info({ username, ip, reason: check.reason }, 'sign-in refused');
        throw new HttpError(401, 'invalid_credentials', 'wrong username or password, or the account is disabled');
      }
      await guard.succeed(username, ip);
      await users.noteLoginSuccess(check.user.id);
      // No session fixation: a session the browser already had is ended, a new token issued.
      const previous = readCookie(req.headers.cookie, SESSION_COOKIE);
      const ended = previous ? await sessions.validate(previous) : null;
      if (previous) await sessions.revoke(previous);
      if (ended) revocations.session(ended.userId, ended.id, 'logout');
      await startSession(req, res, check.user);
      const user = (await users.get(check.user.id)) as User;
      await audit.record({ actor: { userId: user.id, username: user.username, role: user.role }, action: 'login', ip });
      res.json({ user } satisfies { user: SessionUser });
    },
  );

  r.post('/logout', 'account.self', { summary: { en: 'Sign out', zh: '退出登录' }, status: 204 }, signedIn, async (req, res) => {
    const principal = principalOf(res);
    const session = res.locals.session;
    if (session) {
      await sessions.revoke(session.token);
      revocations.session(principal.userId, session.id, 'logout');
    }
    clearSessionCookie(req, res);
    await audit.record({ actor: principal, action: 'logout', ip: clientIp(req) });
    res.status(204).end();
  });

  r.get(
    '/me',
    'account.self',
    { summary: { en: 'Who am I', zh: '当前用户' }, response: z.object({ user: sessionUserSchema }) },
    signedIn,
    async (_req, res) => {
      const user = await users.get(principalOf(res).userId);
      if (!user) throw new HttpError(401, 'unauthenticated', 'sign in first');
      res.json({ user } satisfies { user: SessionUser });
    },
  );

  r.post(
    '/password',
    'account.self',
    {
      summary: { en: 'Change my password', zh: '修改密码' },
      body: passwordBody,
      response: z.object({ user: sessionUserSchema }),
      refusals: [429],
    },
    signedIn,
    async (req, res) => {
      const principal = principalOf(res);
      const { currentPassword: current, newPassword: next } = passwordBody.parse(req.body);
      const ip = clientIp(req);
      const verdict = await guard.check(principal.username, ip);
      if (!verdict.allowed) return tooMany(res, verdict.retryAfterS);
      if (!(await users.verifyPassword(principal.userId, current))) {
        guard.fail(principal.username, ip);
        await audit.record({ actor: principal, action: 'login_failed', ip, detail: { reason: 'wrong_current_password' } });
        throw new HttpError(403, 'wrong_password', 'the current password is wrong');
      }
      if (current === next) throw new HttpError(400, 'weak_password', 'the new password must differ from the current one');
      const forced = (await users.get(principal.userId))?.mustChangePassword ?? false;
      let user: User;
      try {
        user = await users.setPassword(principal.userId, next, { mustChangePassword: false });
      } catch (err) {
        throw httpErrorOf(err);
      }
      const ended = await sessions.revokeUser(user.id);
      await startSession(req, res, user);
      // Sockets are closed once this answer (with the new cookie) is out, so this browser's socket
      // reconnects with the new session rather than the ended one.
      res.once('close', () => revocations.user(user.id, 'password'));
      // `forced`: the change the user had to make (demo or administrator's password) before anything else.
      await audit.record({
        actor: principal,
        action: 'password_changed',
        target: `user:${user.id}`,
        ip,
        detail: { sessionsEnded: ended, ...(forced ? { forced: true } : {}) },
      });
      res.json({ user } satisfies { user: SessionUser });
    },
  );

  return r.router;
}
