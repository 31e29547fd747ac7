/**
 * Known-good clients of a sign-in door: the (username, address) pairs that signed in successfully
 * within `rememberMs`. The login guard never throttles them for failures made by others (an address
 * spraying many usernames, or many addresses guessing one username). Kept in SQLite (auth.db), one
 * row per door, username and address, at most `maxPerUsername` addresses per username (the oldest
 * go first), so a restart does not forget which address a logger always connects from.
 */
import type Database from 'better-sqlite3';
import { openDb, type DbInput, type OpenedDb } from './sqlite';

export interface KnownClients {
  isKnown(username: string, ip: string): boolean;
  remember(username: string, ip: string): void;
  /** Forgets every address of a username (its password was reset). */
  forget(username: string): void;
  /** Forgets pairs unused for `rememberMs`; returns how many. */
  prune(): number;
}

export interface KnownClientsOptions {
  rememberMs: number;
  maxPerUsername: number;
}

export const DEFAULT_KNOWN_CLIENTS: KnownClientsOptions = { rememberMs: 90 * 86_400_000, maxPerUsername: 20 };

const norm = (username: string): string => username.trim().toLowerCase();

/** In memory (tests, and a guard built without a database). Bounded like the SQLite one, plus `maxUsernames`. */
export class MemoryKnownClients implements KnownClients {
  private readonly byUser = new Map<string, Map<string, number>>();
  private readonly options: KnownClientsOptions;

  constructor(
    options: Partial<KnownClientsOptions> = {},
    private readonly now: () => number = Date.now,
    private readonly maxUsernames = 100_000,
  ) {
    this.options = { ...DEFAULT_KNOWN_CLIENTS, ...options };
  }

  isKnown(username: string, ip: string): boolean {
    const at = this.byUser.get(norm(username))?.get(ip);
    return at !== undefined && this.now() - at < this.options.rememberMs;
  }

  remember(username: string, ip: string): void {
    const key = norm(username);
    let ips = this.byUser.get(key);
    if (!ips) {
      if (this.byUser.size >= this.maxUsernames) this.prune();
      if (this.byUser.size >= this.maxUsernames) return; // full of live pairs: this one is simply not remembered
      ips = new Map();
      this.byUser.set(key, ips);
    }
    ips.delete(ip); // re-insert: Map order is then oldest first
    ips.set(ip, this.now());
    while (ips.size > this.options.maxPerUsername) ips.delete(ips.keys().next().value as string);
  }

  forget(username: string): void {
    this.byUser.delete(norm(username));
  }

  prune(): number {
    const cutoff = this.now() - this.options.rememberMs;
    let n = 0;
    for (const [user, ips] of this.byUser) {
      for (const [ip, at] of ips) {
        if (at > cutoff) continue;
        ips.delete(ip);
        n++;
      }
      if (ips.size === 0) this.byUser.delete(user);
    }
    return n;
  }
}

export class SqliteKnownClients implements KnownClients {
  private readonly opened: OpenedDb;
  private readonly db: Database.Database;
  private readonly options: KnownClientsOptions;

  /** `door`: which sign-in these pairs are good for (`web`, `mqtt`). */
  constructor(
    input: DbInput,
    private readonly door: string,
    options: Partial<KnownClientsOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_KNOWN_CLIENTS, ...options };
    this.opened = openDb(input);
    this.db = this.opened.db;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS known_clients (
        door TEXT NOT NULL,
        username TEXT NOT NULL,
        ip TEXT NOT NULL,
        last_success_at INTEGER NOT NULL,
        PRIMARY KEY (door, username, ip)
      );`);
  }

  isKnown(username: string, ip: string): boolean {
    const row = this.db
      .prepare('SELECT last_success_at AS at FROM known_clients WHERE door = ? AND username = ? AND ip = ?')
      .get(this.door, norm(username), ip) as { at: number } | undefined;
    return row !== undefined && this.now() - row.at < this.options.rememberMs;
  }

  remember(username: string, ip: string): void {
    const user = norm(username);
    this.db
      .prepare(
        `INSERT INTO known_clients (door, username, ip, last_success_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET last_success_at = excluded.last_success_at`,
      )
      .run(this.door, user, ip, this.now());
    this.db
      .prepare(
        `DELETE FROM known_clients WHERE door = ? AND username = ? AND ip NOT IN
           (SELECT ip FROM known_clients WHERE door = ? AND username = ? ORDER BY last_success_at DESC LIMIT ?)`,
      )
      .run(this.door, user, this.door, user, this.options.maxPerUsername);
  }

  forget(username: string): void {
    this.db.prepare('DELETE FROM known_clients WHERE door = ? AND username = ?').run(this.door, norm(username));
  }

  prune(): number {
    const cutoff = this.now() - this.options.rememberMs;
    return this.db.prepare('DELETE FROM known_clients WHERE door = ? AND last_success_at <= ?').run(this.door, cutoff).changes;
  }

  close(): void {
    this.opened.close();
  }
}
