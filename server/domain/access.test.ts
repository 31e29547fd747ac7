import { describe, expect, it } from 'vitest';
import { ACCESS, inScope, may, mayAs, PERMISSIONS, scopeOf, tenantOfScope, TOKEN_DENIED, type Permission } from './access';
import { ROLES, type Principal, type Role } from './principal';

/** The table as the routers enforced it before it was one table (issue 13): A admin, O officer, Z ozone, E enterprise. */
const EXPECTED: Record<Permission, string> = {
  'account.self': 'AOZE',
  'alerts.read': 'AOZE',
  'alerts.comment': 'AO-E',
  'alerts.handle': 'AO--',
  'silences.read': 'AOZ-',
  'silences.write': 'AO--',
  'maintenance.read': 'AOZE',
  'maintenance.declare': 'AO-E',
  'maintenance.review': 'AO--',
  'power.import': 'AO--',
  'sources.read': 'AOZE',
  'frames.read': 'AOZE',
  'loggers.read': 'AOZ-',
  'rules.read': 'AOZ-',
  'rules.write': 'A---',
  'reports.read': 'AOZE',
  'ozone.read': 'AOZ-',
  'air.read': 'AOZ-',
  'forecasts.write': 'A-Z-',
  'campaigns.read': 'AOZE',
  'campaigns.write': 'A-Z-',
  'campaigns.report': 'AOZ-',
  'campaigns.acknowledge': '---E',
  'warnings.read': 'AOZE',
  'warnings.propose': 'AOZ-',
  'warnings.write': 'A-Z-',
  'warnings.acknowledge': '---E',
  'warnings.report': 'AOZ-',
  'users.admin': 'A---',
  'audit.read': 'A---',
  'registry.read': 'AOZE',
  'registry.write': 'A---',
  'duty.read': 'AOZ-',
  'duty.admin': 'A---',
  'notify.admin': 'A---',
  'tokens.manage': 'A--E',
  'records.read': 'AOZE',
  'records.write': 'AO-E',
  'case.read': 'AOZE',
  'case.manage': 'AO--',
  'case.respond': '---E',
  'reductions.read': 'AOZE',
  'reductions.write': 'AOZ-',
  'reductions.acknowledge': '---E',
  'exchange.read': 'AOZE',
  'quality.read': 'AOZ-',
  'quality.write': 'AO--',
};
const LETTER: Record<Role, string> = { admin: 'A', officer: 'O', ozone: 'Z', enterprise: 'E' };

const principal = (role: Role): Principal => ({ userId: 1, username: role, role, enterpriseId: role === 'enterprise' ? 'own' : null });

describe('the access table', () => {
  it('names exactly the expected permissions', () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  // role × permission × own / other enterprise: allowed when the role has the permission and the
  // enterprise is in its scope (an enterprise user: its own only; every other role: all).
  const cases = PERMISSIONS.flatMap((perm) =>
    ROLES.flatMap((role) => (['own', 'other'] as const).map((ent) => [perm, role, ent] as const)),
  );
  it.each(cases)('%s · %s · %s enterprise', (perm, role, ent) => {
    const roleMay = EXPECTED[perm].includes(LETTER[role]);
    const inside = role !== 'enterprise' || ent === 'own';
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
