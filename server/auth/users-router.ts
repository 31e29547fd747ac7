/**
 * /api/users — administrators only (the router authenticates and checks the role itself).
 *   GET   /               → {items: User[]}
 *   POST  /               {username, displayName?, role, enterpriseId?, department?, password} → 201 {user}
 *   PATCH /:id            {displayName?, role?, enterpriseId?, department?, disabled?, mustChangePassword?} → {user}
 *   POST  /:id/password   {password} → {user}   (reset by an admin; clears a lockout)
 * With `auth.forcePasswordChange` (the default) a user created with a password, or whose password
 * an administrator reset, must change it at the next sign-in (`user.mustChangePassword`); an
 * administrator can also require (or waive) that by hand. Each time it is set, the audit trail gets
 * `password_change_required` (detail.reason: created, reset, admin); waived: `password_change_waived`.
 * A change of role, enterprise or department, or a disable, ends every session of that user; a reset password too. The last
 * active administrator cannot be disabled or demoted (409 last_admin).
 */
import type { Router } from 'express';
import { z } from 'zod';
import { HttpError } from '../domain/errors';
import type { AuditLog } from './audit-log';
import { authenticate, principalOf } from './auth-middleware';
import { routes } from './route-access';
import { clientIp } from './auth-router';
import type { LoginGuard } from './login-guard';
import type { Revocations } from './revocations';
import type { SessionStore } from './session-store';
import { httpErrorOf } from './user-http-errors';
import { newUserSchema, userPatchSchema, type User, type UserStore } from './user-store';
import { itemsOf } from '../domain/api-schemas';
import { ROLES, type RevocationReason } from '../domain/principal';
import { DEPARTMENTS } from '../domain/site-register';

const userAnswer = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    enterpriseId: z.string().nullable(),
    department: z.enum(DEPARTMENTS).nullable(),
    disabled: z.boolean(),
    failedLogins: z.number().int(),
    lockedUntil: z.number().int().nullable(),
    createdAt: z.number().int(),
    passwordChangedAt: z.number().int(),
    lastLoginAt: z.number().int().nullable(),
    mustChangePassword: z.boolean(),
  })
  .meta({ id: 'User', description: 'an account (never its password)' }) satisfies z.ZodType<User>;

export interface UsersRouterDeps {
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  /** Every sign-in door's guard (web, MQTT): a password reset clears the user's delays at each. */
  guards: LoginGuard[];
  /** Told when a user's sessions end (role, enterprise, disabled, password reset). */
  revocations: Revocations;
  /** Is this an enterprise of the registry? */
  enterpriseExists: (id: string) => boolean;
  /** A password an administrator sets (new user, reset) must be changed by its user (`auth.forcePasswordChange`; default true). */
  forcePasswordChange?: boolean;
}

/** Why a changed user's sessions end: disabled, another role, another enterprise or another department. */
function revocationReason(before: User | undefined, after: User, disabledChanged: boolean): RevocationReason {
  if (disabledChanged && after.disabled) return 'disabled';
  if (before?.role !== after.role) return 'role';
  return before.enterpriseId !== after.enterpriseId ? 'enterprise' : 'department';
}

const idParam = z.object({ id: z.coerce.number().int().positive() });
const resetBody = z.object({ password: z.string().min(1).max(256) }).strict();

