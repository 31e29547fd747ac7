/**
 * The engines the identity stores' contract suites run on (issue 15): a fresh, migrated auth
 * database on each engine of tests/helpers/sql-engines.ts — a SQLite file in a temp dir, and a
 * PostgreSQL database of its own on the run's server — closed and removed again after the test.
 * Use it in the `integration` project (tests/integration/stores), where the global setup runs:
 *
 *   describe.each(authEngines())('SessionStore on $name', (engine) => { … opened = await engine.open() … });
 */
import type { Kysely } from 'kysely';
import { openAuthDatabase } from '../../server/auth/auth-database';
import type { AuthTables } from '../../server/auth/auth-tables';
import type { SqlDialect } from '../../server/storage/sql/database';
import { sqlEngines } from './sql-engines';

export interface OpenedAuthDb {
  db: Kysely<AuthTables>;
  /** Where it is: the SQLite file's path or the PostgreSQL database's URL. */
  location: string;
  /** Another connection to the same database (a second process, or a restart). */
  reopen(): Promise<{ db: Kysely<AuthTables>; close(): Promise<void> }>;
  close(): Promise<void>;
}

export interface AuthEngine {
  name: SqlDialect;
  open(): Promise<OpenedAuthDb>;
}

export const authEngines = (): AuthEngine[] =>
  sqlEngines().map((engine) => ({
    name: engine.name,
    async open() {
      const fresh = await engine.create();
      const { db, close } = await openAuthDatabase(fresh.location).catch(async (err: unknown) => {
        await fresh.remove();
        throw err;
      });
      return {
        db,
        location: fresh.location,
        reopen: () => openAuthDatabase(fresh.location),
        async close() {
          await close();
          await fresh.remove();
        },
      };
    },
  }));
