/**
 * User accounts in SQLite. Usernames are unique case-insensitively (ASCII letters, digits, `._-`);
 * an enterprise user is bound to exactly one enterprise, every other role to none (a CHECK
 * constraint as well as the schema). Password hashes never leave this module: `User` has none.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ROLES, type Principal, type Role } from '../domain/principal';
import { demoAccounts, type DemoAccount } from './demo-accounts';
import type { Enterprise } from '../domain/registry';
import { assertPasswordPolicy, PasswordPolicyError, type PasswordHasher } from './password';
import { openDb, type DbInput, type OpenedDb } from './sqlite';
import { UserError } from './user-errors';
import { formatZodIssues } from '../domain/zod-issues';

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  enterpriseId: string | null;
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

/** Role and enterprise together: the enterprise is required for, and only for, enterprise users. */
const roleBinding = <T extends { role?: Role; enterpriseId?: string | null }>(v: T, ctx: z.RefinementCtx) => {
  if (v.role === undefined) return;
  if (v.role === 'enterprise' && !v.enterpriseId)
    ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'an enterprise user needs an enterpriseId' });
  if (v.role !== 'enterprise' && v.enterpriseId)
    ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: `a ${v.role} user has no enterpriseId` });
};

export const newUserSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES),
    enterpriseId: enterpriseIdSchema.nullish(),
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
    disabled: z.boolean().optional(),
    /** An administrator may require (or waive) a password change at the next sign-in. */
    mustChangePassword: z.boolean().optional(),
  })
  .strict();
export type UserPatch = z.input<typeof userPatchSchema>;

export interface UserChange {
  user: User;
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

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  enterprise_id: string | null;
  password_hash: string;
  disabled: number;
  failed_logins: number;
  locked_until: number | null;
  created_at: number;
  password_changed_at: number;
  last_login_at: number | null;
  must_change_password: number;
}

const fromRow = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  enterpriseId: r.enterprise_id,
  disabled: r.disabled === 1,
  failedLogins: r.failed_logins,
  lockedUntil: r.locked_until,
  createdAt: r.created_at,
  passwordChangedAt: r.password_changed_at,
  lastLoginAt: r.last_login_at,
  mustChangePassword: r.must_change_password === 1,
});

export function toPrincipal(u: Pick<User, 'id' | 'username' | 'role' | 'enterpriseId'>): Principal {
  return { userId: u.id, username: u.username, role: u.role, enterpriseId: u.role === 'enterprise' ? u.enterpriseId : null };
}

const invalid = (e: z.ZodError) => new UserError('invalid_user', formatZodIssues(e, { root: 'user' }));

export class UserStore {
  private readonly opened: OpenedDb;
  private readonly db: Database.Database;

