/**
 * Demo accounts with known passwords, for `npm start` on the demo registry only: print them at
 * start and list them in the README. Never create them on a production deployment.
 */
import type { Enterprise } from '../domain/registry';
import type { Role } from '../domain/principal';
import { DEPARTMENT_NAMES, DEPARTMENTS, overseerOf, type Department } from '../domain/site-register';

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  enterpriseId: string | null;
  department?: Department | null;
  displayName: string;
}

/**
 * admin, officer, ozone, one enterprise user for each of the registry's first two enterprises, and
 * a department user (named for its department, e.g. `housing`) for the first department that
 * oversees one of the registry's sites (a kitchen or a construction site), if any does.
 */
export function demoAccounts(
  enterprises: readonly Pick<Enterprise, 'id' | 'name'>[],
  sources: readonly { kind: string; ownerDepartment?: Department | undefined }[] = [],
): DemoAccount[] {
  const staff: DemoAccount[] = [
    { username: 'admin', password: 'admin-demo-2026', role: 'admin', enterpriseId: null, displayName: '系统管理员 Administrator' },
    { username: 'officer', password: 'officer-demo-2026', role: 'officer', enterpriseId: null, displayName: '值班人员 Duty officer' },
    { username: 'ozone', password: 'ozone-demo-2026', role: 'ozone', enterpriseId: null, displayName: '臭氧管控中心 Ozone control centre' },
  ];
  const companies = enterprises.slice(0, 2).map<DemoAccount>((e) => ({
    username: e.id,
    password: `${e.id}-demo-2026`,
    role: 'enterprise',
    enterpriseId: e.id,
    displayName: e.name,
  }));
  const overseeing = new Set(sources.map(overseerOf));
  const department = DEPARTMENTS.find((d) => overseeing.has(d));
  const departments: DemoAccount[] = department
    ? [
        {
          username: department,
          password: `${department}-demo-2026`,
          role: 'department',
          enterpriseId: null,
          department,
          displayName: DEPARTMENT_NAMES[department].zh,
        },
      ]
    : [];
  return [...staff, ...companies, ...departments];
}
