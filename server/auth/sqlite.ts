/** The auth stores share one SQLite database (e.g. `{dataDir}/auth.db`) or each open their own (openSqlite). */
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/embedded/sqlite-open';

export type DbInput = string | Database.Database;

export interface OpenedDb {
  db: Database.Database;
  /** Closes the database only when this store opened it from a path. */
  close(): void;
}

export function openDb(input: DbInput): OpenedDb {
  if (typeof input !== 'string') return { db: input, close: () => {} };
  const db = openSqlite(input);
  return { db, close: () => db.close() };
}
