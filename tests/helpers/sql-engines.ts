/**
 * The SQL engines a store's contract suite runs against (issue 15): SQLite (a file in a temp dir)
 * and PostgreSQL (a fresh database of its own on the run's server, tests/helpers/global-setup.ts),
 * so tests stay independent and parallel-safe. Use it in the `integration` project (tests/**), where
 * the global setup runs:
 *
 *   describe.each(sqlEngines())('RegistryStore on $name', (engine) => { … await engine.create() … });
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openSqlDatabase, type SqlDatabase, type SqlDialect } from '../../server/storage/sql/database';

export interface FreshDatabase {
  /** What the stores open: the SQLite file's path or the PostgreSQL database's URL. */
  location: string;
  /** Another connection to it (a second process, or a test reaching behind the store). */
  open<Tables>(): SqlDatabase<Tables>;
  /** Removes it (the file, or DROP DATABASE … WITH (FORCE)). */
  remove(): Promise<void>;
}

export interface SqlEngine {
  name: SqlDialect;
  /** A fresh, empty database of this engine. */
  create(): Promise<FreshDatabase>;
}

/** A database of its own on the run's PostgreSQL server (`pgUrl`): its URL, and how to drop it. */
export async function freshPgDatabase(serverUrl: string = inject('pgUrl')): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `t_${randomBytes(8).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  // FILE_COPY: copies the template's files and checkpoints (cheap with fsync off) instead of writing
  // them through the WAL — faster here.
  await admin(`CREATE DATABASE ${name} STRATEGY FILE_COPY`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const sqlite: SqlEngine = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'o3-sql-'));
    const location = join(dir, 'store.db');
    return {
      location,
      open: <Tables>() => openSqlDatabase<Tables>(location),
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgres: SqlEngine = {
  name: 'postgres',
  async create() {
    const { url, drop } = await freshPgDatabase();
    return { location: url, open: <Tables>() => openSqlDatabase<Tables>(url), remove: drop };
  },
};

export const sqlEngines = (): SqlEngine[] => [sqlite, postgres];
