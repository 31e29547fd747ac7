/**
 * The identity stores' database (server/auth/auth-database.ts) on both engines: a new database gets
 * every store's schema once, and what the stores wrote is there for the next opening (another web
 * process, or a restart). Existing deployments (SQLite only): an auth.db written by the
 * hand-written SQL of earlier versions (the DDL below is copied from them, verbatim) is adopted by
 * the first migrations — every user, session, audit record and known-good client kept, and usable
 * through the new stores.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../server/auth/audit-log';
import { openAuthDatabase } from '../../../server/auth/auth-database';
import { SqlKnownClients } from '../../../server/auth/known-clients';
import { createPasswordHasher } from '../../../server/auth/password';
import { hashToken, SessionStore } from '../../../server/auth/session-store';
import { USER_MIGRATIONS, type AuthTables } from '../../../server/auth/auth-tables';
import { UserStore } from '../../../server/auth/user-store';
import { migrateToLatest } from '../../../server/storage/sql/migrate';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** users as the version before the forced password change created it. */
const USERS_BEFORE_FORCED_CHANGE = `
  CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'ozone', 'enterprise')),
    enterprise_id TEXT,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL,
    last_login_at INTEGER,
    CHECK ((role = 'enterprise') = (enterprise_id IS NOT NULL))
  );`;

/** Everything the last hand-written version (user-store, session-store, audit-log, known-clients) created. */
const OLD_SCHEMA = `
  ${USERS_BEFORE_FORCED_CHANGE}
  ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ip TEXT,
    user_agent TEXT
  );
  CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
  CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    user_id INTEGER,
    username TEXT,
    role TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT,
    ip TEXT
  );
  CREATE INDEX IF NOT EXISTS audit_at ON audit (at, id);
  CREATE INDEX IF NOT EXISTS audit_action ON audit (action, at);
  CREATE INDEX IF NOT EXISTS audit_user ON audit (username COLLATE NOCASE, at);
  CREATE TABLE IF NOT EXISTS known_clients (
    door TEXT NOT NULL,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    last_success_at INTEGER NOT NULL,
    PRIMARY KEY (door, username, ip)
  );`;

const TOKEN = 'A'.repeat(43);
const T = 1_700_000_000_000;

