import { describe, expect, it } from 'vitest';
import {
  ACCESS,
  inScope,
  isBureauRole,
  may,
  mayAs,
  PERMISSIONS,
  registryInScope,
  scopeOf,
  sourceInScope,
  tenantOfScope,
  TOKEN_DENIED,
  type Permission,
  type Scope,
  type ScopedSource,
} from './access';
import { ROLES, type Principal, type Role } from './principal';
import type { Registry } from './registry';

/**
 * The table as the routers enforced it before it was one table (issue 13): A admin, O officer, Z ozone,
 * E enterprise; D department (issue 16: read-only, its sites' alerts, data, frames, reports and files).
 */
const EXPECTED: Record<Permission, string> = {
  'account.self': 'AOZED',
  'alerts.read': 'AOZED',
  'alerts.comment': 'AO-E-',
  'alerts.handle': 'AO---',
  'silences.read': 'AOZ--',
  'silences.write': 'AO---',
  'maintenance.read': 'AOZE-',
  'maintenance.declare': 'AO-E-',
  'maintenance.review': 'AO---',
  'power.import': 'AO---',
  'sources.read': 'AOZED',
  'frames.read': 'AOZED',
  'loggers.read': 'AOZ--',
  'rules.read': 'AOZ--',
  'rules.write': 'A----',
  'reports.read': 'AOZED',
  'ozone.read': 'AOZ--',
  'air.read': 'AOZ--',
  'forecasts.write': 'A-Z--',
  'campaigns.read': 'AOZE-',
  'campaigns.write': 'A-Z--',
  'campaigns.report': 'AOZ--',
  'campaigns.acknowledge': '---E-',
  'warnings.read': 'AOZE-',
  'warnings.propose': 'AOZ--',
  'warnings.write': 'A-Z--',
  'warnings.acknowledge': '---E-',
  'warnings.report': 'AOZ--',
  'responses.read': 'AOZE-',
  'responses.acknowledge': '---E-',
  'users.admin': 'A----',
  'audit.read': 'A----',
  'registry.read': 'AOZED',
  'registry.write': 'A----',
  'duty.read': 'AOZ--',
  'duty.admin': 'A----',
  'notify.admin': 'A----',
  'tokens.manage': 'A--E-',
  'records.read': 'AOZE-',
  'records.write': 'AO-E-',
  'case.read': 'AOZE-',
  'case.manage': 'AO---',
  'case.respond': '---E-',
  'reductions.read': 'AOZE-',
  'reductions.write': 'AOZ--',
  'reductions.acknowledge': '---E-',
  'grades.review': 'AO---',
  'exchange.read': 'AOZE-',
  'quality.read': 'AOZ--',
  'quality.write': 'AO---',
};
const LETTER: Record<Role, string> = { admin: 'A', officer: 'O', ozone: 'Z', enterprise: 'E', department: 'D' };

const principal = (role: Role): Principal => ({
  userId: 1,
  username: role,
  role,
  enterpriseId: role === 'enterprise' ? 'own' : null,
  department: role === 'department' ? 'housing' : null,
});

