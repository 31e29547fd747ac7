/**
 * User accounts in the auth database (Kysely: SQLite or PostgreSQL). Usernames are unique
 * case-insensitively (ASCII letters, digits, `._-`; a unique index on `lower(username)`); an
 * enterprise user is bound to exactly one enterprise, a department user to exactly one department,
 * every other role to neither (CHECK constraints as well as the schema). Password hashes never leave this module: `User` has none.
 */
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import {
  newUserSchema,
  userPatchSchema,
  type LoginCheck,
  type NewUser,
  type PasswordFlag,
  type User,
  type UserChange,
  type UserPatch,
} from './user-model';
import { demoAccounts, type DemoAccount } from './demo-accounts';
import type { Enterprise } from '../domain/registry';
import { assertPasswordPolicy, PasswordPolicyError, type PasswordHasher } from './password';
import { onPostgres, USER_MIGRATIONS, type AuthTables, type UserRow } from './auth-tables';
import { migrateToLatest } from '../storage/sql/migrate';
import { UserError } from './user-errors';
import { formatZodIssues } from '../domain/zod-issues';

export {
  newUserSchema,
  toPrincipal,
  usernameSchema,
  userPatchSchema,
  type LoginCheck,
  type NewUser,
  type PasswordFlag,
  type User,
  type UserChange,
  type UserPatch,
} from './user-model';

const fromRow = (r: Selectable<UserRow>): User => ({
  id: Number(r.id),
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  enterpriseId: r.enterprise_id,
  department: r.department ?? null,
  disabled: Number(r.disabled) === 1,
  failedLogins: Number(r.failed_logins),
  lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
  createdAt: Number(r.created_at),
  passwordChangedAt: Number(r.password_changed_at),
  lastLoginAt: r.last_login_at === null ? null : Number(r.last_login_at),
  mustChangePassword: Number(r.must_change_password) === 1,
});

/** A unique index refused the row: PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE. */
const isUniqueViolation = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};

/** Case-insensitive username match (the unique index is on `lower(username)`). */
const byUsername = (username: string) => (eb: ExpressionBuilder<AuthTables, 'users'>) =>
  eb(eb.fn('lower', ['username']), '=', eb.fn('lower', [eb.val(username.trim())]));

const invalid = (e: z.ZodError) => new UserError('invalid_user', formatZodIssues(e, { root: 'user' }));

export class UserStore {
  constructor(
    private readonly db: Kysely<AuthTables>,
    private readonly hasher: PasswordHasher,
    private readonly now: () => number = Date.now,
  ) {}

