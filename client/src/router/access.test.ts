import type { Role } from '@domain/principal';
import { describe, expect, it } from 'vitest';
import {
  adminTabsFor,
  guardTarget,
  landingFor,
  mayHandleAlerts,
  mayOpen,
  mayWriteRegistry,
  navFor,
  nextAfterPasswordChange,
  type RouteName,
} from './access';

describe('routes per role', () => {
  it.each<{ role: Role; landing: RouteName; nav: RouteName[] }>([
    {
      role: 'officer',
      landing: 'wall',
      nav: ['wall', 'maintenance', 'cases', 'sources', 'ozone', 'reports', 'quality', 'startStop', 'reductions', 'registry'],
    },
    {
      role: 'admin',
      landing: 'wall',
      nav: ['wall', 'maintenance', 'cases', 'sources', 'ozone', 'reports', 'quality', 'startStop', 'reductions', 'registry'],
    },
    {
      role: 'ozone',
      landing: 'ozone',
      nav: ['wall', 'cases', 'sources', 'ozone', 'reports', 'quality', 'startStop', 'reductions', 'registry'],
    },
    {
      role: 'enterprise',
      landing: 'enterprise',
      nav: ['enterprise', 'caseTasks', 'enterpriseFile', 'facilityLedger', 'myReductions', 'reports', 'apiTokens'],
    },
    { role: 'department', landing: 'sources', nav: ['wall', 'sources', 'reports', 'registry'] },
  ])('$role lands on $landing', ({ role, landing, nav }) => {
    expect(landingFor(role)).toBe(landing);
    expect(mayOpen(landing, role)).toBe(true);
    expect(navFor(role)).toEqual(nav);
  });

  it.each<[RouteName, Role, boolean]>([
    ['wall', 'enterprise', false],
    ['wall', 'department', true],
    ['sources', 'department', true],
    ['source', 'department', true],
    ['reports', 'department', true],
    ['registry', 'department', true],
    ['registrySources', 'department', true],
    ['enterpriseFile', 'department', true],
    ['registryImport', 'department', false],
    ['maintenance', 'department', false],
    ['cases', 'department', false],
    ['caseTasks', 'department', false],
    ['ozone', 'department', false],
    ['quality', 'department', false],
    ['startStop', 'department', false],
    ['sourceRules', 'department', false],
    ['silences', 'department', false],
    ['apiTokens', 'department', false],
    ['facilityLedger', 'department', false],
    ['enterprise', 'department', false],
    ['users', 'department', false],
    ['duty', 'department', false],
    ['notifySettings', 'department', true],
    ['wall', 'ozone', true],
    ['sources', 'enterprise', false],
    ['source', 'enterprise', true],
    ['enterprise', 'officer', false],
    ['ozone', 'enterprise', false],
    ['reports', 'enterprise', true],
    ['quality', 'officer', true],
    ['quality', 'ozone', true],
    ['quality', 'enterprise', false],
    ['maintenance', 'officer', true],
    ['maintenance', 'enterprise', false],
    ['cases', 'enterprise', false],
    ['cases', 'ozone', true],
    ['caseTasks', 'officer', false],
    ['caseTasks', 'enterprise', true],
    ['maintenance', 'ozone', false],
    ['registryImport', 'admin', true],
    ['registryImport', 'officer', false],
    ['registryImport', 'enterprise', false],
    ['registry', 'officer', true],
    ['registry', 'ozone', true],
    ['registry', 'enterprise', false],
    ['registrySources', 'enterprise', false],
    ['enterpriseFile', 'enterprise', true],
    ['users', 'admin', true],
    ['users', 'officer', false],
    ['audit', 'admin', true],
    ['audit', 'officer', false],
    ['sourceRules', 'admin', true],
    ['sourceRules', 'officer', true],
    ['sourceRules', 'ozone', true],
    ['sourceRules', 'enterprise', false],
    ['silences', 'admin', true],
    ['silences', 'officer', true],
    ['silences', 'ozone', false],
    ['silences', 'enterprise', false],
    ['notifyTargets', 'admin', true],
    ['notifyTargets', 'officer', false],
    ['notifyTargets', 'ozone', false],
    ['notifyTargets', 'enterprise', false],
    ['apiTokens', 'admin', true],
    ['apiTokens', 'officer', false],
    ['apiTokens', 'ozone', false],
    ['apiTokens', 'enterprise', true],
    ['duty', 'admin', true],
    ['duty', 'officer', false],
    ['duty', 'ozone', false],
    ['duty', 'enterprise', false],
    ['notifySettings', 'enterprise', true],
    ['notifySettings', 'officer', true],
    ['facilityLedger', 'enterprise', true],
    ['facilityLedger', 'officer', false],
    ['startStop', 'officer', true],
    ['reductions', 'ozone', true],
    ['reductions', 'enterprise', false],
    ['myReductions', 'enterprise', true],
    ['myReductions', 'officer', false],
    ['responseEffect', 'ozone', true],
    ['responseEffect', 'enterprise', true],
    ['responseEffect', 'department', false],
    ['startStop', 'ozone', true],
    ['startStop', 'enterprise', false],
  ])('%s for %s: %s', (route, role, allowed) => {
    expect(mayOpen(route, role)).toBe(allowed);
  });

  it.each<[Role, boolean, RouteName[]]>([
    ['admin', true, ['registry', 'registrySources', 'registryImport', 'users', 'audit', 'silences', 'notifyTargets', 'duty', 'apiTokens']],
    ['officer', false, ['registry', 'registrySources', 'silences']],
    ['ozone', false, ['registry', 'registrySources']],
    ['enterprise', false, []],
    ['department', false, ['registry', 'registrySources']],
  ])('%s writes the registry: %s; admin tabs %j', (role, writes, tabs) => {
    expect(mayWriteRegistry(role)).toBe(writes);
    expect(adminTabsFor(role)).toEqual(tabs);
  });

  it.each<[Role, boolean]>([
    ['admin', true],
    ['officer', true],
    ['ozone', false],
    ['enterprise', false],
    ['department', false],
  ])('%s handles alerts: %s (the ozone centre reads them only)', (role, handles) => {
    expect(mayHandleAlerts(role)).toBe(handles);
  });
});

