/** The auth stores share one SQLite database (e.g. `{dataDir}/auth.db`) or each open their own. */
import Database from 'better-sqlite3';

export type DbInput = string | Database.Database;

export interface OpenedDb {
  db: Database.Database;
  /** Closes the database only when this store opened it from a path. */
  close(): void;
}

export function openDb(input: DbInput): OpenedDb {
  if (typeof input !== 'string') return { db: input, close: () => {} };
  const db = new Database(input);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return { db, close: () => db.close() };
}
