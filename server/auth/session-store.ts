/**
 * Server-side sessions. The browser holds an opaque random token (32 bytes, base64url) in the
 * `o3s_session` cookie; the database holds only its SHA-256, so a leaked database copy cannot be
 * replayed. A session ends after `idleMs` without use (default 8 h), after `lifetimeMs` in any
 * case (default 7 d), on logout, and for all of a user's sessions on a password change, disable or
 * role change. In the auth database through Kysely (SQLite or PostgreSQL): `validate`, run on every
 * REST request and socket handshake, is one primary-key lookup, plus a write at most every
 * `touchEveryMs` per session.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../storage/sql/migrate';
import { SESSION_MIGRATIONS, type AuthTables } from './auth-tables';

export interface SessionOptions {
  idleMs: number;
  lifetimeMs: number;
  /** `last_seen_at` is written at most this often per session (saves a write per request). */
  touchEveryMs: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { idleMs: 8 * 3_600_000, lifetimeMs: 7 * 86_400_000, touchEveryMs: 60_000 };

export interface Session {
  /** SHA-256 of the token, hex: a stable id for logs and audit that is not the secret. */
  id: string;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
  /** The instant it ends if not used again (the earlier of idle and absolute expiry). */
  expiresAt: number;
}

export interface NewSessionMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

interface SessionFields {
  token_hash: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
}

const COLUMNS = ['token_hash', 'user_id', 'created_at', 'last_seen_at'] as const;

/** Integers as numbers whatever the driver hands back. */
const numeric = (r: SessionFields): SessionFields => ({
  token_hash: r.token_hash,
  user_id: Number(r.user_id),
  created_at: Number(r.created_at),
  last_seen_at: Number(r.last_seen_at),
});

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export class SessionStore {
  readonly options: SessionOptions;

  constructor(
    private readonly db: Kysely<AuthTables>,
    options: Partial<SessionOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_SESSION_OPTIONS, ...options };
  }

  /** Brings the sessions table up to date (adopting one made by the hand-written SQL of earlier versions). */
  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, SESSION_MIGRATIONS);
  }

  /** A new session for the user: returns the token (to set in the cookie, never stored) and the session. */
  async create(userId: number, meta: NewSessionMeta = {}): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const at = this.now();
    const id = hashToken(token);
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: id,
        user_id: userId,
        created_at: at,
        last_seen_at: at,
        ip: meta.ip ?? null,
        user_agent: meta.userAgent?.slice(0, 256) ?? null,
      })
      .execute();
    return { token, session: this.toSession({ token_hash: id, user_id: userId, created_at: at, last_seen_at: at }) };
  }

  /** The live session of a token, refreshing its idle timer; null when unknown, expired or revoked. */
  async validate(token: string): Promise<Session | null> {
    if (!TOKEN_RE.test(token)) return null;
    const id = hashToken(token);
    const found = await this.db.selectFrom('sessions').select(COLUMNS).where('token_hash', '=', id).executeTakeFirst();
    if (!found) return null;
    const row = numeric(found);
    const at = this.now();
    if (this.expired(row, at)) {
      await this.db.deleteFrom('sessions').where('token_hash', '=', id).execute();
      return null;
    }
    if (at - row.last_seen_at >= this.options.touchEveryMs) {
      await this.db.updateTable('sessions').set({ last_seen_at: at }).where('token_hash', '=', id).execute();
      row.last_seen_at = at;
    }
    return this.toSession(row);
  }

  /** Logout. */
  async revoke(token: string): Promise<boolean> {
    const r = await this.db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** Every session of a user (password change, disable, role change); returns how many ended. */
  async revokeUser(userId: number): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async listForUser(userId: number): Promise<Session[]> {
    const rows = await this.db.selectFrom('sessions').select(COLUMNS).where('user_id', '=', userId).orderBy('created_at').execute();
    const at = this.now();
    return rows
      .map(numeric)
      .filter((r) => !this.expired(r, at))
      .map((r) => this.toSession(r));
  }

  /** Deletes expired sessions; call hourly. Returns how many. */
  async prune(): Promise<number> {
    const at = this.now();
    const r = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('last_seen_at', '<=', at - this.options.idleMs), eb('created_at', '<=', at - this.options.lifetimeMs)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  private expired(r: SessionFields, at: number): boolean {
    return at - r.last_seen_at >= this.options.idleMs || at - r.created_at >= this.options.lifetimeMs;
  }

  private toSession(r: SessionFields): Session {
    return {
      id: r.token_hash,
      userId: r.user_id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: Math.min(r.last_seen_at + this.options.idleMs, r.created_at + this.options.lifetimeMs),
    };
  }
}
