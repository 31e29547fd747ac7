/**
 * Demo accounts with known passwords, for `npm start` on the demo registry only: print them at
 * start and list them in the README. Never create them on a production deployment.
 */
import type { Enterprise } from '../domain/registry';
import type { Role } from '../domain/principal';

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  enterpriseId: string | null;
  displayName: string;
}

/** admin, officer, ozone, and one enterprise user for each of the registry's first two enterprises. */
export function demoAccounts(enterprises: readonly Pick<Enterprise, 'id' | 'name'>[]): DemoAccount[] {
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
  return [...staff, ...companies];
}