export function usersRouter(deps: UsersRouterDeps): Router {
  const { users, sessions, audit, guards, revocations, forcePasswordChange } = deps;
  const flag = { mustChangePassword: forcePasswordChange ?? true };
  const r = routes();
  r.router.use(authenticate(sessions, users));

  const checkEnterprise = (id: string | null | undefined) => {
    if (id && !deps.enterpriseExists(id)) throw new HttpError(400, 'invalid_user', `enterpriseId: unknown enterprise "${id}"`);
  };

  r.get('/', 'users.admin', { summary: { en: 'List user accounts', zh: '用户列表' }, response: itemsOf(userAnswer) }, async (_req, res) => {
    res.json({ items: await users.list() });
  });

  r.post(
    '/',
    'users.admin',
    {
      summary: { en: 'Create a user', zh: '新建用户' },
      body: newUserSchema,
      status: 201,
      response: z.object({ user: userAnswer }),
      refusals: [409],
    },
    async (req, res) => {
      const body = newUserSchema.parse(req.body);
      checkEnterprise(body.enterpriseId);
      const user = await users.create(body, flag).catch((err: unknown) => Promise.reject(httpErrorOf(err)));
      const base = { actor: principalOf(res), target: `user:${user.id}`, ip: clientIp(req) };
      await audit.record({
        ...base,
        action: 'user_created',
        detail: { username: user.username, role: user.role, enterpriseId: user.enterpriseId, department: user.department },
      });
      if (user.mustChangePassword) await audit.record({ ...base, action: 'password_change_required', detail: { reason: 'created' } });
      res.status(201).json({ user });
    },
  );

  r.patch(
    '/:id',
    'users.admin',
    {
      summary: { en: 'Change a user', zh: '修改用户' },
      params: { id: idParam.shape.id },
      body: userPatchSchema,
      response: z.object({ user: userAnswer }),
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const patch = userPatchSchema.parse(req.body);
      checkEnterprise(patch.enterpriseId);
      const before = await users.get(id);
      let change;
      try {
        change = await users.update(id, patch);
      } catch (err) {
        throw httpErrorOf(err);
      }
      const { user, roleChanged, disabledChanged, mustChangePasswordChanged } = change;
      const revoked = roleChanged || (disabledChanged && user.disabled);
      const sessionsEnded = revoked ? await sessions.revokeUser(id) : 0;
      if (revoked) revocations.user(id, revocationReason(before, user, disabledChanged));
      const base = { actor: principalOf(res), target: `user:${id}`, ip: clientIp(req) };
      if (roleChanged) {
        await audit.record({
          ...base,
          action: 'role_changed',
          detail: {
            from: { role: before?.role, enterpriseId: before?.enterpriseId, department: before?.department },
            to: { role: user.role, enterpriseId: user.enterpriseId, department: user.department },
            sessionsEnded,
          },
        });
      }
      if (disabledChanged)
        await audit.record({ ...base, action: user.disabled ? 'user_disabled' : 'user_enabled', detail: { sessionsEnded } });
      // Required now: the user's sockets and MQTT connections close (its sessions stay, to make the change).
      if (mustChangePasswordChanged && user.mustChangePassword && !revoked) revocations.user(id, 'password');
      if (mustChangePasswordChanged) {
        const action = user.mustChangePassword ? 'password_change_required' : 'password_change_waived';
        await audit.record({ ...base, action, detail: user.mustChangePassword ? { reason: 'admin' } : null });
      }
      if (!roleChanged && !disabledChanged && !mustChangePasswordChanged)
        await audit.record({ ...base, action: 'user_updated', detail: { displayName: user.displayName } });
      res.json({ user });
    },
  );

  r.post(
    '/:id/password',
    'users.admin',
    {
      summary: { en: 'Reset a user’s password', zh: '重置用户密码' },
      params: { id: idParam.shape.id },
      body: resetBody,
      response: z.object({ user: userAnswer }),
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const { password } = resetBody.parse(req.body);
      const user = await users.setPassword(id, password, flag).catch((err: unknown) => Promise.reject(httpErrorOf(err)));
      for (const guard of guards) await guard.reset(user.username);
      const sessionsEnded = await sessions.revokeUser(id);
      revocations.user(id, 'password');
      const base = { actor: principalOf(res), target: `user:${id}`, ip: clientIp(req) };
      await audit.record({ ...base, action: 'password_reset', detail: { sessionsEnded } });
      if (user.mustChangePassword) await audit.record({ ...base, action: 'password_change_required', detail: { reason: 'reset' } });
      res.json({ user });
    },
  );

  return r.router;
}
