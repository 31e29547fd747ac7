/**
 * The typed query builder every state store moves to (issue 14), on either engine (issue 15): a
 * SQLite file (better-sqlite3, the embedded default) or a PostgreSQL database (node-postgres Pool),
 * behind the same `Kysely<Tables>`. The stores and their migrations speak Kysely only (schema
 * builder, portable types, no engine-only SQL), so they run unchanged on both; the contract suites
 * in tests/integration/stores run each store against both.
 *
 * A store's location is one string: a `postgres://` (or `postgresql://`) URL, or a file path.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';
import pg from 'pg';
import { openSqlite, type SqliteOpenOptions } from '../embedded/sqlite-open';

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

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * Is this a PostgreSQL database? Only where the engines need different words: an auto-assigned key
 * (SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`, ids never reused, as before; PostgreSQL `serial`) and
 * row locks (`FOR UPDATE`, which SQLite has no need of: it has one writer at a time).
 */
export const onPostgres = (db: Kysely<unknown>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

export interface SqlDatabase<Tables> {
  db: Kysely<Tables>;
  /** Which engine is behind it (for logs and engine-specific tests; the stores do not branch on it). */
  dialect: SqlDialect;
  close(): Promise<void>;
}

/**
 * SQLite refused a write because another connection (another process) is writing the same file at
 * this moment (SQLITE_BUSY: its busy timeout ran out, or a transaction that read before the other's
 * write cannot upgrade). A store whose writes check versions reports it as a conflict: reload, retry.
 */
export const isWriterBusy = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' && err.code.startsWith('SQLITE_BUSY');

/** A unique (or primary key) constraint refused a row: PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY. */
export const isUniqueViolation = (err: unknown): boolean =>
  typeof err === 'object' &&
  err !== null &&
  'code' in err &&
  (err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');

/** A PostgreSQL URL (anything else is a SQLite file path). */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** The location for logs and messages: a URL's password masked. */
export function describeLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** Where the stores live: the data dir, and the PostgreSQL database (`database.url`, DATABASE_URL) when one is set. */
export interface StoreLocations {
  dataDir: string;
  database?: { url: string };
}

/**
 * Where the registry's database is (the registry, the notification targets and the warnings share
 * it): the PostgreSQL URL `database.url` (DATABASE_URL) when set, else `<dataDir>/registry.db`.
 */
export const registryDatabase = (config: StoreLocations): string => config.database?.url || join(config.dataDir, 'registry.db');

/**
 * Where the alert state is (alerts and their history, silences, maintenance windows, the outbox):
 * the PostgreSQL database when `database.url` is set, else `<dataDir>/state.db` (a state.db of the
 * hand-written store before issue 15 is adopted as it is).
 */
export const alertStateDatabase = (config: StoreLocations): string => config.database?.url || join(config.dataDir, 'state.db');

/**
 * Where the raw HJ 212 frames are (server/storage/sql/raw-frame-archive.ts): the PostgreSQL database
 * when `database.url` is set — so every process of a cluster (gateways, ingest workers, web) archives
 * into and reads from one table — else a SQLite file of their own, `<dataDir>/raw-frames.db` (the
 * blobs written apart from the state).
 */
export const rawArchiveDatabase = (config: StoreLocations): string => config.database?.url || join(config.dataDir, 'raw-frames.db');

/** Where the reports' hourly rollup is: the PostgreSQL database when `database.url` is set, else `<dataDir>/reports.db`. */
export const reportsDatabase = (config: StoreLocations): string => config.database?.url || join(config.dataDir, 'reports.db');

/**
 * Where the identity stores' database is (users, sessions, audit, known clients and API tokens share
 * it): the same PostgreSQL database when `database.url` is set — so several web processes share
 * sign-ins — else `<dataDir>/auth.db`.
 */
export const authDatabase = (config: StoreLocations): string => config.database?.url || join(config.dataDir, 'auth.db');

/**
 * PostgreSQL's `bigint` (int8: the epoch-millisecond columns) comes back as a number, like SQLite's
 * integers: node-postgres gives a string by default, to be safe beyond 2^53, which epoch ms never reach.
 */
const INT8 = 20;
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function openPostgres<Tables>(url: string, readOnly: boolean): SqlDatabase<Tables> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes,
    application_name: 'o3-sentinel',
    // A command-line tool reading beside the server: the session refuses every write.
    ...(readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle client losing its connection (the server restarted) must not crash the process: the
  // pool drops it and the next query opens a new one.
  pool.on('error', () => undefined);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * Opens a store's database: a PostgreSQL URL (a pool of connections, opened lazily: an unreachable
 * server fails the first query, the migrations) or a SQLite file, created if need be (WAL, a busy
 * timeout, foreign keys on; `sqlite` options for a store that writes often).
 */
export function openSqlDatabase<Tables>(location: string, sqlite: SqliteOpenOptions = {}): SqlDatabase<Tables> {
  if (isPostgresUrl(location)) return openPostgres<Tables>(location, false);
  const file = openSqlite(location, sqlite);
  file.pragma('foreign_keys = ON');
  const db = new Kysely<Tables>({ dialect: new TransactionalDdlSqliteDialect({ database: file }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * Opens a store's database read-only (a command-line tool reading a store the server may be
 * writing at the same moment: WAL lets SQLite read the last commit; PostgreSQL sessions are
 * read-only). Throws when a SQLite file does not exist.
 */
export function openSqlDatabaseReadOnly<Tables>(location: string): SqlDatabase<Tables> {
  if (isPostgresUrl(location)) return openPostgres<Tables>(location, true);
  const sqlite = new Database(location, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Tables>({ dialect: new TransactionalDdlSqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
