/**
 * Which role lands where, and which routes a role may open (pure, tested without a router). Read
 * from the server's access table (server/domain/access.ts), so the dashboard and the API agree.
 */
import { isBureauRole, isEnterpriseRole, may, rolesWith } from '@domain/access';
import { ROLES, type Role } from '@domain/principal';

/** The duty room: who reviews maintenance windows (and handles alerts). */
export const STAFF: readonly Role[] = rolesWith('maintenance.review');
/** Who sees every enterprise's data: the staff and the ozone control centre (read-only on alerts). */
export const BUREAU: readonly Role[] = ROLES.filter(isBureauRole);
export const EVERYONE: readonly Role[] = ROLES;
/** The roles with a permission, but not the enterprise users (they have their portal instead of the city-wide pages). */
const beyondOneEnterprise = (permission: Parameters<typeof rolesWith>[0]): Role[] =>
  rolesWith(permission).filter((r) => !isEnterpriseRole(r));

export const ROUTE_NAMES = {
  wall: 'wall',
  sources: 'sources',
  source: 'source',
  enterprise: 'enterprise',
  ozone: 'ozone',
  reports: 'reports',
  maintenance: 'maintenance',
  registryImport: 'registryImport',
  registry: 'registry',
  registrySources: 'registrySources',
  enterpriseFile: 'enterpriseFile',
  users: 'users',
  audit: 'audit',
  sourceRules: 'sourceRules',
  silences: 'silences',
  password: 'password',
  notifyTargets: 'notifyTargets',
  apiTokens: 'apiTokens',
  duty: 'duty',
  notifySettings: 'notifySettings',
  facilityLedger: 'facilityLedger',
  startStop: 'startStop',
  quality: 'quality',
  cases: 'cases',
  caseTasks: 'caseTasks',
  reductions: 'reductions',
  myReductions: 'myReductions',
  responseEffect: 'responseEffect',
} as const;
export type RouteName = (typeof ROUTE_NAMES)[keyof typeof ROUTE_NAMES];

/**
 * Roles allowed per route. The server scopes the data anyway; this only keeps the UI coherent.
 * The ozone centre reads the wall as the server lets it (`read` on /api/alerts, no handling): the
 * wall shows it no actions (`mayHandleAlerts`). A department user (行业主管部门) reads the wall, the
 * overview, sources, reports and the registry of the sites it oversees, read-only (the server
 * narrows every answer to them).
 */
export const ROUTE_ROLES: Record<RouteName, readonly Role[]> = {
  wall: beyondOneEnterprise('alerts.read'),
  sources: beyondOneEnterprise('sources.read'),
  source: rolesWith('sources.read'),
  enterprise: ROLES.filter(isEnterpriseRole),
  ozone: rolesWith('ozone.read'),
  reports: rolesWith('reports.read'),
  maintenance: STAFF,
  registryImport: rolesWith('registry.write'),
  registry: beyondOneEnterprise('registry.read'),
  registrySources: beyondOneEnterprise('registry.read'),
  // The server scopes the file: an enterprise user reads its own only (another answers 404).
  enterpriseFile: rolesWith('registry.read'),
  users: rolesWith('users.admin'),
  audit: rolesWith('audit.read'),
  // A source's limits and rule override: the bureau reads (`rules.read`), an administrator changes them.
  sourceRules: rolesWith('rules.read'),
  // The duty room's page (admin, officer): the ozone centre may read silences over the API but has no use for ending them.
  silences: rolesWith('silences.write'),
  // Everyone changes their own password (and must, first, when someone else set it).
  password: EVERYONE,
  // Webhook URLs carry secrets: administrators only (`notify.admin`).
  notifyTargets: rolesWith('notify.admin'),
  // API tokens: administrators (every token), enterprise users (their enterprise's; `tokens.manage`).
  apiTokens: rolesWith('tokens.manage'),
  // The roster and the escalation chain are the administrator's (`duty.admin`); one's own notification settings everyone's.
  duty: rolesWith('duty.admin'),
  notifySettings: EVERYONE,
  // Facility records (issue 16): an enterprise keeps its own ledger (adsorbent replacements, its start/stop plan)…
  facilityLedger: rolesWith('records.write').filter(isEnterpriseRole),
  // … and the bureau sees who filed and how often lines started and stopped.
  startStop: beyondOneEnterprise('records.read'),
  // Data quality (issue 19): the bureau's ranking of every enterprise (`quality.read`).
  quality: rolesWith('quality.read'),
  // Rectification cases: the bureau's list (`case.read`); the enterprise answers its own from its tasks page (`case.respond`).
  cases: beyondOneEnterprise('case.read'),
  caseTasks: rolesWith('case.respond'),
  // Emission-reduction lists (issue 18): the bureau's coverage and import; the enterprise reads and acknowledges its own.
  reductions: rolesWith('reductions.read').filter((r) => !isEnterpriseRole(r)),
  myReductions: rolesWith('reductions.acknowledge'),
  // A response's effect report (issue 18): the bureau's whole, an enterprise's own row (the server scopes it).
  responseEffect: rolesWith('responses.read'),
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
    case 'department':
      return 'sources';
  }
}