  /** Brings the users table up to date (adopting one made by the hand-written SQL of earlier versions). */
  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, USER_MIGRATIONS);
  }

  async get(id: number): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async findByUsername(username: string): Promise<User | undefined> {
    const row = await this.row(username);
    return row && fromRow(row);
  }

  async list(): Promise<User[]> {
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .orderBy((eb) => eb.fn('lower', ['username']))
      .execute();
    return rows.map(fromRow);
  }

  /** Enabled administrators: the last one cannot be disabled or demoted. */
  async countActiveAdmins(): Promise<number> {
    const { n } = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /**
   * The same inside a change's transaction, holding the administrators' rows on PostgreSQL until it
   * ends, so two administrators disabling each other at once cannot both pass (SQLite: one writer).
   */
  private async lockActiveAdmins(trx: Kysely<AuthTables>): Promise<number> {
    const pg = onPostgres(trx as Kysely<unknown>);
    const rows = await trx
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .$if(pg, (q) => q.forUpdate())
      .execute();
    return rows.length;
  }

  async create(input: NewUser, flag: PasswordFlag = {}): Promise<User> {
    const parsed = newUserSchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error);
    const u = parsed.data;
    this.checkPolicy(u.password, u.username);
    if (await this.row(u.username)) throw new UserError('username_taken', `the username "${u.username}" is taken`);
    const passwordHash = await this.hasher.hash(u.password);
    const at = this.now();
    try {
      const row = await this.db
        .insertInto('users')
        .values({
          username: u.username,
          display_name: u.displayName ?? u.username,
          role: u.role,
          enterprise_id: u.role === 'enterprise' ? (u.enterpriseId ?? null) : null,
          department: u.role === 'department' ? (u.department ?? null) : null,
          password_hash: passwordHash,
          created_at: at,
          password_changed_at: at,
          locked_until: null,
          last_login_at: null,
          must_change_password: flag.mustChangePassword ? 1 : 0,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return fromRow(row);
    } catch (err) {
      // Two creations racing past the check above.
      if (isUniqueViolation(err)) throw new UserError('username_taken', `the username "${u.username}" is taken`);
      throw err;
    }
  }

  /** Role, enterprise, department, display name, disabled, password change required. Refuses to disable or demote the last active admin. */
  async update(id: number, patch: UserPatch): Promise<UserChange> {
    const parsed = userPatchSchema.safeParse(patch);
    if (!parsed.success) throw invalid(parsed.error);
    const p = parsed.data;
    // One transaction: two administrators demoting each other at once cannot both pass the last-admin check.
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new UserError('not_found', `no user ${id}`);
      const before = fromRow(row);
      const role = p.role ?? before.role;
      const enterpriseId = role === 'enterprise' ? (p.enterpriseId === undefined ? before.enterpriseId : p.enterpriseId) : null;
      if (p.role !== undefined && p.role !== 'enterprise' && p.enterpriseId)
        throw new UserError('invalid_user', `enterpriseId: a ${p.role} user has no enterpriseId`);
      if (role === 'enterprise' && !enterpriseId)
        throw new UserError('invalid_user', 'enterpriseId: an enterprise user needs an enterpriseId');
      const department = role === 'department' ? (p.department === undefined ? before.department : p.department) : null;
      if (p.role !== undefined && p.role !== 'department' && p.department)
        throw new UserError('invalid_user', `department: a ${p.role} user has no department`);
      if (role === 'department' && !department) throw new UserError('invalid_user', 'department: a department user needs a department');
      const disabled = p.disabled ?? before.disabled;
      const losesAdmin = before.role === 'admin' && !before.disabled && (role !== 'admin' || disabled);
      if (losesAdmin && (await this.lockActiveAdmins(trx)) <= 1)
        throw new UserError('last_admin', 'the last active administrator cannot be disabled or lose the admin role');
      const mustChange = p.mustChangePassword ?? before.mustChangePassword;
      const after = await trx
        .updateTable('users')
        .set({
          display_name: p.displayName ?? before.displayName,
          role,
          enterprise_id: enterpriseId,
          department,
          disabled: disabled ? 1 : 0,
          must_change_password: mustChange ? 1 : 0,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        user: fromRow(after),
        roleChanged: role !== before.role || enterpriseId !== before.enterpriseId || department !== before.department,
        disabledChanged: disabled !== before.disabled,
        mustChangePasswordChanged: mustChange !== before.mustChangePassword,
      };
    });
  }

  /**
   * Sets a new password (policy-checked) and clears any lockout. `mustChangePassword`: set when
   * someone else chose it (an administrator's reset), cleared (the default) when the user did.
   * Callers revoke the user's sessions.
   */
  async setPassword(id: number, password: string, flag: PasswordFlag = {}): Promise<User> {
    const user = await this.get(id);
    if (!user) throw new UserError('not_found', `no user ${id}`);
    this.checkPolicy(password, user.username);
    const passwordHash = await this.hasher.hash(password);
    const row = await this.db
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        password_changed_at: this.now(),
        failed_logins: 0,
        locked_until: null,
        must_change_password: flag.mustChangePassword ? 1 : 0,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new UserError('not_found', `no user ${id}`);
    return fromRow(row);
  }

  /** Checks a sign-in; an unknown username costs the same time as a wrong password. */
  async checkLogin(username: string, password: string): Promise<LoginCheck> {
    const row = await this.row(username);
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
    const row = await this.db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
    return row ? this.hasher.verify(row.password_hash, password) : false;
  }

  /** Counts a failed sign-in (shown to administrators; never locks the account: see login-guard.ts). */
  async noteLoginFailure(id: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  async noteLoginSuccess(id: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null, last_login_at: this.now() })
      .where('id', '=', id)
      .execute();
  }

  /**
   * The first administrator (from env or the CLI): created when the username is free; an existing
   * account is left as it is (its password is not reset — use `setPassword`).
   */
  async ensureAdmin(username: string, password: string): Promise<{ user: User; created: boolean }> {
    const existing = await this.findByUsername(username);
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
    sources: Parameters<typeof demoAccounts>[1] = [],
  ): Promise<{ accounts: DemoAccount[]; flagged: string[] }> {
    const accounts = demoAccounts(enterprises, sources);
    const flagged: string[] = [];
    for (const a of accounts) {
      const existing = await this.findByUsername(a.username);
      if (!existing) {
        await this.create(a, flag);
        if (flag.mustChangePassword) flagged.push(a.username);
      } else if (flag.mustChangePassword && !existing.mustChangePassword && (await this.verifyPassword(existing.id, a.password))) {
        await this.db.updateTable('users').set({ must_change_password: 1 }).where('id', '=', existing.id).execute();
        flagged.push(a.username);
      }
    }
    return { accounts, flagged };
  }

  private row(username: string): Promise<Selectable<UserRow> | undefined> {
    return this.db.selectFrom('users').selectAll().where(byUsername(username)).executeTakeFirst();
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
