/**
 * Who is acting, what they may do and over which enterprises, from `res.locals.principal` (set by
 * the auth middleware). What each role may do is the table in server/domain/access.ts; routes
 * declare their permission when registered (server/auth/route-access.ts `routes`); these helpers
 * give handlers the caller's scope.
 *
 * A request without a principal never gets here (the session gate answers 401); if a router were
 * mounted without the gate, these checks answer 401 too — closed, never open.
 */
import type { Response } from 'express';
import { principalOf } from '../auth/auth-middleware';
import { inScope, scopeOf, tenantOfScope, type Scope } from '../domain/access';

export type { Permission } from '../domain/access';
export { requirePermission, routes } from '../auth/route-access';

/** The acting user's name for history and audit. */
export function actorOf(res: Response): string {
  return principalOf(res).username;
}

/** Over which enterprises the caller acts. */
export const scopeOfCaller = (res: Response): Scope => scopeOf(principalOf(res));

/**
 * The only enterprise the caller may see (enterprise users), or null for every enterprise; for a
 * department user a value that names no enterprise (its routes decide by source, `scopeOfCaller`).
 */
export const tenantOf = (res: Response): string | null => tenantOfScope(scopeOfCaller(res));

/** May the caller see this enterprise's data, as a whole? (never a department user: it sees sources, `tenant.ts`) */
export const sees = (res: Response, enterpriseId: string): boolean => inScope(scopeOfCaller(res), enterpriseId);
