/** Which role lands where, and which routes a role may open (pure, tested without a router). */
import type { Role } from '@domain/principal';

export const STAFF: readonly Role[] = ['admin', 'officer'];
export const EVERYONE: readonly Role[] = ['admin', 'officer', 'ozone', 'enterprise'];

export const ROUTE_NAMES = {
  wall: 'wall',
  sources: 'sources',
  source: 'source',
  enterprise: 'enterprise',
  ozone: 'ozone',
  reports: 'reports',
  maintenance: 'maintenance',
} as const;
export type RouteName = (typeof ROUTE_NAMES)[keyof typeof ROUTE_NAMES];

/** Roles allowed per route. The server scopes the data anyway; this only keeps the UI coherent. */
export const ROUTE_ROLES: Record<RouteName, readonly Role[]> = {
  wall: STAFF,
  sources: ['admin', 'officer', 'ozone'],
  source: EVERYONE,
  enterprise: ['enterprise'],
  ozone: ['admin', 'officer', 'ozone'],
  reports: EVERYONE,
  maintenance: STAFF,
};

export function landingFor(role: Role): RouteName {
  switch (role) {
    case 'admin':
    case 'officer':
      return 'wall';
    case 'ozone':
      return 'ozone';
    case 'enterprise':
      return 'enterprise';
  }
}

export const mayOpen = (route: RouteName, role: Role): boolean => ROUTE_ROLES[route].includes(role);

/** The navigation links a role sees, in order. */
export function navFor(role: Role): RouteName[] {
  return (['wall', 'maintenance', 'sources', 'enterprise', 'ozone', 'reports'] as const).filter((r) => mayOpen(r, role));
}
