/**
 * The emission-reduction lists' tables (issue 18) in the registry's database, with their own
 * migration history (`reduction_lists_migrations`): every filed version of an enterprise's list for
 * a year (the entries as JSON), the enterprise's acknowledgements (已阅知) of a version, and the
 * reminders sent (once per enterprise and year, from 1 August; migration 0002). Only Kysely's
 * schema builder and portable types: times are bigint epoch ms.
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface ReductionListRow {
  enterprise_id: string;
  year: number;
  /** 1, 2, … per enterprise and year. */
  version: number;
  /** JSON ReductionEntry[]. */
  entries: string;
  /** How many entries (the coverage report counts them without parsing every list). */
  entry_count: number;
  filed_by: string;
  filed_at: number;
}

export interface ReductionAckRow {
  enterprise_id: string;
  year: number;
  version: number;
  /** The enterprise user who acknowledged. */
  username: string;
  at: number;
}

/** A reminder that the year's list is due (sent once per enterprise and year). */
export interface ReductionReminderRow {
  enterprise_id: string;
  year: number;
  sent_at: number;
}

export interface ReductionListTables {
  reduction_lists: ReductionListRow;
  reduction_list_acks: ReductionAckRow;
  reduction_reminders: ReductionReminderRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('reduction_lists')
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('entries', 'text', (c) => c.notNull())
      .addColumn('entry_count', 'integer', (c) => c.notNull())
      .addColumn('filed_by', 'text', (c) => c.notNull())
      .addColumn('filed_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('reduction_lists_pk', ['enterprise_id', 'year', 'version'])
      .execute();
    await db.schema
      .createTable('reduction_list_acks')
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('reduction_list_acks_pk', ['enterprise_id', 'year', 'version', 'username'])
      .execute();
  },
};

const reminders: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('reduction_reminders')
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('sent_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('reduction_reminders_pk', ['enterprise_id', 'year'])
      .execute();
  },
};

export const REDUCTION_LIST_MIGRATIONS: MigrationList = {
  store: 'reduction_lists',
  migrations: { '0001-reduction-lists': init, '0002-reduction-reminders': reminders },
};
