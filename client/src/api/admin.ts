/** Users and roles (/api/users) and the audit trail (/api/audit): administrators only. */
import { ROLES, type Role } from '@domain/principal';
import { DEPARTMENTS, type Department } from '@domain/site-register';
import { isAnyObject, isItems } from './guards';
import { requestJson } from './rest';

type Fetch = typeof fetch;

/** A user account as /api/users answers it (server/auth/user-store.ts). */
export interface AdminUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  enterpriseId: string | null;
  /** A department user's department (行业主管部门); null for every other role. */
  department: Department | null;
  disabled: boolean;
  createdAt: number;
  passwordChangedAt: number;
  lastLoginAt: number | null;
  /** Someone else set the password: the user must change it at the next sign-in. */
  mustChangePassword?: boolean;
}
export interface NewUserRequest {
  username: string;
  displayName?: string;
  role: Role;
  enterpriseId?: string | null;
  department?: Department | null;
  password: string;
}
export interface UserPatch {
  displayName?: string;
  role?: Role;
  enterpriseId?: string | null;
  department?: Department | null;
  disabled?: boolean;
}

import type { AuditRecord } from '@domain/audit';

export type { AuditRecord };
export interface AuditFilter {
  username?: string;
  action?: string;
  target?: string;
  from?: number;
  to?: number;
  limit?: number;
  offset?: number;
}
export interface AuditPage {
  items: AuditRecord[];
  total: number;
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRole = (v: unknown): v is Role => (ROLES as readonly unknown[]).includes(v);

export const isAdminUser = (v: unknown): v is AdminUser =>
  isAnyObject(v) &&
  isNum(v['id']) &&
  isStr(v['username']) &&
  isStr(v['displayName']) &&
  isRole(v['role']) &&
  (v['enterpriseId'] === null || isStr(v['enterpriseId'])) &&
  (v['department'] === null || (DEPARTMENTS as readonly unknown[]).includes(v['department'])) &&
  typeof v['disabled'] === 'boolean';

export const isAuditRecord = (v: unknown): v is AuditRecord =>
  isAnyObject(v) &&
  isNum(v['id']) &&
  isNum(v['at']) &&
  isStr(v['action']) &&
  (v['username'] === null || isStr(v['username'])) &&
  (v['target'] === null || isStr(v['target'])) &&
  (v['detail'] === null || isAnyObject(v['detail']));

const isUserAnswer = (v: unknown): v is { user: AdminUser } => isAnyObject(v) && isAdminUser(v['user']);
const isAuditPage = (v: unknown): v is AuditPage => isItems(isAuditRecord)(v) && isNum((v as Record<string, unknown>)['total']);

export async function fetchUsers(fetchFn: Fetch = fetch): Promise<AdminUser[]> {
  return (await requestJson('GET', '/api/users', isItems(isAdminUser), undefined, fetchFn)).items;
}

export async function createUser(req: NewUserRequest, fetchFn: Fetch = fetch): Promise<AdminUser> {
  return (await requestJson('POST', '/api/users', isUserAnswer, req, fetchFn)).user;
}

export async function updateUser(id: number, patch: UserPatch, fetchFn: Fetch = fetch): Promise<AdminUser> {
  return (await requestJson('PATCH', `/api/users/${id}`, isUserAnswer, patch, fetchFn)).user;
}

export async function resetPassword(id: number, password: string, fetchFn: Fetch = fetch): Promise<AdminUser> {
  return (await requestJson('POST', `/api/users/${id}/password`, isUserAnswer, { password }, fetchFn)).user;
}

/** The query string of an audit filter (empty fields left out). */
export function auditQuery(f: AuditFilter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f) as [keyof AuditFilter, string | number | undefined][]) {
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  return q.toString();
}

export async function fetchAudit(f: AuditFilter, fetchFn: Fetch = fetch): Promise<AuditPage> {
  const page = await requestJson('GET', `/api/audit?${auditQuery(f)}`, isAuditPage, undefined, fetchFn);
  return { items: page.items, total: page.total };
}
