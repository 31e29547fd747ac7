/**
 * The identity stores' database (issue 15): one Kysely database for users, sessions, audit and
 * known-good clients (and the API tokens, server/storage/sql/api-token-store.ts) — `{dataDir}/auth.db`
 * (SQLite, the embedded default), or the PostgreSQL database of `database.url` (DATABASE_URL) where
 * several web processes share the sessions: `authDatabase(config)` in server/storage/sql/database.ts
 * says which. Opening it brings every store's schema up to date (auth-tables.ts: each store its own
 * migration history).
 */
import type { Kysely } from 'kysely';
import { openSqlDatabase, type SqlDatabase } from '../storage/sql/database';
import { migrateToLatest } from '../storage/sql/migrate';
import { AUTH_MIGRATIONS, type AuthTables } from './auth-tables';

/** Runs every identity store's pending migrations; returns the names run, per store. */
export async function migrateAuth(db: Kysely<AuthTables>): Promise<Record<string, string[]>> {
  const ran: Record<string, string[]> = {};
  for (const list of AUTH_MIGRATIONS) ran[list.store] = await migrateToLatest(db as Kysely<unknown>, list);
  return ran;
}

/** Opens (creating it if need be) the auth database and migrates it; closes it again when a migration fails. */
export async function openAuthDatabase(location: string): Promise<SqlDatabase<AuthTables> & { migrated: Record<string, string[]> }> {
  const opened = openSqlDatabase<AuthTables>(location);
  try {
    return { ...opened, migrated: await migrateAuth(opened.db) };
  } catch (err) {
    await opened.close();
    throw err;
  }
}
