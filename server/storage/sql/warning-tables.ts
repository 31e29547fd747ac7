/**
 * The warnings' tables and their migrations (issue 17): one row per warning and one per entry of its
 * history. They live in the registry's database file with their own migration history
 * (`warnings_migrations`), so they move to PostgreSQL with it (issue 15). Only Kysely's schema
 * builder and portable types: times are bigint epoch ms, the districts a JSON array in text, ids
 * are given by the store (no dialect's auto-increment).
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface WarningRow {
  id: number;
  kind: string;
  level: string;
  basis: string;
  /** JSON array of district names. */
  districts: string;
  issued_by: string;
  issued_at: number;
  start_at: number;
  planned_lift_at: number | null;
  lifted_at: number | null;
  lifted_by: string | null;
  status: string;
  note: string | null;
  version: number;
}

export interface WarningHistoryRow {
  warning_id: number;
  /** 1, 2, … per warning. */
  seq: number;
  at: number;
  by: string;
  event: string;
  from_level: string | null;
  to_level: string | null;
  note: string | null;
}

/** A pre-notice (预通知, issue 17 item 3). */
export interface PreNoticeRow {
  id: number;
  /** JSON array of district names. */
  districts: string;
  level: string;
  from_date: string;
  to_date: string;
  message: string;
  issued_by: string;
  issued_at: number;
  /** JSON FrequentWarningOutlook at issue time, or null. */
  outlook: string | null;
}

/** An enterprise a warning's notice or a pre-notice went to, and its acknowledgement (已知悉). */
export interface NoticeRecipientRow {
  /** `warning` or `pre_notice`. */
  notice_kind: string;
  notice_id: number;
  enterprise_id: string;
  name: string;
  district: string;
  industry_code: string | null;
  industry_name: string | null;
  notified_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
}

export interface WarningTables {
  warnings: WarningRow;
  warning_history: WarningHistoryRow;
  pre_notices: PreNoticeRow;
  notice_recipients: NoticeRecipientRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('warnings')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('basis', 'text', (c) => c.notNull())
      .addColumn('districts', 'text', (c) => c.notNull())
      .addColumn('issued_by', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'bigint', (c) => c.notNull())
      .addColumn('start_at', 'bigint', (c) => c.notNull())
      .addColumn('planned_lift_at', 'bigint')
      .addColumn('lifted_at', 'bigint')
      .addColumn('lifted_by', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('warnings_status').on('warnings').column('status').execute();
    await db.schema
      .createTable('warning_history')
      .addColumn('warning_id', 'integer', (c) => c.notNull().references('warnings.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('by', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('from_level', 'text')
      .addColumn('to_level', 'text')
      .addColumn('note', 'text')
      .addPrimaryKeyConstraint('warning_history_pk', ['warning_id', 'seq'])
      .execute();
  },
};

/** Pre-notices and the recipients of warning notices and pre-notices, with their acknowledgements. */
const notices: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('pre_notices')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('districts', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('from_date', 'text', (c) => c.notNull())
      .addColumn('to_date', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('issued_by', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'bigint', (c) => c.notNull())
      .addColumn('outlook', 'text')
      .execute();
    await db.schema
      .createTable('notice_recipients')
      .addColumn('notice_kind', 'text', (c) => c.notNull())
      .addColumn('notice_id', 'integer', (c) => c.notNull())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('district', 'text', (c) => c.notNull())
      .addColumn('industry_code', 'text')
      .addColumn('industry_name', 'text')
      .addColumn('notified_at', 'bigint', (c) => c.notNull())
      .addColumn('acknowledged_at', 'bigint')
      .addColumn('acknowledged_by', 'text')
      .addPrimaryKeyConstraint('notice_recipients_pk', ['notice_kind', 'notice_id', 'enterprise_id'])
      .execute();
    await db.schema.createIndex('notice_recipients_enterprise').on('notice_recipients').column('enterprise_id').execute();
  },
};

export const WARNING_MIGRATIONS: MigrationList = {
  store: 'warnings',
  migrations: { '0001-warnings': init, '0002-notices': notices },
};
