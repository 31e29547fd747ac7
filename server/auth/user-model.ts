/**
 * What a user account is, outside any store: the `User` the API shows (never a password hash), the
 * zod schemas of a new user and of a change (usernames: ASCII letters, digits, `._-`; an enterprise
 * user is bound to exactly one enterprise, a department user to exactly one department, every other
 * role to neither), and the principal a user acts as.
 */
import { z } from 'zod';
import { ROLES, type Principal, type Role } from '../domain/principal';
import { DEPARTMENTS, type Department } from '../domain/site-register';

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  enterpriseId: string | null;
  /** The department (行业主管部门) a department user reads for; null for every other role. */
  department: Department | null;
  disabled: boolean;
  failedLogins: number;
  /** Always null: accounts are no longer locked (the login guard delays clients instead). Kept for old rows' shape. */
  lockedUntil: number | null;
  createdAt: number;
  passwordChangedAt: number;
  lastLoginAt: number | null;
  /**
   * Someone else knows this password (a demo account, a user created or reset by an administrator):
   * until the user sets their own, every API route but /api/auth/me, logout and the change itself
   * answers 403 `password_change_required` and sockets are refused.
   */
  mustChangePassword: boolean;
}

export const usernameSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/,
    'a username is 3–64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  );

const enterpriseIdSchema = z.string().regex(/^[a-z0-9-]+$/, 'an enterprise id is lowercase letters, digits and dashes');

/**
 * Role, enterprise and department together: the enterprise is required for, and only for, enterprise
 * users; the department for, and only for, department users.
 */
const roleBinding = <T extends { role?: Role; enterpriseId?: string | null; department?: Department | null }>(
  v: T,
  ctx: z.RefinementCtx,
) => {
  if (v.role === undefined) return;
  if (v.role === 'enterprise' && !v.enterpriseId)
    ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'an enterprise user needs an enterpriseId' });
  if (v.role !== 'enterprise' && v.enterpriseId)
    ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: `a ${v.role} user has no enterpriseId` });
  if (v.role === 'department' && !v.department)
    ctx.addIssue({ code: 'custom', path: ['department'], message: 'a department user needs a department' });
  if (v.role !== 'department' && v.department)
    ctx.addIssue({ code: 'custom', path: ['department'], message: `a ${v.role} user has no department` });
};

const departmentSchema = z.enum(DEPARTMENTS);

export const newUserSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES),
    enterpriseId: enterpriseIdSchema.nullish(),
    department: departmentSchema.nullish(),
    password: z.string(),
  })
  .strict()
  .superRefine(roleBinding);
export type NewUser = z.input<typeof newUserSchema>;

export const userPatchSchema = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES).optional(),
    enterpriseId: enterpriseIdSchema.nullish(),
    department: departmentSchema.nullish(),
    disabled: z.boolean().optional(),
    /** An administrator may require (or waive) a password change at the next sign-in. */
    mustChangePassword: z.boolean().optional(),
  })
  .strict();
export type UserPatch = z.input<typeof userPatchSchema>;

export interface UserChange {
  user: User;
  /** The role, the enterprise or the department changed (what the user may see): their sessions end. */
  roleChanged: boolean;
  disabledChanged: boolean;
  mustChangePasswordChanged: boolean;
}

/** Whether the new password is one someone else chose (so its owner must replace it). */
export interface PasswordFlag {
  mustChangePassword?: boolean;
}

export type LoginCheck =
  { ok: true; user: User } | { ok: false; reason: 'unknown_user' | 'wrong_password' | 'disabled'; user: User | null };

export function toPrincipal(u: Pick<User, 'id' | 'username' | 'role' | 'enterpriseId' | 'department'>): Principal {
  return {
    userId: u.id,
    username: u.username,
    role: u.role,
    enterpriseId: u.role === 'enterprise' ? u.enterpriseId : null,
    department: u.role === 'department' ? u.department : null,
  };
}
