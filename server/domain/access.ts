/**
 * Who may do what, and over which enterprises: the single access table. Pure data; the HTTP
 * routes (server/http/routes.ts), socket rooms and snapshots (server/realtime) and the dashboard's
 * routes (client/src/router/access.ts) all read it. Permissions are named for actions.
 *
 * Scope is separate from permission: an enterprise user acts on its own enterprise only (another
 * enterprise's things answer 404, as if they did not exist); a department user (行业主管部门) sees
 * only the sites its department oversees (catering kitchens, construction sites: `departmentOversees`),
 * decided per source; the bureau sees all enterprises.
 */
import type { Principal, Role } from './principal';
import type { Registry } from './registry';
import { departmentOversees, type Department } from './site-register';

const ALL: readonly Role[] = ['admin', 'officer', 'ozone', 'enterprise'];
/** Every role that reads its sites' data: ALL and the department users (read-only, their sites only). */
const READERS: readonly Role[] = [...ALL, 'department'];
/** The bureau: every role that sees all enterprises. */
const BUREAU: readonly Role[] = ['admin', 'officer', 'ozone'];
/** The duty room: administrators and duty officers. */
const STAFF: readonly Role[] = ['admin', 'officer'];

/** permission → the roles that have it (scope applies on top). */
export const ACCESS = {
  'account.self': READERS, // own session: logout, who am I, change own password
  'alerts.read': READERS, // list, detail, a source's history
  'alerts.comment': ['admin', 'officer', 'enterprise'],
  'alerts.handle': STAFF, // acknowledge, assign, resolve, silence; list assignees
  'silences.read': BUREAU,
  'silences.write': STAFF,
  'maintenance.read': ALL,
  'maintenance.declare': ['admin', 'officer', 'enterprise'], // declare, change, end
  'maintenance.review': STAFF, // approve, reject
  'sources.read': READERS, // sources, series, a source's applicable limits, reports, an enterprise's working-condition strip
  'frames.read': READERS, // a source's raw HJ 212 frames (unregistered MNs: bureau only, by scope)
  'loggers.read': BUREAU, // the whole network's loggers and unknown MNs
  'rules.read': BUREAU, // the whole rule pack and every override
  'rules.write': ['admin'],
  'reports.read': READERS,
  'ozone.read': BUREAU, // status, forecasts, warning, measures
  'air.read': BUREAU, // ambient air quality: AQI of stations, districts, the city
  'forecasts.write': ['admin', 'ozone'],
  'campaigns.read': ALL,
  'campaigns.write': ['admin', 'ozone'], // create, activate, end, cancel
  'campaigns.report': BUREAU,
  'campaigns.acknowledge': ['enterprise'], // the notified enterprise acknowledges its notice
  'warnings.read': ALL, // heavy-pollution and ozone warnings; an enterprise user: those covering its district, without the internal note
  'warnings.propose': BUREAU, // the warnings the forecasts propose
  'warnings.write': ['admin', 'ozone'], // issue, change (level, note), lift, cancel; issue pre-notices
  'warnings.acknowledge': ['enterprise'], // an enterprise acknowledges (已知悉) a warning's notice or a pre-notice addressed to it
  'warnings.report': BUREAU, // the effect report of a lifted warning
  'responses.read': ALL, // heavy-pollution responses (issue 18); an enterprise user: its own part of those covering it, never another's measures
  'responses.acknowledge': ['enterprise'], // an enterprise acknowledges (已知悉) its measures of a response
  'users.admin': ['admin'],
  'audit.read': ['admin'],
  'registry.read': READERS, // enterprises, their files (一企一档), facilities, registry export; an enterprise user its own only
  'power.import': STAFF, // import power data (15-min kWh per meter, as grid companies deliver it; issue 16)
  'registry.write': ['admin'], // create, change, remove enterprises, sources, facilities; rotate logger credentials; import
  'duty.read': BUREAU, // the duty roster, the escalation chain, who is on duty now
  'duty.admin': ['admin'], // shifts and the escalation chain (ozone runs the control centre, officers are the roster: neither schedules it)
  'notify.admin': ['admin'], // notification targets: list (URLs masked), create, change, delete, test-send; their delivery state
  'tokens.manage': ['admin', 'enterprise'], // API tokens: list, create (shown once), revoke; an enterprise user its own enterprise's only
  'records.read': ALL, // facility records (issue 16): adsorbent replacements, start/stop plans and events; an enterprise user its own only
  'records.write': ['admin', 'officer', 'enterprise'], // log an adsorbent replacement, file or change a start/stop plan; an enterprise user for itself only
  'quality.read': BUREAU, // data quality (issue 19): effective transmission ranked by district, contractors, cases due, comparison tests
  'quality.write': STAFF, // record a comparison test (比对监测)
  'case.read': ALL, // rectification cases (整改案件): list, detail, attachments; an enterprise user its own enterprise's only, without the internal note
  'case.manage': STAFF, // create, accept, close (销号), return, reassign; attach the bureau's files
  'case.respond': ['enterprise'], // the case's enterprise submits its rectification report and attaches its files
  'reductions.read': ALL, // emission-reduction lists (应急减排清单, issue 18): coverage, lists, versions, export; an enterprise user its own only
  'reductions.write': BUREAU, // file a list (a new version), import the bureau's workbook
  'reductions.acknowledge': ['enterprise'], // the enterprise acknowledges (已阅知) its list
  'grades.review': STAFF, // grade downgrade proposals (issue 18): list with their evidence, confirm (the grade one level lower) or dismiss; never an enterprise
  'exchange.read': ALL, // the data-exchange API for other departments (/api/exchange/v1): an enterprise user or token its own enterprise's only
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof ACCESS;
export const PERMISSIONS = Object.keys(ACCESS) as Permission[];

export const may = (role: Role, permission: Permission): boolean => (ACCESS[permission] as readonly Role[]).includes(role);

/** The roles that have a permission. */
export const rolesWith = (permission: Permission): readonly Role[] => ACCESS[permission];

/** What a machine's API token may never do, whatever its creator may: its own account, users, and tokens. */
export const TOKEN_DENIED: readonly Permission[] = ['account.self', 'users.admin', 'tokens.manage'];

/** May this principal use the permission: its role has it and, for an API token, it is not one tokens are denied. */
export const mayAs = (p: Pick<Principal, 'role' | 'token'>, permission: Permission): boolean =>
  may(p.role, permission) && !(p.token && TOKEN_DENIED.includes(permission));

/**
 * What a principal sees: everything (the bureau), exactly one enterprise, or the sites one
 * department oversees (decided per source, `sourceInScope`; an enterprise only through them).
 */
export type Scope = { all: true } | { all: false; enterpriseId: string } | { all: false; department: Department };

/** Roles bound to one enterprise. */
export const isEnterpriseRole = (role: Role): boolean => role === 'enterprise';
/** The bureau's roles: every enterprise in scope, may be on duty. */
export const isBureauRole = (role: Role): boolean => (BUREAU as readonly Role[]).includes(role);

export function scopeOf(p: Pick<Principal, 'role' | 'enterpriseId'> & { department?: Department | null }): Scope {
  // An enterprise user without an enterprise sees nothing: '' matches no enterprise.
  if (isEnterpriseRole(p.role)) return { all: false, enterpriseId: p.enterpriseId ?? '' };
  // A department user without a department (never stored so) is closed too: it gets no bureau scope.
  if (p.role === 'department') return p.department ? { all: false, department: p.department } : { all: false, enterpriseId: '' };
  return { all: true };
}

/** What of a source decides its scope (a `Source`, or a `SourceView` with its register facts under `site`). */
export interface ScopedSource {
  enterpriseId: string;
  kind: string;
  ownerDepartment?: Department | undefined;
  site?: { ownerDepartment?: Department | undefined } | undefined;
}

/** Is this source inside the scope? (its enterprise's; or a site the department oversees) */
export function sourceInScope(scope: Scope, source: ScopedSource): boolean {
  if (scope.all) return true;
  if ('enterpriseId' in scope) return source.enterpriseId === scope.enterpriseId;
  const ownerDepartment = source.ownerDepartment ?? source.site?.ownerDepartment;
  return departmentOversees(scope.department, { kind: source.kind, ownerDepartment });
}

/**
 * Is this enterprise, as a whole, inside the scope? Never for a department: what it sees of an
 * enterprise is decided per source (`registryInScope`), so enterprise-level things (its file,
 * working conditions, cases, maintenance) answer 404 unless a router decides by source.
 */
export const inScope = (scope: Scope, enterpriseId: string): boolean =>
  scope.all || ('enterpriseId' in scope && scope.enterpriseId === enterpriseId);

/**
 * The one enterprise of a scope, or null for all (the form filters and queries take). A department
 * scope gives `dept:<department>`, which names no enterprise (ids are `[a-z0-9-]`): a query filtered
 * by it finds nothing and a "bureau?" test (`=== null`) says no, so a route that has not decided
 * by source stays closed.
 */
export const tenantOfScope = (scope: Scope): string | null =>
  scope.all ? null : 'enterpriseId' in scope ? scope.enterpriseId : `dept:${scope.department}`;

/**
 * The part of the registry a scope sees: all of it; one enterprise's; or for a department its
 * overseen sources, the enterprises that own at least one of them, and the facilities serving them.
 */
export function registryInScope(reg: Registry, scope: Scope): Registry {
  if (scope.all) return reg;
  const sources = reg.sources.filter((s) => sourceInScope(scope, s));
  if ('enterpriseId' in scope) {
    const own = scope.enterpriseId;
    return {
      ...reg,
      enterprises: reg.enterprises.filter((e) => e.id === own),
      sources,
      facilities: (reg.facilities ?? []).filter((f) => f.enterpriseId === own),
    };
  }
  const owners = new Set(sources.map((s) => s.enterpriseId));
  const mns = new Set(sources.map((s) => s.mn));
  return {
    ...reg,
    enterprises: reg.enterprises.filter((e) => owners.has(e.id)),
    sources,
    facilities: (reg.facilities ?? []).filter((f) => (f.outletMns ?? []).some((mn) => mns.has(mn))),
  };
}
