/**
 * Opens (creating) a SQLite file the way every store of the product does: write-ahead log, so
 * readers never wait for the writer, and a 5 s busy timeout when another connection (a second
 * store on the same file, `npm run users`) holds the write lock.
 */
import Database from 'better-sqlite3';

export interface SqliteOpenOptions {
  /**
   * `NORMAL` for the stores that write often (readings, hourly rollups, raw frames): with WAL a
   * crash keeps the file consistent but may lose the last commits. Default: SQLite's `FULL`.
   */
  synchronous?: 'NORMAL';
}

export function openSqlite(file: string, options: SqliteOpenOptions = {}): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // better-sqlite3's own default (its `timeout` option), set here so every store says it.
  db.pragma('busy_timeout = 5000');
  if (options.synchronous) db.pragma(`synchronous = ${options.synchronous}`);
  return db;
}
