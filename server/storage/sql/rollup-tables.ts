/**
 * The reports' hourly rollup table and its migrations (issue 20): one row per source and local hour,
 * the entry encoded as versioned JSON (storage/hourly-rollup.ts). It lives in `reports.db` in the data
 * directory, or in the PostgreSQL database of DATABASE_URL, with its own migration history
 * (`rollup_migrations`). Only Kysely's schema builder and portable types. The table of the versions
 * before (`report_hours`, written without migrations) is dropped: its hours are computed again.
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface RollupHourRow {
  mn: string;
  /** Epoch ms of the start of the local hour. */
  hour: number;
  data: string;
}

export interface RollupTables {
  rollup_hours: RollupHourRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropTable('report_hours').ifExists().execute();
    await db.schema
      .createTable('rollup_hours')
      .addColumn('mn', 'text', (c) => c.notNull())
      .addColumn('hour', 'bigint', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('rollup_hours_pk', ['mn', 'hour'])
      .execute();
    await db.schema.createIndex('rollup_hours_by_hour').on('rollup_hours').column('hour').execute();
  },
};

export const ROLLUP_MIGRATIONS: MigrationList = { store: 'rollup', migrations: { '0001-rollup-hours': init } };
