import { describe, expect, it } from 'vitest';
import { demoAccounts } from './demo-accounts';

const ENTERPRISES = [
  { id: 'a', name: 'A' },
  { id: 'b', name: 'B' },
  { id: 'c', name: 'C' },
];

describe('demo accounts', () => {
  it('a department user for the first department overseeing one of the sites, none without one', () => {
    const sites = [
      { kind: 'cems', ownerDepartment: 'water' as const }, // not a site kind: oversees nothing
      { kind: 'catering', ownerDepartment: 'urban-management' as const },
      { kind: 'dust', ownerDepartment: 'housing' as const },
    ];
    const accounts = demoAccounts(ENTERPRISES, sites);
    expect(accounts.map((a) => [a.username, a.role, a.enterpriseId, a.department ?? null])).toEqual([
      ['admin', 'admin', null, null],
      ['officer', 'officer', null, null],
      ['ozone', 'ozone', null, null],
      ['a', 'enterprise', 'a', null],
      ['b', 'enterprise', 'b', null],
      ['housing', 'department', null, 'housing'],
    ]);
    expect(accounts.at(-1)).toMatchObject({ password: 'housing-demo-2026', displayName: '住房和城乡建设局' });
    expect(demoAccounts(ENTERPRISES, [{ kind: 'cems' }]).map((a) => a.role)).not.toContain('department');
  });
});
