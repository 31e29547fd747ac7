/**
 * The facility records' tables (issue 16 item 2): adsorbent replacements, the enterprises' yearly
 * start/stop plans, the start/stop events detected from production lines' running state, and what
 * the adsorbent rule keeps per facility (when it was first watched, the due date last raised). In
 * the registry's database with their own migration history (`facility_records_migrations`), so they
 * move to PostgreSQL with it. Only Kysely's schema builder and portable types: times are bigint
 * epoch ms, dates `YYYY-MM-DD` text, amounts integer grams, a plan's entries a JSON array in text.
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface AdsorbentReplacementRow {
  id: string;
  facility_id: string;
  enterprise_id: string;
  date: string;
  /** The amount in grams (kg × 1000, rounded): integers on both engines. */
  amount_g: number;
  note: string | null;
  logged_by: string;
  logged_at: number;
}

export interface StartStopPlanRow {
  enterprise_id: string;
  year: number;
  /** JSON array of PlanEntry (server/domain/facility-records.ts). */
  entries: string;
  filed_by: string;
  filed_at: number;
  updated_by: string;
  updated_at: number;
  version: number;
}

export interface StartStopEventRow {
  id: string;
  enterprise_id: string;
  facility_id: string;
  /** 'start' | 'stop'. */
  kind: string;
  at: number;
  in_season: number;
  planned: number;
}

export interface AdsorbentWatchRow {
  facility_id: string;
  /** Local date the adsorbent rule first watched the facility (its grace period counts from it). */
  first_seen: string;
  /** The due date an overdue alert was last raised for; null when none is raised. */
  raised_due: string | null;
}

export interface FacilityRecordTables {
  adsorbent_replacements: AdsorbentReplacementRow;
  start_stop_plans: StartStopPlanRow;
  start_stop_events: StartStopEventRow;
  adsorbent_watch: AdsorbentWatchRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('adsorbent_replacements')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('facility_id', 'text', (c) => c.notNull())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('amount_g', 'bigint', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('logged_by', 'text', (c) => c.notNull())
      .addColumn('logged_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('adsorbent_replacements_facility').on('adsorbent_replacements').columns(['facility_id', 'date']).execute();
    await db.schema
      .createTable('start_stop_plans')
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('entries', 'text', (c) => c.notNull())
      .addColumn('filed_by', 'text', (c) => c.notNull())
      .addColumn('filed_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('start_stop_plans_pk', ['enterprise_id', 'year'])
      .execute();
    await db.schema
      .createTable('start_stop_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('facility_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('in_season', 'integer', (c) => c.notNull())
      .addColumn('planned', 'integer', (c) => c.notNull())
      .addUniqueConstraint('start_stop_events_once', ['facility_id', 'kind', 'at'])
      .execute();
    await db.schema.createIndex('start_stop_events_enterprise').on('start_stop_events').columns(['enterprise_id', 'at']).execute();
    await db.schema
      .createTable('adsorbent_watch')
      .addColumn('facility_id', 'text', (c) => c.primaryKey())
      .addColumn('first_seen', 'text', (c) => c.notNull())
      .addColumn('raised_due', 'text')
      .execute();
  },
};

export const FACILITY_RECORD_MIGRATIONS: MigrationList = {
  store: 'facility_records',
  migrations: { '0001-facility-records': init },
};