describe('the access table', () => {
  it('names exactly the expected permissions', () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  // role × permission × own / other enterprise: allowed when the role has the permission and the
  // enterprise is in its scope (an enterprise user: its own only; a department user: no enterprise
  // as a whole, only sources (below); every other role: all).
  const cases = PERMISSIONS.flatMap((perm) =>
    ROLES.flatMap((role) => (['own', 'other'] as const).map((ent) => [perm, role, ent] as const)),
  );
  it.each(cases)('%s · %s · %s enterprise', (perm, role, ent) => {
    const roleMay = EXPECTED[perm].includes(LETTER[role]);
    const inside = role === 'enterprise' ? ent === 'own' : role !== 'department';
    const p = principal(role);
    expect(may(role, perm)).toBe(roleMay);
    expect(may(role, perm) && inScope(scopeOf(p), ent)).toBe(roleMay && inside);
  });

  // An API token acts as its role, minus its own account, users and tokens.
  it.each(PERMISSIONS.flatMap((perm) => ROLES.map((role) => [perm, role] as const)))('a token of %s · %s', (perm, role) => {
    const p = principal(role);
    const denied = ['account.self', 'users.admin', 'tokens.manage'].includes(perm);
    expect(mayAs(p, perm)).toBe(may(role, perm));
    expect(mayAs({ ...p, token: { id: 't', scope: 'write' } }, perm)).toBe(may(role, perm) && !denied);
  });

  it('denies tokens exactly their own account, users and tokens', () => {
    expect([...TOKEN_DENIED].sort()).toEqual(['account.self', 'tokens.manage', 'users.admin']);
  });

  it('lists each role at most once per permission', () => {
    for (const roles of Object.values(ACCESS)) expect(new Set(roles).size).toBe(roles.length);
  });
});

describe('scopeOf', () => {
  it('gives the bureau every enterprise and an enterprise user its own', () => {
    for (const role of ['admin', 'officer', 'ozone'] as const) expect(scopeOf(principal(role))).toEqual({ all: true });
    expect(scopeOf(principal('enterprise'))).toEqual({ all: false, enterpriseId: 'own' });
    expect(tenantOfScope(scopeOf(principal('enterprise')))).toBe('own');
    expect(tenantOfScope(scopeOf(principal('officer')))).toBeNull();
  });

  it('gives an enterprise user without an enterprise nothing', () => {
    const scope = scopeOf({ role: 'enterprise', enterpriseId: null });
    expect(inScope(scope, 'own')).toBe(false);
    expect(inScope(scope, 'other')).toBe(false);
  });
});

describe('the department scope', () => {
  const housing = scopeOf(principal('department'));
  const own: Scope = { all: false, enterpriseId: 'own' };
  const SOURCES: Record<string, ScopedSource> = {
    'own CEMS': { enterpriseId: 'own', kind: 'cems' },
    'own site (housing)': { enterpriseId: 'own', kind: 'dust', ownerDepartment: 'housing' },
    'other site (housing)': { enterpriseId: 'other', kind: 'dust', ownerDepartment: 'housing' },
    'other site (transport)': { enterpriseId: 'other', kind: 'dust', ownerDepartment: 'transport' },
    'other kitchen (housing), as a view': { enterpriseId: 'other', kind: 'catering', site: { ownerDepartment: 'housing' } },
    'other kitchen (urban-management)': { enterpriseId: 'other', kind: 'catering', ownerDepartment: 'urban-management' },
    'own CEMS naming housing (not a site kind)': { enterpriseId: 'own', kind: 'cems', ownerDepartment: 'housing' },
    'own site without a department': { enterpriseId: 'own', kind: 'dust' },
  };
  // source × scope → bureau, enterprise "own", department housing
  it.each([
    ['own CEMS', true, true, false],
    ['own site (housing)', true, true, true],
    ['other site (housing)', true, false, true],
    ['other site (transport)', true, false, false],
    ['other kitchen (housing), as a view', true, false, true],
    ['other kitchen (urban-management)', true, false, false],
    ['own CEMS naming housing (not a site kind)', true, true, false],
    ['own site without a department', true, true, false],
  ] as const)('%s: bureau %s, enterprise %s, department %s', (name, bureau, enterprise, department) => {
    const source = SOURCES[name]!;
    expect(sourceInScope({ all: true }, source)).toBe(bureau);
    expect(sourceInScope(own, source)).toBe(enterprise);
    expect(sourceInScope(housing, source)).toBe(department);
  });

  it('is the department of a department user, and closed without one', () => {
    expect(housing).toEqual({ all: false, department: 'housing' });
    const none = scopeOf({ role: 'department', enterpriseId: null, department: null });
    expect(sourceInScope(none, SOURCES['own site (housing)']!)).toBe(false);
  });

  it('sees no enterprise as a whole, and names none as a tenant', () => {
    expect(inScope(housing, 'own')).toBe(false);
    expect(tenantOfScope(housing)).toBe('dept:housing');
    expect(tenantOfScope(housing)).not.toMatch(/^[a-z0-9-]+$/);
  });

  it('narrows the registry to its sites, their enterprises and the facilities serving them', () => {
    const reg = {
      enterprises: [{ id: 'own' }, { id: 'other' }, { id: 'third' }],
      sources: [
        { mn: 'C1', enterpriseId: 'own', kind: 'cems' },
        { mn: 'S1', enterpriseId: 'own', kind: 'dust', ownerDepartment: 'housing' },
        { mn: 'S2', enterpriseId: 'other', kind: 'dust', ownerDepartment: 'transport' },
        { mn: 'K3', enterpriseId: 'third', kind: 'catering', ownerDepartment: 'housing' },
      ],
      facilities: [
        { id: 'line', enterpriseId: 'own', outletMns: ['C1'] },
        { id: 'fog-cannon', enterpriseId: 'own', outletMns: ['S1'] },
      ],
    } as unknown as Registry;
    const seen = registryInScope(reg, housing);
    expect(seen.enterprises.map((e) => e.id)).toEqual(['own', 'third']);
    expect(seen.sources.map((s) => s.mn)).toEqual(['S1', 'K3']);
    expect((seen.facilities ?? []).map((f) => f.id)).toEqual(['fog-cannon']);
    const ownSeen = registryInScope(reg, { all: false, enterpriseId: 'own' });
    expect(ownSeen.sources.map((s) => s.mn)).toEqual(['C1', 'S1']);
    expect((ownSeen.facilities ?? []).map((f) => f.id)).toEqual(['line', 'fog-cannon']);
    expect(registryInScope(reg, { all: true })).toBe(reg);
  });

  it('is no bureau role', () => {
    expect(ROLES.filter(isBureauRole)).toEqual(['admin', 'officer', 'ozone']);
  });
});
