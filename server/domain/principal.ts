/**
 * Who is asking: the signed-in user behind a REST request, a socket or an MQTT connection.
 * Set by the auth middleware on `res.locals.principal`; every router and socket handler decides
 * from it what may be seen and changed. Enterprise users are bound to exactly one enterprise,
 * department users to exactly one department (the catering kitchens and construction sites it oversees).
 */
import type { ApiTokenScope } from './api-token';
import type { Department } from './site-register';

/** `department`: a sector authority (行业主管部门), read-only over the sites it oversees (issue 16). */
export const ROLES = ['admin', 'officer', 'ozone', 'enterprise', 'department'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  userId: number;
  username: string;
  role: Role;
  /** Set for (and only for) enterprise users. */
  enterpriseId: string | null;
  /** Set for (and only for) department users. */
  department: Department | null;
  /** Set when a machine's API token (not a session) authenticated the request (server/auth/api-tokens.ts). */
  token?: { id: string; scope: ApiTokenScope };
}

/** The signed-in user as POST /api/auth/login and GET /api/auth/me answer it (`{user}`; at least these fields). */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  enterpriseId: string | null;
  /** Set for (and only for) department users. */
  department: Department | null;
  /** Must replace a password someone else knows before anything else (the client sends them to the change page). */
  mustChangePassword: boolean;
}

/**
 * Why sessions ended or an identity changed: `logout` ends one session; `password`, `disabled`,
 * `role`, `enterprise`, `department` and `deleted` end every session (and MQTT connection) of the user.
 */
export const REVOCATION_REASONS = ['logout', 'password', 'disabled', 'role', 'enterprise', 'department', 'deleted'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/**
 * The auth stage's signal that what was granted to a user no longer holds: every live connection
 * of that session (`sessionId` set) or of that user (no `sessionId`) must end or be re-checked.
 * Plain, serialisable data (no object identity), so it can cross processes (e.g. Redis pub/sub).
 */
export interface IdentityRevoked {
  userId: number;
  reason: RevocationReason;
  /** The session that ended (SHA-256 of its token, as `Session.id`); absent: all of the user's. */
  sessionId?: string;
  /** When it happened, epoch ms. */
  at: number;
}
