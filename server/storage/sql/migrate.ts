/**
 * Versioned migrations, one list per store: Kysely's Migrator with the migrations given in code
 * (no folder scan, so they bundle and typecheck with the store). Each store keeps its own history
 * table (`<store>_migrations` and its lock table), so several stores can share one database file
 * — or, in a cluster, one PostgreSQL database — without seeing each other's migrations.
 *
 * Migrations are append-only: a released one is never edited or reordered (Kysely refuses to run
 * when a recorded migration is missing from the list); names sort in order (`0001-…`, `0002-…`).
 */
import { Migrator, type Kysely, type Migration } from 'kysely';

export interface MigrationList {
  /** The store's name: its history lives in `<store>_migrations` (letters, digits, `_`). */
  store: string;
  migrations: Record<string, Migration>;
}

export class MigrationError extends Error {}

/** Runs every pending migration of the list, in name order; returns the names it ran (none when up to date). */
export async function migrateToLatest(db: Kysely<unknown>, list: MigrationList): Promise<string[]> {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(list.store)) throw new MigrationError(`bad store name "${list.store}"`);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => list.migrations },
    migrationTableName: `${list.store}_migrations`,
    migrationLockTableName: `${list.store}_migrations_lock`,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((r) => r.status === 'Error');
  if (error !== undefined) {
    const message = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`${list.store}: migration ${failed?.migrationName ?? '(none)'} failed: ${message}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
