/**
 * The identity stores' tables and their migrations (issue 15): users, sessions, the audit trail
 * and known-good sign-in clients, each with its own migration history (`auth_users_migrations`, …)
 * so they can share one database (auth.db, or the cluster's PostgreSQL) or live apart.
 *
 * The first migration of each list ADOPTS the tables the hand-written SQL created before (same
 * names, same columns, `IF NOT EXISTS`), so an existing auth.db keeps its users and sessions. Only
 * Kysely's schema builder and portable SQL: booleans are integers 0/1, epoch milliseconds `bigint`,
 * case-insensitive usernames compare as `lower(username)` (a unique expression index), so the
 * same migrations run on SQLite and PostgreSQL. Append-only: never edit a released migration.
 */
import { sql, type ColumnType, type Generated, type Kysely, type Migration } from 'kysely';
import { ROLES, type Role } from '../domain/principal';
import type { Department } from '../domain/site-register';
import { onPostgres } from '../storage/sql/database';
import type { MigrationList } from '../storage/sql/migrate';

export interface UserRow {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: Role;
  enterprise_id: string | null;
  /** A department user's department (0002); null for every other role. */
  department: Department | null;
  password_hash: string;
  disabled: ColumnType<number, number | undefined, number>;
  failed_logins: ColumnType<number, number | undefined, number>;
  /** Always null since the login guard replaced account locks; kept for old rows' shape. */
  locked_until: number | null;
  created_at: number;
  password_changed_at: number;
  last_login_at: number | null;
  must_change_password: ColumnType<number, number | undefined, number>;
}