  constructor(
    input: DbInput,
    private readonly hasher: PasswordHasher,
    private readonly now: () => number = Date.now,
  ) {
    this.opened = openDb(input);
    this.db = this.opened.db;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL COLLATE NOCASE UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN (${ROLES.map((r) => `'${r}'`).join(', ')})),
        enterprise_id TEXT,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        created_at INTEGER NOT NULL,
        password_changed_at INTEGER NOT NULL,
        last_login_at INTEGER,
        must_change_password INTEGER NOT NULL DEFAULT 0,
        CHECK ((role = 'enterprise') = (enterprise_id IS NOT NULL))
      );`);
    // auth.db files from before the forced password change gain the column (nobody flagged).
    const columns = this.db.prepare('PRAGMA table_info(users)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'must_change_password'))
      this.db.exec('ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0');
    // Locks stored by earlier versions would keep a user out that nothing else does any more.
    this.db.exec('UPDATE users SET locked_until = NULL WHERE locked_until IS NOT NULL');
  }

  get(id: number): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && fromRow(row);
  }

  findByUsername(username: string): User | undefined {
    const row = this.row(username);
    return row && fromRow(row);
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY username COLLATE NOCASE').all() as UserRow[]).map(fromRow);
  }

  /** Enabled administrators: the last one cannot be disabled or demoted. */
  countActiveAdmins(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
  }

  async create(input: NewUser, flag: PasswordFlag = {}): Promise<User> {
    const parsed = newUserSchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error);
    const u = parsed.data;
    this.checkPolicy(u.password, u.username);
    if (this.row(u.username)) throw new UserError('username_taken', `the username "${u.username}" is taken`);
    const passwordHash = await this.hasher.hash(u.password);
    const at = this.now();
    try {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO users (username, display_name, role, enterprise_id, password_hash, created_at, password_changed_at, must_change_password)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          u.username,
          u.displayName ?? u.username,
          u.role,
          u.role === 'enterprise' ? u.enterpriseId : null,
          passwordHash,
          at,
          at,
          flag.mustChangePassword ? 1 : 0,
        );
      return this.get(Number(lastInsertRowid)) as User;
    } catch (err) {
      // Two creations racing past the check above.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new UserError('username_taken', `the username "${u.username}" is taken`);
      throw err;
    }
  }

  /** Role, enterprise, display name, disabled, password change required. Refuses to disable or demote the last active admin. */
  update(id: number, patch: UserPatch): UserChange {
    const parsed = userPatchSchema.safeParse(patch);
    if (!parsed.success) throw invalid(parsed.error);
    const p = parsed.data;
    const before = this.get(id);
    if (!before) throw new UserError('not_found', `no user ${id}`);
    const role = p.role ?? before.role;
    const enterpriseId = role === 'enterprise' ? (p.enterpriseId === undefined ? before.enterpriseId : p.enterpriseId) : null;
    if (p.role !== undefined && p.role !== 'enterprise' && p.enterpriseId)
      throw new UserError('invalid_user', `enterpriseId: a ${p.role} user has no enterpriseId`);
    if (role === 'enterprise' && !enterpriseId)
      throw new UserError('invalid_user', 'enterpriseId: an enterprise user needs an enterpriseId');
    const disabled = p.disabled ?? before.disabled;
    const losesAdmin = before.role === 'admin' && !before.disabled && (role !== 'admin' || disabled);
    if (losesAdmin && this.countActiveAdmins() <= 1)
      throw new UserError('last_admin', 'the last active administrator cannot be disabled or lose the admin role');
    const mustChange = p.mustChangePassword ?? before.mustChangePassword;
    this.db
      .prepare('UPDATE users SET display_name = ?, role = ?, enterprise_id = ?, disabled = ?, must_change_password = ? WHERE id = ?')
      .run(p.displayName ?? before.displayName, role, enterpriseId, disabled ? 1 : 0, mustChange ? 1 : 0, id);
    const user = this.get(id) as User;
    return {
      user,
      roleChanged: role !== before.role || enterpriseId !== before.enterpriseId,
      disabledChanged: disabled !== before.disabled,
      mustChangePasswordChanged: mustChange !== before.mustChangePassword,
    };
  }

  /**
   * Sets a new password (policy-checked) and clears any lockout. `mustChangePassword`: set when
   * someone else chose it (an administrator's reset), cleared (the default) when the user did.
   * Callers revoke the user's sessions.
   */
  async setPassword(id: number, password: string, flag: PasswordFlag = {}): Promise<User> {
    const user = this.get(id);
    if (!user) throw new UserError('not_found', `no user ${id}`);
    this.checkPolicy(password, user.username);
    const passwordHash = await this.hasher.hash(password);
    this.db
      .prepare(
        'UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL, must_change_password = ? WHERE id = ?',
      )
      .run(passwordHash, this.now(), flag.mustChangePassword ? 1 : 0, id);
    return this.get(id) as User;
  }

  /** Checks a sign-in; an unknown username costs the same time as a wrong password. */
  async checkLogin(username: string, password: string): Promise<LoginCheck> {
    const row = this.row(username);
    if (!row) {
      await this.hasher.verifyNothing(password);
      return { ok: false, reason: 'unknown_user', user: null };
    }
    const user = fromRow(row);
    if (!(await this.hasher.verify(row.password_hash, password))) return { ok: false, reason: 'wrong_password', user };
    if (user.disabled) return { ok: false, reason: 'disabled', user };
    return { ok: true, user };
  }

  /** Is `password` this user's current password? (password change, re-authentication) */
  async verifyPassword(id: number, password: string): Promise<boolean> {
    const row = this.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(id) as { password_hash: string } | undefined;
    return row ? this.hasher.verify(row.password_hash, password) : false;
  }

  /** Counts a failed sign-in (shown to administrators; never locks the account: see login-guard.ts). */
  noteLoginFailure(id: number): void {
    this.db.prepare('UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?').run(id);
  }

  noteLoginSuccess(id: number): void {
    this.db.prepare('UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?').run(this.now(), id);
  }

  /**
   * The first administrator (from env or the CLI): created when the username is free; an existing
   * account is left as it is (its password is not reset — use `setPassword`).
   */
  async ensureAdmin(username: string, password: string): Promise<{ user: User; created: boolean }> {
    const existing = this.findByUsername(username);
    if (existing) return { user: existing, created: false };
    return { user: await this.create({ username, role: 'admin', password, displayName: 'Administrator' }), created: true };
  }

  /**
   * Creates the demo accounts that do not exist yet (existing ones keep their password) and
   * returns the full list with the demo passwords, for printing at start. `mustChangePassword`:
   * new demo accounts are flagged, and so is an existing one still on its published password (an
   * auth.db from before the flag existed); `flagged` lists the usernames flagged now.
   */
  async ensureDemoAccounts(
    enterprises: readonly Pick<Enterprise, 'id' | 'name'>[],
    flag: PasswordFlag = {},
  ): Promise<{ accounts: DemoAccount[]; flagged: string[] }> {
    const accounts = demoAccounts(enterprises);
    const flagged: string[] = [];
    for (const a of accounts) {
      const existing = this.findByUsername(a.username);
      if (!existing) {
        await this.create(a, flag);
        if (flag.mustChangePassword) flagged.push(a.username);
      } else if (flag.mustChangePassword && !existing.mustChangePassword && (await this.verifyPassword(existing.id, a.password))) {
        this.db.prepare('UPDATE users SET must_change_password = 1 WHERE id = ?').run(existing.id);
        flagged.push(a.username);
      }
    }
    return { accounts, flagged };
  }

  close(): void {
    this.opened.close();
  }

  private row(username: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE username = ?').get(username.trim()) as UserRow | undefined;
  }

  private checkPolicy(password: string, username: string): void {
    try {
      assertPasswordPolicy(password, username);
    } catch (err) {
      if (err instanceof PasswordPolicyError) throw new UserError('weak_password', err.message);
      throw err;
    }
  }
}
