/**
 * Who is acting and what they may do with alerts, silences and maintenance windows, from
 * `res.locals.principal` (set by the auth middleware).
 *
 *   permission  | admin | officer | ozone | enterprise
 *   read        |  all  |   all   |  all  | its own enterprise only (another's alert is a 404)
 *   comment     |  yes  |   yes   |   -   | on its own alerts (to explain them)
 *   handle      |  yes  |   yes   |   -   | -   (acknowledge, assign, resolve, silence, silences CRUD,
 *               |       |         |       |      approve / reject maintenance windows)
 *   maintenance |  yes  |   yes   |   -   | for its own sources / enterprise
 *   readSilences|  yes  |   yes   |  yes  | -
 *
 * A request without a principal never gets here (the session gate answers 401); if a router were
 * mounted without the gate, these checks answer 401 too — closed, never open.
 */
import type { Response } from 'express';
import { principalOf } from '../auth/auth-middleware';
import type { Role } from '../domain/principal';
import { HttpError } from './errors';

export type Permission = 'read' | 'comment' | 'handle' | 'maintenance' | 'readSilences';

const ALLOWED: Record<Permission, readonly Role[]> = {
  read: ['admin', 'officer', 'ozone', 'enterprise'],
  comment: ['admin', 'officer', 'enterprise'],
  handle: ['admin', 'officer'],
  maintenance: ['admin', 'officer', 'enterprise'],
  readSilences: ['admin', 'officer', 'ozone'],
};

/** The acting user's name for history and audit. */
export function actorOf(res: Response): string {
  return principalOf(res).username;
}

/** 403 unless the caller's role has the permission. */
export function requirePermission(res: Response, permission: Permission, what: string): void {
  const { role } = principalOf(res);
  if (!ALLOWED[permission].includes(role)) throw new HttpError(403, 'forbidden', `role "${role}" may not ${what}`);
}

/** The only enterprise the caller may see (enterprise users), or null for every enterprise. */
export function tenantOf(res: Response): string | null {
  const p = principalOf(res);
  if (p.role !== 'enterprise') return null;
  return p.enterpriseId ?? ''; // an enterprise user without an enterprise sees nothing
}

/** May the caller see this enterprise's data? */
export const sees = (res: Response, enterpriseId: string): boolean => {
  const tenant = tenantOf(res);
  return tenant === null || tenant === enterpriseId;
};