export interface SessionRow {
  /** SHA-256 of the token, hex (the primary key: the lookup of every request). */
  token_hash: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditRow {
  id: Generated<number>;
  at: number;
  user_id: number | null;
  username: string | null;
  role: Role | null;
  action: string;
  target: string | null;
  /** JSON. */
  detail: string | null;
  ip: string | null;
}

export interface KnownClientRow {
  door: string;
  /** Lower case. */
  username: string;
  ip: string;
  last_success_at: number;
}

/** Every identity table: what the auth database (auth.db) holds. The stores all take a `Kysely<AuthTables>`. */
export interface AuthTables {
  users: UserRow;
  sessions: SessionRow;
  audit: AuditRow;
  known_clients: KnownClientRow;
}

export { onPostgres };

async function columnsOf(db: Kysely<unknown>, table: string): Promise<Set<string>> {
  const found = (await db.introspection.getTables()).find((t) => t.name === table);
  return new Set(found?.columns.map((c) => c.name) ?? []);
}

/** The roles a CHECK constraint allows: 0001's are frozen (a released migration never changes). */
const roleList = (roles: readonly string[]) => sql.join(roles.map((r) => sql.lit(r)));
const ROLES_0001 = ['admin', 'officer', 'ozone', 'enterprise'] as const;

const users: Migration = {
  async up(db: Kysely<unknown>) {
    const pg = onPostgres(db);
    await db.schema
      .createTable('users')
      .ifNotExists()
      .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN (${roleList(ROLES_0001)})`))
      .addColumn('enterprise_id', 'text')
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('password_changed_at', 'bigint', (c) => c.notNull())
      .addColumn('last_login_at', 'bigint')
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
      .addCheckConstraint('users_enterprise_binding', sql`(role = 'enterprise') = (enterprise_id IS NOT NULL)`)
      .execute();
    // auth.db files from before the forced password change gain the column (nobody flagged).
    if (!(await columnsOf(db, 'users')).has('must_change_password'))
      await db.schema
        .alterTable('users')
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    // Unique case-insensitively on every engine (old SQLite tables also keep their COLLATE NOCASE UNIQUE).
    await db.schema
      .createIndex('users_username_lower')
      .ifNotExists()
      .unique()
      .on('users')
      .expression(sql`lower(username)`)
      .execute();
    // Locks stored by earlier versions would keep a user out that nothing else does any more.
    await db
      .withTables<{ users: { locked_until: number | null } }>()
      .updateTable('users')
      .set({ locked_until: null })
      .where('locked_until', 'is not', null)
      .execute();
  },
};

const sessions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sessions')
      .ifNotExists()
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema.createIndex('sessions_user').ifNotExists().on('sessions').column('user_id').execute();
  },
};

const audit: Migration = {
  async up(db: Kysely<unknown>) {
    const pg = onPostgres(db);
    await db.schema
      .createTable('audit')
      .ifNotExists()
      .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('user_id', 'integer')
      .addColumn('username', 'text')
      .addColumn('role', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('detail', 'text')
      .addColumn('ip', 'text')
      .execute();
    await db.schema.createIndex('audit_at').ifNotExists().on('audit').columns(['at', 'id']).execute();
    await db.schema.createIndex('audit_action').ifNotExists().on('audit').columns(['action', 'at']).execute();
    // The old index was `username COLLATE NOCASE` (SQLite only): the username filter is now `lower(username)`.
    await db.schema.dropIndex('audit_user').ifExists().execute();
    await db.schema
      .createIndex('audit_user_lower')
      .ifNotExists()
      .on('audit')
      .expression(sql`lower(username), at`)
      .execute();
  },
};

const knownClients: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('known_clients')
      .ifNotExists()
      .addColumn('door', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('last_success_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('known_clients_pk', ['door', 'username', 'ip'])
      .execute();
  },
};

/** The users table as 0002 leaves it (SQLite rebuilds it: a CHECK constraint cannot be altered there). */
const USER_COLUMNS_0001 = [
  'id',
  'username',
  'display_name',
  'role',
  'enterprise_id',
  'password_hash',
  'disabled',
  'failed_logins',
  'locked_until',
  'created_at',
  'password_changed_at',
  'last_login_at',
  'must_change_password',
] as const;

async function createUsers0002(db: Kysely<unknown>, name: string): Promise<void> {
  await db.schema
    .createTable(name)
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN (${roleList(ROLES)})`))
    .addColumn('enterprise_id', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('password_changed_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('department', 'text')
    .addCheckConstraint('users_enterprise_binding', sql`(role = 'enterprise') = (enterprise_id IS NOT NULL)`)
    .addCheckConstraint('users_department_binding', sql`(role = 'department') = (department IS NOT NULL)`)
    .execute();
}

/** The highest id SQLite's AUTOINCREMENT handed out for users (ids are never reused), if it kept one. */
async function usersSequence(db: Kysely<unknown>): Promise<number | undefined> {
  const has = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_sequence'`.execute(db);
  if (Number(has.rows[0]?.n ?? 0) === 0) return undefined;
  const seq = await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = 'users'`.execute(db);
  return seq.rows[0] === undefined ? undefined : Number(seq.rows[0].seq);
}

/**
 * Department users (issue 16): the `department` role, a `department` column, and a CHECK that binds
 * them (required for, and only for, department users). PostgreSQL alters the table in place; SQLite
 * cannot change a CHECK constraint, so it copies the rows into a new table (in the migrator's
 * transaction; ids and the AUTOINCREMENT counter kept) and renames it.
 */
const departments: Migration = {
  async up(db: Kysely<unknown>) {
    if (onPostgres(db)) {
      await db.schema.alterTable('users').addColumn('department', 'text').execute();
      await sql`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check`.execute(db);
      await db.schema
        .alterTable('users')
        .addCheckConstraint('users_role_check', sql`role IN (${roleList(ROLES)})`)
        .execute();
      await db.schema
        .alterTable('users')
        .addCheckConstraint('users_department_binding', sql`(role = 'department') = (department IS NOT NULL)`)
        .execute();
      return;
    }
    const columns = sql.join(USER_COLUMNS_0001.map((c) => sql.ref(c)));
    // The migrator runs this inside its transaction (SQLite: the whole rebuild or nothing).
    const seq = await usersSequence(db);
    await createUsers0002(db, 'users_0002');
    await sql`INSERT INTO users_0002 (${columns}) SELECT ${columns} FROM users`.execute(db);
    await db.schema.dropTable('users').execute();
    await db.schema.alterTable('users_0002').renameTo('users').execute();
    await db.schema
      .createIndex('users_username_lower')
      .unique()
      .on('users')
      .expression(sql`lower(username)`)
      .execute();
    if (seq !== undefined) {
      await sql`DELETE FROM sqlite_sequence WHERE name = 'users'`.execute(db);
      await sql`INSERT INTO sqlite_sequence (name, seq) VALUES ('users', ${seq})`.execute(db);
    }
  },
};

export const USER_MIGRATIONS: MigrationList = {
  store: 'auth_users',
  migrations: { '0001-users': users, '0002-departments': departments },
};
export const SESSION_MIGRATIONS: MigrationList = { store: 'auth_sessions', migrations: { '0001-sessions': sessions } };
export const AUDIT_MIGRATIONS: MigrationList = { store: 'auth_audit', migrations: { '0001-audit': audit } };
export const KNOWN_CLIENT_MIGRATIONS: MigrationList = { store: 'auth_known_clients', migrations: { '0001-known-clients': knownClients } };

/** Every identity store's migrations, in the order the auth module runs them. */
export const AUTH_MIGRATIONS: readonly MigrationList[] = [USER_MIGRATIONS, SESSION_MIGRATIONS, AUDIT_MIGRATIONS, KNOWN_CLIENT_MIGRATIONS];
