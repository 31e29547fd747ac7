/**
 * Who alerts can be assigned to, for the assign dialog (the accounts themselves are administered
 * under /api/users, admins only):
 *
 * GET /api/assignees → {items: [{id, username, displayName}]}   enabled officers and administrators
 *
 * Staff who handle alerts may ask; anyone else gets 403 (enterprises never learn the bureau's accounts).
 */
import type { Router } from 'express';
import type { Assignee } from '../domain/alert';
import { rolesWith } from '../domain/access';
import type { Role } from '../domain/principal';
import { routes } from './access';
import { assigneeSchema, itemsOf } from '../domain/api-schemas';

/** The roles that handle alerts (server/domain/access.ts, `alerts.handle`). */
export const ASSIGNABLE_ROLES: readonly Role[] = rolesWith('alerts.handle');

export interface AccountFacts {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
}

export const isAssignable = (u: AccountFacts | undefined): boolean => u !== undefined && !u.disabled && ASSIGNABLE_ROLES.includes(u.role);

export function assigneesRouter(accounts: () => readonly AccountFacts[] | Promise<readonly AccountFacts[]>): Router {
  const r = routes();
  r.get(
    '/',
    'alerts.handle',
    { summary: { en: 'Who alerts can be assigned to', zh: '可指派人员' }, response: itemsOf(assigneeSchema) },
    async (_req, res) => {
      const items: Assignee[] = (await accounts())
        .filter((u) => isAssignable(u))
        .map(({ id, username, displayName }) => ({ id, username, displayName }));
      res.json({ items });
    },
  );
  return r.router;
}
