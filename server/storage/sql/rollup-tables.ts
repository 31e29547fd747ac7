/**
 * The reports' hourly rollup table and its migrations (issue 20): one row per source and local hour,
 * the entry encoded as versioned JSON (storage/hourly-rollup.ts). It lives in `reports.db` in the data
 * directory, or in the PostgreSQL database of DATABASE_URL, with its own migration history
 * (`rollup_migrations`). Only Kysely's schema builder and portable types. The table of the versions
 * before (`report_hours`, written without migrations) is dropped: its hours are computed again.
 *
 * 0002: a day that has closed is kept as one row per source-day (`rollup_days`, its hours packed:
 * storage/rollup-day.ts), so a day report of every source reads one row per source. The hours of
 * the day still open stay in `rollup_hours`; the rollup moves them into `rollup_days` as the day
 * closes (and, at start, the hours of every closed day left there, those of older versions too).
 *
 * 0003: a closed day's report figures per source (`rollup_day_figures`: the daily report's counts
 * under the limits in force, so a page of a 20,000-source day reads small rows, not every packed
 * day). A row is removed whenever its source-day's packed row is written again.
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface RollupHourRow {
  mn: string;
  /** Epoch ms of the start of the local hour. */
  hour: number;
  data: string;
}

export interface RollupDayRow {
  mn: string;
  /** Epoch ms of the start of the local day. */
  day: number;
  /** Epoch ms of the start of its latest hour (where a restart resumes). */
  last_hour: number;
  /** The day's hours, packed (storage/rollup-day.ts). */
  data: Uint8Array;
}

export interface RollupDayFiguresRow {
  mn: string;
  day: number;
  /** What the figures were computed under (the source's limits and validity counts). */
  basis: string;
  /** The figures (server/reports/day-figures.ts), as JSON. */
  data: string;
}

export interface RollupTables {
  rollup_hours: RollupHourRow;
  rollup_days: RollupDayRow;
  rollup_day_figures: RollupDayFiguresRow;
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

const days: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('rollup_days')
      .addColumn('mn', 'text', (c) => c.notNull())
      .addColumn('day', 'bigint', (c) => c.notNull())
      .addColumn('last_hour', 'bigint', (c) => c.notNull())
      // bytea: PostgreSQL's binary type; SQLite keeps the bytes as a blob under that name.
      .addColumn('data', 'bytea', (c) => c.notNull())
      .addPrimaryKeyConstraint('rollup_days_pk', ['mn', 'day'])
      .execute();
    await db.schema.createIndex('rollup_days_by_day').on('rollup_days').column('day').execute();
  },
};

const figures: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('rollup_day_figures')
      .addColumn('mn', 'text', (c) => c.notNull())
      .addColumn('day', 'bigint', (c) => c.notNull())
      .addColumn('basis', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('rollup_day_figures_pk', ['mn', 'day'])
      .execute();
    await db.schema.createIndex('rollup_day_figures_by_day').on('rollup_day_figures').column('day').execute();
  },
};

export const ROLLUP_MIGRATIONS: MigrationList = {
  store: 'rollup',
  migrations: { '0001-rollup-hours': init, '0002-rollup-days': days, '0003-rollup-day-figures': figures },
};