describe.each(sqlEngines())('the auth database on $name', (engine) => {
  let fresh: FreshDatabase;
  let file: string;
  beforeEach(async () => {
    fresh = await engine.create();
    file = fresh.location;
  });
  afterEach(() => fresh.remove());

  it('a new one gets every identity store’s schema once; the next opening runs nothing and sees what was written', async () => {
    const first = await openAuthDatabase(file);
    let token: string;
    try {
      expect(first.dialect).toBe(engine.name);
      expect(first.migrated).toEqual({
        auth_users: ['0001-users', '0002-departments'],
        auth_sessions: ['0001-sessions'],
        auth_audit: ['0001-audit'],
        auth_known_clients: ['0001-known-clients'],
      });
      const user = await new UserStore(first.db, hasher, () => T).create({
        username: 'officer1',
        role: 'officer',
        password: 'correct horse',
      });
      ({ token } = await new SessionStore(first.db, {}, () => T).create(user.id));
      await new AuditLog(first.db, () => T).record({ actor: { username: 'system' }, action: 'login' });
      await new SqlKnownClients(first.db, 'web', {}, () => T).remember('officer1', '10.0.0.1');
    } finally {
      await first.close();
    }
    const again = await openAuthDatabase(file);
    try {
      const now = () => T + 1_000;
      expect(Object.values(again.migrated).flat()).toEqual([]);
      expect((await new UserStore(again.db, hasher, now).checkLogin('OFFICER1', 'correct horse')).ok).toBe(true);
      expect(await new SessionStore(again.db, {}, now).validate(token)).toMatchObject({ userId: 1, createdAt: T });
      expect((await new AuditLog(again.db, now).query({})).total).toBe(1);
      expect(await new SqlKnownClients(again.db, 'web', {}, now).isKnown('Officer1', '10.0.0.1')).toBe(true);
    } finally {
      await again.close();
    }
  });

  it('a users table of 0001 gains department users (0002): every row and id kept, ids never reused, the bindings checked', async () => {
    const before = fresh.open<AuthTables>();
    try {
      const only0001 = { store: USER_MIGRATIONS.store, migrations: { '0001-users': USER_MIGRATIONS.migrations['0001-users']! } };
      expect(await migrateToLatest(before.db as never, only0001)).toEqual(['0001-users']);
      // 0001's store had no department column: rows written as it wrote them.
      const row = (username: string, role: string, enterprise_id: string | null) =>
        before.db
          .withTables<{ users: Record<string, unknown> }>()
          .insertInto('users')
          .values({ username, display_name: username, role, enterprise_id, password_hash: 'x', created_at: 1, password_changed_at: 1 })
          .execute();
      await row('officer1', 'officer', null);
      await row('qilu', 'enterprise', 'qilu-power');
      await row('gone', 'ozone', null);
      await before.db.deleteFrom('users').where('username', '=', 'gone').execute();
    } finally {
      await before.close();
    }
    const { db, close, migrated } = await openAuthDatabase(file);
    try {
      expect(migrated.auth_users).toEqual(['0002-departments']);
      const users = new UserStore(db, hasher, () => T);
      expect(await users.list()).toMatchObject([
        { id: 1, username: 'officer1', role: 'officer', enterpriseId: null, department: null },
        { id: 2, username: 'qilu', role: 'enterprise', enterpriseId: 'qilu-power', department: null },
      ]);
      const housing = await users.create({ username: 'housing', role: 'department', department: 'housing', password: 'correct horse' });
      expect(housing).toMatchObject({ id: 4, role: 'department', department: 'housing', enterpriseId: null });
      await expect(users.create({ username: 'Officer1', role: 'ozone', password: 'correct horse' })).rejects.toMatchObject({
        code: 'username_taken',
      });
      // The database refuses what the schema would: a department user without a department, an officer with one.
      const raw = db.withTables<{ users: Record<string, unknown> }>();
      const insert = (role: string, department: string | null) =>
        raw
          .insertInto('users')
          .values({ username: `x-${role}`, display_name: 'x', role, department, password_hash: 'x', created_at: 1, password_changed_at: 1 })
          .execute();
      await expect(insert('department', null)).rejects.toThrow(/constraint/i);
      await expect(insert('officer', 'housing')).rejects.toThrow(/constraint/i);
      await expect(insert('root', null)).rejects.toThrow(/constraint/i);
    } finally {
      await close();
    }
  });

  const writeOld = async (schema: string, withFlagColumn: boolean) => {
    const old = new Database(file);
    old.exec(schema);
    const hash = await hasher.hash('correct horse');
    const flag = withFlagColumn ? ', must_change_password' : '';
    const flagValue = withFlagColumn ? ', 1' : '';
    old
      .prepare(
        `INSERT INTO users (username, display_name, role, password_hash, created_at, password_changed_at, locked_until${flag})
         VALUES ('Officer1', 'Officer One', 'officer', ?, 1, 1, ?${flagValue})`,
      )
      .run(hash, T + 86_400_000);
    old
      .prepare(
        `INSERT INTO users (username, display_name, role, enterprise_id, password_hash, created_at, password_changed_at)
                VALUES ('qilu', 'Qilu', 'enterprise', 'qilu-power', ?, 2, 2)`,
      )
      .run(hash);
    return old;
  };

  // An auth.db from before the Kysely stores exists only as a SQLite file.
  if (engine.name === 'sqlite')
    it('an auth.db made by the hand-written SQL of earlier versions keeps its users, sessions, audit and known clients, and the stores work on them', async () => {
      const old = await writeOld(OLD_SCHEMA, true);
      old.prepare('INSERT INTO sessions VALUES (?, 1, ?, ?, ?, ?)').run(hashToken(TOKEN), T, T, '10.0.0.1', 'old browser');
      old
        .prepare(`INSERT INTO audit (at, user_id, username, role, action, ip) VALUES (?, 1, 'Officer1', 'officer', 'login', '10.0.0.1')`)
        .run(T);
      old.prepare(`INSERT INTO known_clients VALUES ('web', 'officer1', '10.0.0.1', ?)`).run(T);
      old.close();

      const { db, close, migrated } = await openAuthDatabase(file);
      try {
        expect(migrated).toEqual({
          auth_users: ['0001-users', '0002-departments'],
          auth_sessions: ['0001-sessions'],
          auth_audit: ['0001-audit'],
          auth_known_clients: ['0001-known-clients'],
        });
        const now = () => T + 1_000;
        const users = new UserStore(db, hasher, now);
        expect(await users.list()).toMatchObject([
          { id: 1, username: 'Officer1', role: 'officer', mustChangePassword: true, lockedUntil: null }, // old locks dropped
          { id: 2, username: 'qilu', role: 'enterprise', enterpriseId: 'qilu-power', mustChangePassword: false },
        ]);
        expect((await users.checkLogin('officer1', 'correct horse')).ok).toBe(true);
        await expect(users.create({ username: 'OFFICER1', role: 'ozone', password: 'correct horse' })).rejects.toMatchObject({
          code: 'username_taken',
        });
        expect((await users.create({ username: 'ozone1', role: 'ozone', password: 'correct horse' })).id).toBe(3);

        const sessions = new SessionStore(db, {}, now);
        expect(await sessions.validate(TOKEN)).toMatchObject({ userId: 1, createdAt: T });

        const audit = new AuditLog(db, now);
        await audit.record({ actor: { username: 'system' }, action: 'login' });
        expect((await audit.query({ username: 'OFFICER1' })).items).toMatchObject([{ id: 1, at: T, action: 'login', ip: '10.0.0.1' }]);
        expect((await audit.query({})).total).toBe(2);

        expect(await new SqlKnownClients(db, 'web', {}, now).isKnown('Officer1', '10.0.0.1')).toBe(true);
      } finally {
        await close();
      }
      // The next start runs nothing and still sees them.
      const again = await openAuthDatabase(file);
      try {
        expect(Object.values(again.migrated).flat()).toEqual([]);
        expect(await new UserStore(again.db, hasher).list()).toHaveLength(3);
      } finally {
        await again.close();
      }
    });

  if (engine.name === 'sqlite')
    it('an auth.db from before the forced password change: gains the column (nobody flagged) and keeps every user', async () => {
      (await writeOld(USERS_BEFORE_FORCED_CHANGE, false)).close();
      const { db, close } = await openAuthDatabase(file);
      try {
        const users = new UserStore(db, hasher, () => 2_000);
        expect(await users.findByUsername('officer1')).toMatchObject({ id: 1, username: 'Officer1', mustChangePassword: false });
        const fresh = await users.create({ username: 'new-one', role: 'ozone', password: 'correct horse' }, { mustChangePassword: true });
        expect(fresh).toMatchObject({ id: 3, mustChangePassword: true });
      } finally {
        await close();
      }
    });
});