describe('the router guard (guardTarget) and the forced password change', () => {
  const officer = { role: 'officer' as const, mustChangePassword: false };
  const flagged = { role: 'officer' as const, mustChangePassword: true };
  it.each<[string, Parameters<typeof guardTarget>[0], { name: unknown; fullPath: string }, ReturnType<typeof guardTarget>]>([
    ['nobody signed in keeps the URL', null, { name: 'wall', fullPath: '/wall' }, true],
    ['the bare root → landing', officer, { name: 'home', fullPath: '/' }, { name: 'wall' }],
    ['a page the role may not open → landing', officer, { name: 'enterprise', fullPath: '/enterprise' }, { name: 'wall' }],
    ['a page it may open', officer, { name: 'sources', fullPath: '/sources' }, true],
    ['its own password page', officer, { name: 'password', fullPath: '/password' }, true],
    [
      'flagged: any page → the change page, remembering it',
      flagged,
      { name: 'source', fullPath: '/sources/X?factor=a21001' },
      { name: 'password', query: { next: '/sources/X?factor=a21001' } },
    ],
    ['flagged: the bare root → the change page', flagged, { name: 'home', fullPath: '/' }, { name: 'password' }],
    ['flagged: the change page itself', flagged, { name: 'password', fullPath: '/password?next=/wall' }, true],
  ])('%s', (_what, user, to, expected) => {
    expect(guardTarget(user, to)).toEqual(expected);
  });

  it.each<[unknown, string | null]>([
    ['/sources/X?factor=a21001', '/sources/X?factor=a21001'],
    ['/wall', '/wall'],
    [undefined, null],
    [['/wall'], null],
    ['https://evil.example/', null],
    ['//evil.example/', null],
    ['/\\evil.example', null],
    ['/password', null],
    ['/password?next=/wall', null],
  ])('after the change, next=%j → %j', (next, expected) => {
    expect(nextAfterPasswordChange(next)).toBe(expected);
  });
});
