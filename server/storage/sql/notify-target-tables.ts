/**
 * The notification targets' tables and their migrations (issue 14; issue 21 adds channels,
 * subscriptions and rosters as further migrations of this list). They live in the registry's
 * database file with their own migration history (`notify_migrations`), so they move to PostgreSQL
 * with it (issue 15). Only Kysely's schema builder and portable types: `enabled` is an integer 0/1.
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface NotifyTargetRow {
  id: string;
  /** Unique, shown to users. */
  name: string;
  /** 'webhook', 'email' or 'sms' (issue 21). */
  kind: string;
  /** Webhook body format: json | dingtalk | wecom (null for kinds without one). */
  format: string | null;
  /** The webhook URL, in clear (it is sent to): never returned by the API, masked in audit details. */
  url: string | null;
  enabled: number;
  /**
   * Since 0002 (issue 21): an email or SMS target's settings as JSON (recipients and an optional SMTP
   * server with its password in clear / phones, sign name, template code); null for webhooks.
   */
  settings: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

/** One row (id 1) once the targets were seeded from the config: later starts never seed again. */
export interface NotifyMetaRow {
  id: number;
  seeded_at: number;
}

export interface NotifyTables {
  notify_targets: NotifyTargetRow;
  notify_meta: NotifyMetaRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('notify_targets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('format', 'text')
      .addColumn('url', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('notify_meta')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seeded_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};

/** Issue 21: email and SMS targets keep their settings (JSON text) beside the webhook columns. */
const channelSettings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('notify_targets').addColumn('settings', 'text').execute();
  },
};

export const NOTIFY_MIGRATIONS: MigrationList = {
  store: 'notify',
  migrations: { '0001-notify-targets': init, '0002-notify-channel-settings': channelSettings },
};
