/**
 * The ozone control centre's store through Kysely (issue 15), in `state.db` or the cluster's
 * PostgreSQL database, with its own migration history (`control_migrations`): campaigns (the
 * campaign as JSON beside its state), their notices to enterprises, their final compliance, and
 * the forecasts. On SQLite the first migration adopts the tables of `state.db` as the hand-written
 * store left them (same names and columns; `IF NOT EXISTS`; the forecast's AQI and PM2.5 columns
 * added to a file older than them), so an upgrade keeps every campaign, notice and forecast.
 */
import type { Generated, Kysely, Migration } from 'kysely';
import { onPostgres } from './database';
import type { MigrationList } from './migrate';

export interface CampaignRow {
  id: Generated<number>;
  /** JSON of the campaign (its id included). */
  value: string;
  state: string;
  updated_at: number;
}

export interface CampaignNoticeRow {
  campaign_id: number;
  enterprise_id: string;
  sent_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  note: string | null;
}

export interface CampaignComplianceRow {
  campaign_id: number;
  /** JSON of the compliance. */
  value: string;
  computed_at: number;
}

export interface ForecastRow {
  date: string;
  o3_8h: number | null;
  iaqi: number;
  aqi: number | null;
  pm25: number | null;
  note: string | null;
  recorded_by: string;
  recorded_at: number;
}

export interface ControlTables {
  ozone_campaigns: CampaignRow;
  ozone_campaign_notices: CampaignNoticeRow;
  ozone_campaign_compliance: CampaignComplianceRow;
  ozone_forecasts: ForecastRow;
}

async function columnsOf(db: Kysely<unknown>, table: string): Promise<Set<string>> {
  const found = (await db.introspection.getTables()).find((t) => t.name === table);
  return new Set(found?.columns.map((c) => c.name) ?? []);
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    const pg = onPostgres(db);
    await db.schema
      .createTable('ozone_campaigns')
      .ifNotExists()
      .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('ozone_campaign_notices')
      .ifNotExists()
      .addColumn('campaign_id', 'integer', (c) => c.notNull())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'bigint', (c) => c.notNull())
      .addColumn('acknowledged_at', 'bigint')
      .addColumn('acknowledged_by', 'text')
      .addColumn('note', 'text')
      .addPrimaryKeyConstraint('ozone_campaign_notices_pk', ['campaign_id', 'enterprise_id'])
      .execute();
    await db.schema
      .createTable('ozone_campaign_compliance')
      .ifNotExists()
      .addColumn('campaign_id', 'integer', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('ozone_forecasts')
      .ifNotExists()
      .addColumn('date', 'text', (c) => c.primaryKey())
      .addColumn('o3_8h', 'double precision')
      .addColumn('iaqi', 'integer', (c) => c.notNull())
      .addColumn('aqi', 'integer')
      .addColumn('pm25', 'double precision')
      .addColumn('note', 'text')
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'bigint', (c) => c.notNull())
      .execute();
    // Issue 17 added the day AQI and PM2.5 of a forecast; a state.db older than that gains them.
    const forecasts = await columnsOf(db, 'ozone_forecasts');
    if (!forecasts.has('aqi')) await db.schema.alterTable('ozone_forecasts').addColumn('aqi', 'integer').execute();
    if (!forecasts.has('pm25')) await db.schema.alterTable('ozone_forecasts').addColumn('pm25', 'double precision').execute();
  },
};

export const CONTROL_MIGRATIONS: MigrationList = { store: 'control', migrations: { '0001-control': init } };
