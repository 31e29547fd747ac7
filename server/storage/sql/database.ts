/**
 * The typed query builder every state store moves to (issue 14; PostgreSQL joins in issue 15):
 * one Kysely database per store file. Today the dialect is SQLite over better-sqlite3 (the
 * embedded default); a PostgreSQL dialect slots in here, behind the same `Kysely<Tables>`, because
 * the stores and their migrations speak Kysely only (schema builder, no SQLite-only SQL).
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../embedded/sqlite-open';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';

/** SQLite runs DDL inside transactions; Kysely's adapter says it does not, so a failed migration would stay half-applied. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalDdlSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

export interface SqlDatabase<Tables> {
  db: Kysely<Tables>;
  /** Which engine is behind it (for logs; migrations pick portable types anyway). */
  dialect: 'sqlite';
  close(): Promise<void>;
}

/** Opens (creating it if need be) a SQLite file as a Kysely database: WAL, a busy timeout, foreign keys on. */
export function openSqlDatabase<Tables>(file: string): SqlDatabase<Tables> {
  const sqlite = openSqlite(file);
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Tables>({ dialect: new TransactionalDdlSqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * Opens an existing SQLite file read-only (a command-line tool reading a store the server may be
 * writing at the same moment: WAL lets it read the last commit). Throws when the file does not exist.
 */
export function openSqlDatabaseReadOnly<Tables>(file: string): SqlDatabase<Tables> {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Tables>({ dialect: new TransactionalDdlSqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
