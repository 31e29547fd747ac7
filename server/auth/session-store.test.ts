import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { hashToken, SessionStore } from './session-store';

const H = 3_600_000;

describe('SessionStore', () => {
  let t: number;
  let db: Database.Database;
  let sessions: SessionStore;
  beforeEach(() => {
    t = 0;
    db = new Database(':memory:');
    sessions = new SessionStore(db, {}, () => t);
  });

  it('issues 32-byte random tokens and stores only their SHA-256', () => {
    const { token, session } = sessions.create(7, { ip: '10.0.0.1', userAgent: 'test' });
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(session).toEqual({ id: hashToken(token), userId: 7, createdAt: 0, lastSeenAt: 0, expiresAt: 8 * H });
    const stored = db.prepare('SELECT * FROM sessions').all() as Record<string, unknown>[];
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0]).toMatchObject({ token_hash: hashToken(token), user_id: 7, ip: '10.0.0.1' });
    expect(sessions.create(7).token).not.toBe(token);
  });

  it.each([
    // [description, use every (h), until (h), alive at the end]
    ['idle for 7.9 h', null, 7.9, true],
    ['idle for 8 h', null, 8, false],
    ['used every 4 h for 6.9 days', 4, 6.9 * 24, true],
    ['used every 4 h for 7 days', 4, 7 * 24, false],
  ])('%s → alive: %s', (_what, every, until, alive) => {
    const { token } = sessions.create(1);
    if (every !== null) {
      for (t = every * H; t < until * H; t += every * H) expect(sessions.validate(token)).not.toBeNull();
    }
    t = until * H;
    expect(sessions.validate(token) !== null).toBe(alive);
  });

  it('an expired session is deleted, not just refused', () => {
    const { token } = sessions.create(1);
    t = 9 * H;
    expect(sessions.validate(token)).toBeNull();
    t = 0;
    expect(sessions.validate(token)).toBeNull();
  });

  it('refuses malformed and unknown tokens', () => {
    expect(sessions.validate('')).toBeNull();
    expect(sessions.validate('x'.repeat(43))).toBeNull();
    expect(sessions.validate('not a token; DROP TABLE sessions')).toBeNull();
  });

  it('revokes one session on logout, all of a user on password change', () => {
    const a = sessions.create(1).token;
    const b = sessions.create(1).token;
    const c = sessions.create(2).token;
    expect(sessions.revoke(a)).toBe(true);
    expect(sessions.validate(a)).toBeNull();
    expect(sessions.validate(b)).not.toBeNull();
    expect(sessions.listForUser(1)).toHaveLength(1);
    expect(sessions.revokeUser(1)).toBe(1);
    expect(sessions.validate(b)).toBeNull();
    expect(sessions.validate(c)).not.toBeNull();
  });

  it('prunes expired sessions', () => {
    sessions.create(1);
    t = 4 * H;
    sessions.create(2);
    t = 9 * H;
    expect(sessions.prune()).toBe(1);
  });
});
