/**
 * Who alerts can be assigned to, for the assign dialog (the accounts themselves are administered
 * under /api/users, admins only):
 *
 * GET /api/assignees → {items: [{id, username, displayName}]}   enabled officers and administrators
 *
 * Staff who handle alerts may ask; anyone else gets 403 (enterprises never learn the bureau's accounts).
 */
import { Router } from 'express';
import type { Assignee } from '../domain/alert';
import type { Role } from '../domain/principal';
import { requirePermission } from './access';

/** The roles that handle alerts (access.ts, `handle`). */
export const ASSIGNABLE_ROLES: readonly Role[] = ['officer', 'admin'];

export interface AccountFacts {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
}

export const isAssignable = (u: AccountFacts | undefined): boolean => u !== undefined && !u.disabled && ASSIGNABLE_ROLES.includes(u.role);

export function assigneesRouter(accounts: () => readonly AccountFacts[]): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    requirePermission(res, 'handle', 'list assignees');
    const items: Assignee[] = accounts()
      .filter((u) => isAssignable(u))
      .map(({ id, username, displayName }) => ({ id, username, displayName }));
    res.json({ items });
  });
  return router;
}
