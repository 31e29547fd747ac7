/**
 * Who is asking: the signed-in user behind a REST request, a socket or an MQTT connection.
 * Set by the auth middleware on `res.locals.principal`; every router and socket handler decides
 * from it what may be seen and changed. Enterprise users are bound to exactly one enterprise.
 */
export const ROLES = ['admin', 'officer', 'ozone', 'enterprise'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  userId: number;
  username: string;
  role: Role;
  /** Set for (and only for) enterprise users. */
  enterpriseId: string | null;
}

/** May this principal see data of this enterprise? */
export function canSeeEnterprise(p: Principal, enterpriseId: string): boolean {
  return p.role !== 'enterprise' || p.enterpriseId === enterpriseId;
}
