/**
 * Known-good clients of a sign-in door: the (username, address) pairs that signed in successfully
 * within `rememberMs`. The login guard never throttles them for failures made by others (an address
 * spraying many usernames, or many addresses guessing one username). Kept in the auth database (auth.db or PostgreSQL), one
 * row per door, username and address, at most `maxPerUsername` addresses per username (the oldest
 * go first), so a restart does not forget which address a logger always connects from.
 */
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../storage/sql/migrate';
import { KNOWN_CLIENT_MIGRATIONS, type AuthTables } from './auth-tables';

/** Async: the SQL store answers from the database (shared by every process of a cluster). */
export interface KnownClients {
  isKnown(username: string, ip: string): Promise<boolean>;
  remember(username: string, ip: string): Promise<void>;
  /** Forgets every address of a username (its password was reset). */
  forget(username: string): Promise<void>;
  /** Forgets pairs unused for `rememberMs`; returns how many. */
  prune(): Promise<number>;
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

  async isKnown(username: string, ip: string): Promise<boolean> {
    const at = this.byUser.get(norm(username))?.get(ip);
    return at !== undefined && this.now() - at < this.options.rememberMs;
  }

  async remember(username: string, ip: string): Promise<void> {
    const key = norm(username);
    let ips = this.byUser.get(key);
    if (!ips) {
      if (this.byUser.size >= this.maxUsernames) this.pruneNow();
      if (this.byUser.size >= this.maxUsernames) return; // full of live pairs: this one is simply not remembered
      ips = new Map();
      this.byUser.set(key, ips);
    }
    ips.delete(ip); // re-insert: Map order is then oldest first
    ips.set(ip, this.now());
    while (ips.size > this.options.maxPerUsername) ips.delete(ips.keys().next().value as string);
  }

  async forget(username: string): Promise<void> {
    this.byUser.delete(norm(username));
  }

  async prune(): Promise<number> {
    return this.pruneNow();
  }

  private pruneNow(): number {
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

/** In the auth database through Kysely (SQLite or PostgreSQL). */
export class SqlKnownClients implements KnownClients {
  private readonly options: KnownClientsOptions;

  /** `door`: which sign-in these pairs are good for (`web`, `mqtt`). */
  constructor(
    private readonly db: Kysely<AuthTables>,
    private readonly door: string,
    options: Partial<KnownClientsOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_KNOWN_CLIENTS, ...options };
  }

  /** Brings the table up to date (adopting one made by the hand-written SQL of earlier versions). */
  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, KNOWN_CLIENT_MIGRATIONS);
  }

  async isKnown(username: string, ip: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('known_clients')
      .select('last_success_at')
      .where('door', '=', this.door)
      .where('username', '=', norm(username))
      .where('ip', '=', ip)
      .executeTakeFirst();
    return row !== undefined && this.now() - Number(row.last_success_at) < this.options.rememberMs;
  }

  async remember(username: string, ip: string): Promise<void> {
    const user = norm(username);
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('known_clients')
        .values({ door: this.door, username: user, ip, last_success_at: at })
        .onConflict((oc) => oc.columns(['door', 'username', 'ip']).doUpdateSet({ last_success_at: at }))
        .execute();
      // At most maxPerUsername addresses per username: the oldest go first.
      await trx
        .deleteFrom('known_clients')
        .where('door', '=', this.door)
        .where('username', '=', user)
        .where('ip', 'not in', (eb) =>
          eb
            .selectFrom('known_clients')
            .select('ip')
            .where('door', '=', this.door)
            .where('username', '=', user)
            .orderBy('last_success_at', 'desc')
            .limit(this.options.maxPerUsername),
        )
        .execute();
    });
  }

  async forget(username: string): Promise<void> {
    await this.db.deleteFrom('known_clients').where('door', '=', this.door).where('username', '=', norm(username)).execute();
  }

  async prune(): Promise<number> {
    const cutoff = this.now() - this.options.rememberMs;
    const r = await this.db
      .deleteFrom('known_clients')
      .where('door', '=', this.door)
      .where('last_success_at', '<=', cutoff)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
