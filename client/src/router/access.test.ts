import type { Role } from '@domain/principal';
import { describe, expect, it } from 'vitest';
import { landingFor, mayHandleAlerts, mayOpen, navFor, type RouteName } from './access';

describe('routes per role', () => {
  it.each<{ role: Role; landing: RouteName; nav: RouteName[] }>([
    { role: 'officer', landing: 'wall', nav: ['wall', 'maintenance', 'sources', 'ozone', 'reports'] },
    { role: 'admin', landing: 'wall', nav: ['wall', 'maintenance', 'sources', 'ozone', 'reports'] },
    { role: 'ozone', landing: 'ozone', nav: ['wall', 'sources', 'ozone', 'reports'] },
    { role: 'enterprise', landing: 'enterprise', nav: ['enterprise', 'reports'] },
  ])('$role lands on $landing', ({ role, landing, nav }) => {
    expect(landingFor(role)).toBe(landing);
    expect(mayOpen(landing, role)).toBe(true);
    expect(navFor(role)).toEqual(nav);
  });

  it.each<[RouteName, Role, boolean]>([
    ['wall', 'enterprise', false],
    ['wall', 'ozone', true],
    ['sources', 'enterprise', false],
    ['source', 'enterprise', true],
    ['enterprise', 'officer', false],
    ['ozone', 'enterprise', false],
    ['reports', 'enterprise', true],
    ['maintenance', 'officer', true],
    ['maintenance', 'enterprise', false],
    ['maintenance', 'ozone', false],
    ['registryImport', 'admin', true],
    ['registryImport', 'officer', false],
    ['registryImport', 'enterprise', false],
  ])('%s for %s: %s', (route, role, allowed) => {
    expect(mayOpen(route, role)).toBe(allowed);
  });

  it.each<[Role, boolean]>([
    ['admin', true],
    ['officer', true],
    ['ozone', false],
    ['enterprise', false],
  ])('%s handles alerts: %s (the ozone centre reads them only)', (role, handles) => {
    expect(mayHandleAlerts(role)).toBe(handles);
  });
});
