/**
 * The engines the identity stores' contract suites run on (issue 15): each opener gives a fresh,
 * migrated auth database and closes (and removes) it again. Today SQLite (a file in a temp dir);
 * PostgreSQL joins this list with the harness's server, and every suite written as
 * `describe.each(authEngines())(…, ({ open }) => …)` runs on it unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openAuthDatabase } from '../../server/auth/auth-database';
import type { AuthTables } from '../../server/auth/auth-tables';

export interface OpenedAuthDb {
  db: Kysely<AuthTables>;
  /** Another connection to the same database (a second process, or a restart). */
  reopen(): Promise<{ db: Kysely<AuthTables>; close(): Promise<void> }>;
  close(): Promise<void>;
}

export interface AuthEngine {
  name: string;
  open(): Promise<OpenedAuthDb>;
}

const sqlite: AuthEngine = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'o3-auth-'));
    const file = join(dir, 'auth.db');
    const { db, close } = await openAuthDatabase(file);
    return {
      db,
      reopen: () => openAuthDatabase(file),
      async close() {
        await close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const authEngines = (): AuthEngine[] => [sqlite];
