/**
 * The responses' tables and their migrations (issue 18): one row per response (its current plan as
 * JSON, its history, how far its hours were judged), one per enterprise's acknowledgement and one
 * per judged hour of a measure (the verification's record: restart-safe, the streaks fold from it).
 * In the registry's database with their own migration history (`responses_migrations`); only
 * Kysely's schema builder and portable types (times bigint epoch ms, JSON in text).
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface ResponseRow {
  id: number;
  warning_id: number;
  level: string;
  /** JSON array of district names. */
  districts: string;
  status: string;
  start_at: number;
  end_at: number | null;
  /** JSON: {enterprises: (EnterpriseResponse & {name})[], withoutList, city}. */
  plan: string;
  /** JSON array of ResponseHistoryEntry. */
  history: string;
  judged_until: number;
  version: number;
}

export interface ResponseAckRow {
  response_id: number;
  enterprise_id: string;
  username: string;
  at: number;
}

export interface ResponseHourRow {
  response_id: number;
  enterprise_id: string;
  entry_id: string;
  hour: number;
  level: string;
  verdict: string;
  /** JSON array of Check. */
  checks: string;
}

export interface ResponseTables {
  responses: ResponseRow;
  response_acks: ResponseAckRow;
  response_hours: ResponseHourRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('responses')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('warning_id', 'integer', (c) => c.notNull().unique())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('districts', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('start_at', 'bigint', (c) => c.notNull())
      .addColumn('end_at', 'bigint')
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('history', 'text', (c) => c.notNull())
      .addColumn('judged_until', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('responses_status').on('responses').column('status').execute();
    await db.schema
      .createTable('response_acks')
      .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('response_acks_pk', ['response_id', 'enterprise_id'])
      .execute();
    await db.schema
      .createTable('response_hours')
      .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('entry_id', 'text', (c) => c.notNull())
      .addColumn('hour', 'bigint', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('checks', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('response_hours_pk', ['response_id', 'enterprise_id', 'entry_id', 'hour'])
      .execute();
  },
};

export const RESPONSE_MIGRATIONS: MigrationList = { store: 'responses', migrations: { '0001-responses': init } };
