import { describe, expect, it } from 'vitest';
import { departmentOversees, siteFactsOf } from './site-register';

describe('site register', () => {
  it.each([
    ['its own construction site', { kind: 'dust', ownerDepartment: 'housing' as const }, true],
    ['another department’s site', { kind: 'dust', ownerDepartment: 'transport' as const }, false],
    ['a site with no owner department', { kind: 'dust' }, false],
    [
      'a CEMS outlet that names the department (not a kind departments oversee)',
      { kind: 'cems', ownerDepartment: 'housing' as const },
      false,
    ],
  ])('housing oversees %s: %s', (_n, source, expected) => {
    expect(departmentOversees('housing', source)).toBe(expected);
  });

  it('the facts of a source are only those it has', () => {
    expect(siteFactsOf({ ownerDepartment: 'water', siteAreaM2: 9000 })).toEqual({ ownerDepartment: 'water', siteAreaM2: 9000 });
    expect(siteFactsOf({})).toBeUndefined();
  });
});
