import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPasswordHasher } from './password';
import { toPrincipal, UserStore } from './user-store';

const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
const ENTERPRISES = [
  { id: 'qilu-power', name: '齐鲁示范热电有限公司' },
  { id: 'zichuan-cement', name: '淄川建材水泥有限公司' },
  { id: 'huantai-steel', name: '桓台特钢有限公司' },
];

describe('UserStore', () => {
  let t: number;
  let users: UserStore;
  beforeEach(() => {
    t = 1_000;
    users = new UserStore(new Database(':memory:'), hasher, () => t);
  });

  it('creates users with unique, case-insensitive usernames and never exposes the hash', async () => {
    const u = await users.create({ username: 'Alice', role: 'officer', password: 'correct horse' });
    expect(u).toEqual({
      id: 1,
      username: 'Alice',
      displayName: 'Alice',
      role: 'officer',
      enterpriseId: null,
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: 1_000,
      passwordChangedAt: 1_000,
      lastLoginAt: null,
      mustChangePassword: false,
    });
    expect(Object.keys(u)).not.toContain('passwordHash');
    expect(users.findByUsername('ALICE')?.id).toBe(1);
    await expect(users.create({ username: 'alice', role: 'ozone', password: 'correct horse' })).rejects.toMatchObject({
      code: 'username_taken',
    });
  });

  it.each([
    [{ username: 'ent1', role: 'enterprise', password: 'correct horse' }, 'invalid_user', /needs an enterpriseId/],
    [{ username: 'off1', role: 'officer', enterpriseId: 'qilu-power', password: 'correct horse' }, 'invalid_user', /has no enterpriseId/],
    [{ username: 'a', role: 'officer', password: 'correct horse' }, 'invalid_user', /3–64/],
    [{ username: 'bob', role: 'root', password: 'correct horse' }, 'invalid_user', /role/],
    [{ username: 'bob', role: 'officer', password: 'short' }, 'weak_password', /at least 10/],
    [{ username: 'bobby.tables', role: 'officer', password: 'bobby.tables' }, 'weak_password', /not be the username/],
  ] as const)('refuses %j with %s', async (input, code, message) => {
    await expect(users.create(input as never)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('checks sign-ins: right, wrong, unknown, disabled', async () => {
    const u = await users.create({ username: 'carol', role: 'enterprise', enterpriseId: 'qilu-power', password: 'correct horse' });
    await users.create({ username: 'admin', role: 'admin', password: 'correct horse' });
    expect(await users.checkLogin('CAROL', 'correct horse')).toMatchObject({ ok: true, user: { id: u.id } });
    expect(await users.checkLogin('carol', 'wrong horse!!')).toMatchObject({ ok: false, reason: 'wrong_password' });
    expect(await users.checkLogin('nobody', 'correct horse')).toEqual({ ok: false, reason: 'unknown_user', user: null });
    users.update(u.id, { disabled: true });
    expect(await users.checkLogin('carol', 'correct horse')).toMatchObject({ ok: false, reason: 'disabled' });
    expect(toPrincipal(u)).toEqual({ userId: u.id, username: 'carol', role: 'enterprise', enterpriseId: 'qilu-power' });
  });

  it('updates role and enterprise together and reports what changed', async () => {
    await users.create({ username: 'admin', role: 'admin', password: 'correct horse' });
    const u = await users.create({ username: 'dave', role: 'officer', password: 'correct horse' });
    expect(users.update(u.id, { displayName: 'Dave' })).toMatchObject({
      roleChanged: false,
      disabledChanged: false,
      user: { displayName: 'Dave' },
    });
    expect(() => users.update(u.id, { role: 'enterprise' })).toThrow(/needs an enterpriseId/);
    expect(users.update(u.id, { role: 'enterprise', enterpriseId: 'qilu-power' })).toMatchObject({
      roleChanged: true,
      user: { role: 'enterprise', enterpriseId: 'qilu-power' },
    });
    expect(users.update(u.id, { enterpriseId: 'zichuan-cement' }).roleChanged).toBe(true);
    expect(users.update(u.id, { role: 'ozone' })).toMatchObject({ roleChanged: true, user: { role: 'ozone', enterpriseId: null } });
    expect(users.update(u.id, { disabled: true })).toMatchObject({ disabledChanged: true, user: { disabled: true } });
    expect(() => users.update(999, { disabled: true })).toThrow(/no user/);
  });

  it('never leaves the system without an active administrator', async () => {
    const a = await users.create({ username: 'admin', role: 'admin', password: 'correct horse' });
    expect(() => users.update(a.id, { disabled: true })).toThrow(expect.objectContaining({ code: 'last_admin' }));
    expect(() => users.update(a.id, { role: 'officer' })).toThrow(expect.objectContaining({ code: 'last_admin' }));
    await users.create({ username: 'admin2', role: 'admin', password: 'correct horse' });
    expect(users.update(a.id, { disabled: true }).user.disabled).toBe(true);
  });

  it('drops account locks stored by earlier versions when it opens the database', async () => {
    const db = new Database(':memory:');
    const first = new UserStore(db, hasher, () => t);
    const u = await first.create({ username: 'locked', role: 'officer', password: 'correct horse' });
    db.prepare('UPDATE users SET locked_until = ? WHERE id = ?').run(Date.now() + 86_400_000, u.id);
    expect(new UserStore(db, hasher, () => t).get(u.id)?.lockedUntil).toBeNull();
  });

  it('counts failures without ever locking the account, and a new password clears the count', async () => {
    const u = await users.create({ username: 'erin', role: 'officer', password: 'correct horse' });
    users.noteLoginFailure(u.id);
    expect(users.get(u.id)).toMatchObject({ failedLogins: 1, lockedUntil: null });
    t = 5_000;
    await expect(users.setPassword(u.id, 'erin')).rejects.toMatchObject({ code: 'weak_password' });
    expect(await users.setPassword(u.id, 'battery staple')).toMatchObject({ passwordChangedAt: 5_000, failedLogins: 0, lockedUntil: null });
    expect(await users.verifyPassword(u.id, 'battery staple')).toBe(true);
    expect(await users.verifyPassword(u.id, 'correct horse')).toBe(false);
    users.noteLoginSuccess(u.id);
    expect(users.get(u.id)?.lastLoginAt).toBe(5_000);
  });

  it('ensureAdmin creates the first administrator once and never resets an existing one', async () => {
    expect(await users.ensureAdmin('root', 'first password')).toMatchObject({ created: true, user: { role: 'admin' } });
    expect(await users.ensureAdmin('ROOT', 'other password')).toMatchObject({ created: false });
    expect((await users.checkLogin('root', 'first password')).ok).toBe(true);
  });

  it('ensureDemoAccounts creates admin, officer, ozone and two enterprise users, idempotently', async () => {
    const { accounts: list } = await users.ensureDemoAccounts(ENTERPRISES);
    expect(list.map((a) => [a.username, a.role, a.enterpriseId])).toEqual([
      ['admin', 'admin', null],
      ['officer', 'officer', null],
      ['ozone', 'ozone', null],
      ['qilu-power', 'enterprise', 'qilu-power'],
      ['zichuan-cement', 'enterprise', 'zichuan-cement'],
    ]);
    for (const a of list) expect((await users.checkLogin(a.username, a.password)).ok).toBe(true);
    await users.ensureDemoAccounts(ENTERPRISES);
    expect(users.list()).toHaveLength(5);
  });

  it('flags a password someone else chose, and clears the flag when the user sets their own', async () => {
    const own = await users.create({ username: 'gina', role: 'officer', password: 'correct horse' });
    expect(own.mustChangePassword).toBe(false);
    const given = await users.create({ username: 'hank', role: 'officer', password: 'correct horse' }, { mustChangePassword: true });
    expect(given.mustChangePassword).toBe(true);
    expect((await users.setPassword(given.id, 'battery staple')).mustChangePassword).toBe(false);
    expect((await users.setPassword(own.id, 'battery staple', { mustChangePassword: true })).mustChangePassword).toBe(true);
    expect(users.update(own.id, { mustChangePassword: false })).toMatchObject({
      user: { mustChangePassword: false },
      mustChangePasswordChanged: true,
      roleChanged: false,
    });
    expect(users.update(own.id, { displayName: 'Gina' }).mustChangePasswordChanged).toBe(false);
    expect(users.get(own.id)?.mustChangePassword).toBe(false);
  });

  it('flags new demo accounts, and old ones still on their published password, once', async () => {
    const first = await users.ensureDemoAccounts(ENTERPRISES.slice(0, 1), { mustChangePassword: false });
    expect(first.flagged).toEqual([]);
    const officer = users.findByUsername('officer')!;
    await users.setPassword(officer.id, 'officer-own-password'); // changed before the flag existed
    const second = await users.ensureDemoAccounts(ENTERPRISES, { mustChangePassword: true });
    expect(second.flagged).toEqual(['admin', 'ozone', 'qilu-power', 'zichuan-cement']);
    expect(users.list().map((u) => [u.username, u.mustChangePassword])).toEqual([
      ['admin', true],
      ['officer', false],
      ['ozone', true],
      ['qilu-power', true],
      ['zichuan-cement', true],
    ]);
    expect((await users.ensureDemoAccounts(ENTERPRISES, { mustChangePassword: true })).flagged).toEqual([]);
  });
});

describe('UserStore on an auth.db from before the forced password change', () => {
  it('adds the column (nobody flagged) and keeps every user', async () => {
    const db = new Database(':memory:');
    db.exec(`
      CREATE TABLE users (
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
      );`);
    const hash = await hasher.hash('correct horse');
    db.prepare(
      `INSERT INTO users (username, display_name, role, password_hash, created_at, password_changed_at) VALUES ('old', 'Old', 'officer', ?, 1, 1)`,
    ).run(hash);
    const upgraded = new UserStore(db, hasher, () => 2_000);
    expect(upgraded.findByUsername('old')).toMatchObject({ username: 'old', mustChangePassword: false });
    const fresh = await upgraded.create({ username: 'new-one', role: 'ozone', password: 'correct horse' }, { mustChangePassword: true });
    expect(fresh.mustChangePassword).toBe(true);
    // Opening it again (the next start) leaves the column and the flags as they are.
    expect(new UserStore(db, hasher).get(fresh.id)?.mustChangePassword).toBe(true);
  });
});
