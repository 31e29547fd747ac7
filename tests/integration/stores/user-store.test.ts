/**
 * The user store's contract on both engines (a SQLite file and a PostgreSQL database): unique
 * case-insensitive usernames, sign-in checks and failure counts, roles and tenants, always an active
 * administrator (also between two writers at once), the first administrator, the demo accounts and
 * the forced password change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authEngines, type OpenedAuthDb } from '../../helpers/auth-engines';
import { createPasswordHasher } from '../../../server/auth/password';
import { toPrincipal, UserStore } from '../../../server/auth/user-store';

const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
const ENTERPRISES = [
  { id: 'qilu-power', name: '齐鲁示范热电有限公司' },
  { id: 'zichuan-cement', name: '淄川建材水泥有限公司' },
  { id: 'huantai-steel', name: '桓台特钢有限公司' },
];

describe.each(authEngines())('UserStore on $name', (engine) => {
  let t: number;
  let opened: OpenedAuthDb;
  let users: UserStore;
  beforeEach(async () => {
    t = 1_000;
    opened = await engine.open();
    users = new UserStore(opened.db, hasher, () => t);
  });
  afterEach(() => opened.close());

  it('creates users with unique, case-insensitive usernames and never exposes the hash', async () => {
    const u = await users.create({ username: 'Alice', role: 'officer', password: 'correct horse' });
    expect(u).toEqual({
      id: 1,
      username: 'Alice',
      displayName: 'Alice',
      role: 'officer',
      enterpriseId: null,
      department: null,
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: 1_000,
      passwordChangedAt: 1_000,
      lastLoginAt: null,
      mustChangePassword: false,
    });
    expect(Object.keys(u)).not.toContain('passwordHash');
    expect((await users.findByUsername('ALICE'))?.id).toBe(1);
    await expect(users.create({ username: 'alice', role: 'ozone', password: 'correct horse' })).rejects.toMatchObject({
      code: 'username_taken',
    });
  });

  it.each([
    [{ username: 'ent1', role: 'enterprise', password: 'correct horse' }, 'invalid_user', /needs an enterpriseId/],
    [{ username: 'off1', role: 'officer', enterpriseId: 'qilu-power', password: 'correct horse' }, 'invalid_user', /has no enterpriseId/],
    [{ username: 'a', role: 'officer', password: 'correct horse' }, 'invalid_user', /3–64/],
    [{ username: 'dept1', role: 'department', password: 'correct horse' }, 'invalid_user', /needs a department/],
    [{ username: 'dept2', role: 'department', department: 'police', password: 'correct horse' }, 'invalid_user', /department/],
    [{ username: 'off2', role: 'officer', department: 'housing', password: 'correct horse' }, 'invalid_user', /has no department/],
    [
      { username: 'ent2', role: 'enterprise', enterpriseId: 'qilu-power', department: 'housing', password: 'correct horse' },
      'invalid_user',
      /has no department/,
    ],
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
    await users.update(u.id, { disabled: true });
    expect(await users.checkLogin('carol', 'correct horse')).toMatchObject({ ok: false, reason: 'disabled' });
    expect(toPrincipal(u)).toEqual({ userId: u.id, username: 'carol', role: 'enterprise', enterpriseId: 'qilu-power', department: null });
  });

  it('updates role and enterprise together and reports what changed', async () => {
    await users.create({ username: 'admin', role: 'admin', password: 'correct horse' });
    const u = await users.create({ username: 'dave', role: 'officer', password: 'correct horse' });
    expect(await users.update(u.id, { displayName: 'Dave' })).toMatchObject({
      roleChanged: false,
      disabledChanged: false,
      user: { displayName: 'Dave' },
    });
    await expect(users.update(u.id, { role: 'enterprise' })).rejects.toThrow(/needs an enterpriseId/);
    expect(await users.update(u.id, { role: 'enterprise', enterpriseId: 'qilu-power' })).toMatchObject({
      roleChanged: true,
      user: { role: 'enterprise', enterpriseId: 'qilu-power' },
    });
    expect((await users.update(u.id, { enterpriseId: 'zichuan-cement' })).roleChanged).toBe(true);
    expect(await users.update(u.id, { role: 'ozone' })).toMatchObject({ roleChanged: true, user: { role: 'ozone', enterpriseId: null } });
    expect(await users.update(u.id, { disabled: true })).toMatchObject({ disabledChanged: true, user: { disabled: true } });
    await expect(users.update(999, { disabled: true })).rejects.toThrow(/no user/);
  });

  it('binds a department user to its department: created, changed, and dropped with the role', async () => {
    await users.create({ username: 'admin', role: 'admin', password: 'correct horse' });
    const u = await users.create({ username: 'housing', role: 'department', department: 'housing', password: 'correct horse' });
    expect(u).toMatchObject({ role: 'department', department: 'housing', enterpriseId: null });
    expect(toPrincipal(u)).toEqual({ userId: u.id, username: 'housing', role: 'department', enterpriseId: null, department: 'housing' });
    expect((await users.findByUsername('HOUSING'))?.department).toBe('housing');
    expect(await users.update(u.id, { displayName: '住建局' })).toMatchObject({ roleChanged: false, user: { department: 'housing' } });
    // Another department is another scope: its sessions must end, like an enterprise change.
    expect(await users.update(u.id, { department: 'transport' })).toMatchObject({ roleChanged: true, user: { department: 'transport' } });
    await expect(users.update(u.id, { department: null })).rejects.toThrow(/needs a department/);
    await expect(users.update(u.id, { role: 'officer', department: 'water' })).rejects.toThrow(/has no department/);
    expect(await users.update(u.id, { role: 'officer' })).toMatchObject({ roleChanged: true, user: { role: 'officer', department: null } });
    await expect(users.update(u.id, { role: 'department' })).rejects.toThrow(/needs a department/);
    const back = await users.update(u.id, { role: 'department', department: 'water' });
    expect(back).toMatchObject({ roleChanged: true, user: { role: 'department', department: 'water' } });
    const ent = await users.create({ username: 'qilu', role: 'enterprise', enterpriseId: 'qilu-power', password: 'correct horse' });
    expect((await users.update(ent.id, { role: 'department', department: 'housing' })).user).toMatchObject({
      role: 'department',
      enterpriseId: null,
      department: 'housing',
    });
  });

  it('never leaves the system without an active administrator', async () => {
    const a = await users.create({ username: 'admin', role: 'admin', password: 'correct horse' });
    await expect(users.update(a.id, { disabled: true })).rejects.toMatchObject({ code: 'last_admin' });
    await expect(users.update(a.id, { role: 'officer' })).rejects.toMatchObject({ code: 'last_admin' });
    await users.create({ username: 'admin2', role: 'admin', password: 'correct horse' });
    expect((await users.update(a.id, { disabled: true })).user.disabled).toBe(true);
  });

  it('two administrators disabling each other at the same moment: one of them stays', async () => {
    const a = await users.create({ username: 'admin', role: 'admin', password: 'correct horse' });
    const b = await users.create({ username: 'admin2', role: 'admin', password: 'correct horse' });
    const results = await Promise.allSettled([users.update(a.id, { disabled: true }), users.update(b.id, { role: 'officer' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'last_admin' } });
    expect(await users.countActiveAdmins()).toBe(1);
  });

  it('counts failures without ever locking the account, and a new password clears the count', async () => {
    const u = await users.create({ username: 'erin', role: 'officer', password: 'correct horse' });
    await users.noteLoginFailure(u.id);
    expect(await users.get(u.id)).toMatchObject({ failedLogins: 1, lockedUntil: null });
    t = 5_000;
    await expect(users.setPassword(u.id, 'erin')).rejects.toMatchObject({ code: 'weak_password' });
    expect(await users.setPassword(u.id, 'battery staple')).toMatchObject({ passwordChangedAt: 5_000, failedLogins: 0, lockedUntil: null });
    expect(await users.verifyPassword(u.id, 'battery staple')).toBe(true);
    expect(await users.verifyPassword(u.id, 'correct horse')).toBe(false);
    await users.noteLoginSuccess(u.id);
    expect((await users.get(u.id))?.lastLoginAt).toBe(5_000);
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
    expect(await users.list()).toHaveLength(5);
  });

  it('flags a password someone else chose, and clears the flag when the user sets their own', async () => {
    const own = await users.create({ username: 'gina', role: 'officer', password: 'correct horse' });
    expect(own.mustChangePassword).toBe(false);
    const given = await users.create({ username: 'hank', role: 'officer', password: 'correct horse' }, { mustChangePassword: true });
    expect(given.mustChangePassword).toBe(true);
    expect((await users.setPassword(given.id, 'battery staple')).mustChangePassword).toBe(false);
    expect((await users.setPassword(own.id, 'battery staple', { mustChangePassword: true })).mustChangePassword).toBe(true);
    expect(await users.update(own.id, { mustChangePassword: false })).toMatchObject({
      user: { mustChangePassword: false },
      mustChangePasswordChanged: true,
      roleChanged: false,
    });
    expect((await users.update(own.id, { displayName: 'Gina' })).mustChangePasswordChanged).toBe(false);
    expect((await users.get(own.id))?.mustChangePassword).toBe(false);
  });

  it('flags new demo accounts, and old ones still on their published password, once', async () => {
    const first = await users.ensureDemoAccounts(ENTERPRISES.slice(0, 1), { mustChangePassword: false });
    expect(first.flagged).toEqual([]);
    const officer = (await users.findByUsername('officer'))!;
    await users.setPassword(officer.id, 'officer-own-password'); // changed before the flag existed
    const second = await users.ensureDemoAccounts(ENTERPRISES, { mustChangePassword: true });
    expect(second.flagged).toEqual(['admin', 'ozone', 'qilu-power', 'zichuan-cement']);
    expect((await users.list()).map((u) => [u.username, u.mustChangePassword])).toEqual([
      ['admin', true],
      ['officer', false],
      ['ozone', true],
      ['qilu-power', true],
      ['zichuan-cement', true],
    ]);
    expect((await users.ensureDemoAccounts(ENTERPRISES, { mustChangePassword: true })).flagged).toEqual([]);
  });
});
