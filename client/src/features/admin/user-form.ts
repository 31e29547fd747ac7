/**
 * The user forms' rules, as the server's (server/auth/user-store.ts, password.ts): a username is
 * 3–64 letters, digits, dots, dashes or underscores; a password at least 10 characters and not the
 * username; an enterprise user belongs to an enterprise and only an enterprise user does; a
 * department user (行业主管部门) to a department and only a department user does.
 */
import type { Role } from '@domain/principal';
import type { Department } from '@domain/site-register';
import type { NewUserRequest, UserPatch } from '../../api/admin';
import type { FormErrors } from './enterprise-form';

export const PASSWORD_MIN = 10;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

export interface UserDraft {
  username: string;
  displayName: string;
  role: Role;
  enterpriseId: string;
  department: Department | '';
  password: string;
  confirm: string;
}

export const emptyUserDraft = (): UserDraft => ({
  username: '',
  displayName: '',
  role: 'officer',
  enterpriseId: '',
  department: '',
  password: '',
  confirm: '',
});

/** A new password's problems (`password`, `confirm`), as the reset dialog and the create form check them. */
export function passwordErrors(username: string, password: string, confirm: string): FormErrors {
  const e: FormErrors = {};
  if (!password) e['password'] = 'required';
  else if ([...password].length < PASSWORD_MIN || password.length > 256) e['password'] = 'passwordLength';
  else if (password.trim().toLowerCase() === username.trim().toLowerCase()) e['password'] = 'passwordIsUsername';
  if (password && confirm !== password) e['confirm'] = 'passwordMismatch';
  return e;
}

function roleErrors(d: Pick<UserDraft, 'role' | 'enterpriseId' | 'department'>): FormErrors {
  if (d.role === 'enterprise' && !d.enterpriseId) return { enterpriseId: 'required' };
  if (d.role === 'department' && !d.department) return { department: 'required' };
  return {};
}

/** The enterprise and the department a role is bound to (each null unless the role is bound to it). */
const binding = (d: UserDraft): { enterpriseId: string | null; department: Department | null } => ({
  enterpriseId: d.role === 'enterprise' ? d.enterpriseId : null,
  department: d.role === 'department' && d.department ? d.department : null,
});

/** What is wrong with a new user; `editing`: only name, role, enterprise and department are checked. */
export function validateUser(d: UserDraft, editing: boolean): FormErrors {
  const e: FormErrors = { ...roleErrors(d) };
  if (d.displayName.length > 100) e['displayName'] = 'tooLong';
  if (editing) return e;
  if (!d.username.trim()) e['username'] = 'required';
  else if (!USERNAME.test(d.username.trim())) e['username'] = 'username';
  return { ...e, ...passwordErrors(d.username, d.password, d.confirm) };
}

export function toNewUser(d: UserDraft): NewUserRequest {
  return {
    username: d.username.trim(),
    ...(d.displayName.trim() ? { displayName: d.displayName.trim() } : {}),
    role: d.role,
    ...binding(d),
    password: d.password,
  };
}

export function toUserPatch(d: UserDraft): UserPatch {
  return {
    ...(d.displayName.trim() ? { displayName: d.displayName.trim() } : {}),
    role: d.role,
    ...binding(d),
  };
}
