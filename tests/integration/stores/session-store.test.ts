/**
 * The session store's contract on both engines (a SQLite file and a PostgreSQL database): tokens
 * stored only hashed, idle and absolute expiry, touch at most once a minute, revocation, pruning,
 * and a session seen by another connection (another web process, or a restart).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authEngines, type OpenedAuthDb } from '../../helpers/auth-engines';
import { hashToken, SessionStore } from '../../../server/auth/session-store';

const H = 3_600_000;

describe.each(authEngines())('SessionStore on $name', (engine) => {
  let t: number;
  let opened: OpenedAuthDb;
  let sessions: SessionStore;
  beforeEach(async () => {
    t = 0;
    opened = await engine.open();
    sessions = new SessionStore(opened.db, {}, () => t);
  });
  afterEach(() => opened.close());

  const stored = () => opened.db.selectFrom('sessions').selectAll().execute();

  it('issues 32-byte random tokens and stores only their SHA-256', async () => {
    const { token, session } = await sessions.create(7, { ip: '10.0.0.1', userAgent: 'test' });
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(session).toEqual({ id: hashToken(token), userId: 7, createdAt: 0, lastSeenAt: 0, expiresAt: 8 * H });
    const rows = await stored();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]).toMatchObject({ token_hash: hashToken(token), user_id: 7, ip: '10.0.0.1' });
    expect((await sessions.create(7)).token).not.toBe(token);
  });

  it.each([
    // [description, use every (h), until (h), alive at the end]
    ['idle for 7.9 h', null, 7.9, true],
    ['idle for 8 h', null, 8, false],
    ['used every 4 h for 6.9 days', 4, 6.9 * 24, true],
    ['used every 4 h for 7 days', 4, 7 * 24, false],
  ])('%s → alive: %s', async (_what, every, until, alive) => {
    const { token } = await sessions.create(1);
    if (every !== null) {
      for (t = every * H; t < until * H; t += every * H) expect(await sessions.validate(token)).not.toBeNull();
    }
    t = Math.round(until * H);
    expect((await sessions.validate(token)) !== null).toBe(alive);
  });

  it('writes last-seen at most once per touchEveryMs (60 s), and the idle timer follows it', async () => {
    const { token } = await sessions.create(1);
    t = 59_999;
    expect(await sessions.validate(token)).toMatchObject({ lastSeenAt: 0 });
    expect((await stored())[0]).toMatchObject({ last_seen_at: 0 });
    t = 60_000;
    expect(await sessions.validate(token)).toMatchObject({ lastSeenAt: 60_000, expiresAt: 60_000 + 8 * H });
    expect(Number((await stored())[0]?.last_seen_at)).toBe(60_000);
    t = 60_000 + 8 * H - 1;
    expect(await sessions.validate(token)).not.toBeNull();
  });

  it('an expired session is deleted, not just refused', async () => {
    const { token } = await sessions.create(1);
    t = 9 * H;
    expect(await sessions.validate(token)).toBeNull();
    expect(await stored()).toEqual([]);
    t = 0;
    expect(await sessions.validate(token)).toBeNull();
  });

  it('refuses malformed and unknown tokens', async () => {
    expect(await sessions.validate('')).toBeNull();
    expect(await sessions.validate('x'.repeat(43))).toBeNull();
    expect(await sessions.validate('not a token; DROP TABLE sessions')).toBeNull();
  });

  it('revokes one session on logout, all of a user on password change', async () => {
    const a = (await sessions.create(1)).token;
    const b = (await sessions.create(1)).token;
    const c = (await sessions.create(2)).token;
    expect(await sessions.revoke(a)).toBe(true);
    expect(await sessions.revoke(a)).toBe(false);
    expect(await sessions.validate(a)).toBeNull();
    expect(await sessions.validate(b)).not.toBeNull();
    expect(await sessions.listForUser(1)).toHaveLength(1);
    expect(await sessions.revokeUser(1)).toBe(1);
    expect(await sessions.validate(b)).toBeNull();
    expect(await sessions.validate(c)).not.toBeNull();
  });

  it('prunes expired sessions', async () => {
    await sessions.create(1);
    t = 4 * H;
    await sessions.create(2);
    t = 9 * H;
    expect(await sessions.prune()).toBe(1);
    expect(await sessions.listForUser(2)).toHaveLength(1);
  });

  it('a session lives on across a restart (another connection to the same database)', async () => {
    const { token } = await sessions.create(3);
    const other = await opened.reopen();
    try {
      expect(await new SessionStore(other.db, {}, () => t).validate(token)).toMatchObject({ userId: 3 });
    } finally {
      await other.close();
    }
  });
});
