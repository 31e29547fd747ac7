/**
 * Server-side sessions. The browser holds an opaque random token (32 bytes, base64url) in the
 * `o3s_session` cookie; the database holds only its SHA-256, so a leaked database copy cannot be
 * replayed. A session ends after `idleMs` without use (default 8 h), after `lifetimeMs` in any
 * case (default 7 d), on logout, and for all of a user's sessions on a password change, disable or
 * role change.
 */
import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openDb, type DbInput, type OpenedDb } from './sqlite';

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

interface SessionRow {
  token_hash: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export class SessionStore {
  private readonly opened: OpenedDb;
  private readonly db: Database.Database;
  readonly options: SessionOptions;

  constructor(
    input: DbInput,
    options: Partial<SessionOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_SESSION_OPTIONS, ...options };
    this.opened = openDb(input);
    this.db = this.opened.db;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        ip TEXT,
        user_agent TEXT
      );
      CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);`);
  }

  /** A new session for the user: returns the token (to set in the cookie, never stored) and the session. */
  create(userId: number, meta: NewSessionMeta = {}): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const at = this.now();
    const id = hashToken(token);
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, userId, at, at, meta.ip ?? null, meta.userAgent?.slice(0, 256) ?? null);
    return { token, session: this.toSession({ token_hash: id, user_id: userId, created_at: at, last_seen_at: at }) };
  }

  /** The live session of a token, refreshing its idle timer; null when unknown, expired or revoked. */
  validate(token: string): Session | null {
    if (!TOKEN_RE.test(token)) return null;
    const id = hashToken(token);
    const row = this.db.prepare('SELECT token_hash, user_id, created_at, last_seen_at FROM sessions WHERE token_hash = ?').get(id) as
      SessionRow | undefined;
    if (!row) return null;
    const at = this.now();
    if (this.expired(row, at)) {
      this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(id);
      return null;
    }
    if (at - row.last_seen_at >= this.options.touchEveryMs) {
      this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(at, id);
      row.last_seen_at = at;
    }
    return this.toSession(row);
  }

  /** Logout. */
  revoke(token: string): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token)).changes > 0;
  }

  /** Every session of a user (password change, disable, role change); returns how many ended. */
  revokeUser(userId: number): number {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  listForUser(userId: number): Session[] {
    const rows = this.db
      .prepare('SELECT token_hash, user_id, created_at, last_seen_at FROM sessions WHERE user_id = ? ORDER BY created_at')
      .all(userId) as SessionRow[];
    const at = this.now();
    return rows.filter((r) => !this.expired(r, at)).map((r) => this.toSession(r));
  }

  /** Deletes expired sessions; call hourly. Returns how many. */
  prune(): number {
    const at = this.now();
    return this.db
      .prepare('DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?')
      .run(at - this.options.idleMs, at - this.options.lifetimeMs).changes;
  }

  close(): void {
    this.opened.close();
  }

  private expired(r: SessionRow, at: number): boolean {
    return at - r.last_seen_at >= this.options.idleMs || at - r.created_at >= this.options.lifetimeMs;
  }

  private toSession(r: SessionRow): Session {
    return {
      id: r.token_hash,
      userId: r.user_id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: Math.min(r.last_seen_at + this.options.idleMs, r.created_at + this.options.lifetimeMs),
    };
  }
}