export const mayOpen = (route: RouteName, role: Role): boolean => ROUTE_ROLES[route].includes(role);

/** May acknowledge, assign, resolve and silence alerts (`alerts.handle`). */
export const mayHandleAlerts = (role: Role): boolean => may(role, 'alerts.handle');

/** May create, change and delete enterprises, sources and facilities (the others read them). */
export const mayWriteRegistry = (role: Role): boolean => may(role, 'registry.write');

/** May change a source's limits and rule override (`rules.write`). */
export const mayWriteRules = (role: Role): boolean => may(role, 'rules.write');

/** May open, accept, close, return and reassign rectification cases (`case.manage`). */
export const mayManageCases = (role: Role): boolean => may(role, 'case.manage');

/** May end (and create) silences (`silences.write`). */
export const mayWriteSilences = (role: Role): boolean => may(role, 'silences.write');

/**
 * The navigation links a role sees, in order. The bureau opens a file from the registry, an
 * enterprise its own; an enterprise manages its API tokens from its portal, administrators from the
 * administration tabs.
 */
export function navFor(role: Role): RouteName[] {
  const links = [
    'wall',
    'maintenance',
    'cases',
    'sources',
    'enterprise',
    'caseTasks',
    'enterpriseFile',
    'facilityLedger',
    'myReductions',
    'ozone',
    'reports',
    'quality',
    'startStop',
    'reductions',
    'registry',
    'apiTokens',
  ] as const;
  const portalOnly = (r: RouteName) => r === 'enterpriseFile' || r === 'apiTokens';
  return links.filter((r) => mayOpen(r, role) && (!portalOnly(r) || isEnterpriseRole(role)));
}

/** The administration pages' tabs a role sees. */
export const adminTabsFor = (role: Role): RouteName[] =>
  (['registry', 'registrySources', 'registryImport', 'users', 'audit', 'silences', 'notifyTargets', 'duty', 'apiTokens'] as const).filter(
    (r) => mayOpen(r, role) && !isEnterpriseRole(role),
  );

/** Where a navigation goes instead (a route name, with the query to carry), or `true`: as asked. */
export type GuardTarget = true | { name: RouteName; query?: Record<string, string> };

/** The page the user asked for: its route name and full path. */
export interface RouteAsked {
  name: unknown;
  fullPath: string;
}

const isRouteName = (v: unknown): v is RouteName => typeof v === 'string' && (Object.values(ROUTE_NAMES) as string[]).includes(v);

/**
 * The router's decision for a signed-in user (null: nobody signed in, App.vue shows the sign-in
 * form and the URL is kept). A user who must change their password goes to the change page,
 * remembering where they were going (`next`); the bare root goes to the role's landing page, and so
 * does a page the role may not open.
 */
export function guardTarget(user: { role: Role; mustChangePassword: boolean } | null, to: RouteAsked): GuardTarget {
  if (!user) return true;
  if (user.mustChangePassword) {
    if (to.name === ROUTE_NAMES.password) return true;
    return to.name === 'home' || !isRouteName(to.name) ? { name: 'password' } : { name: 'password', query: { next: to.fullPath } };
  }
  if (to.name === 'home') return { name: landingFor(user.role) };
  if (isRouteName(to.name) && !mayOpen(to.name, user.role)) return { name: landingFor(user.role) };
  return true;
}

/** Where to go after the password change: the remembered page if it is one of this app's paths, else null (the landing page). */
export function nextAfterPasswordChange(next: unknown): string | null {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next === '/password' || next.startsWith('/password?') ? null : next;
}
