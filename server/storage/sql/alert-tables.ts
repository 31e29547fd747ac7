/**
 * The alert state through Kysely (issue 15: it moves to the typed query builder so a cluster can
 * keep it in PostgreSQL): alerts and their history, silences, maintenance windows and the
 * notification outbox (written in the transaction of the alert change that causes it), with their
 * own migration history (`alert_migrations`). On SQLite the first migration adopts the tables of
 * `state.db` as the hand-written store left them (same names, same columns; `IF NOT EXISTS`), so an
 * existing data dir keeps its alerts, silences, windows and undelivered notifications. Only the
 * schema builder and portable types; the one engine-specific word is the auto-numbered key (see
 * onPostgres).
 */
import { sql, type Generated, type Kysely, type Migration } from 'kysely';
import { onPostgres } from './database';
import type { MigrationList } from './migrate';

export interface AlertRow {
  id: Generated<number>;
  mn: string;
  enterprise_id: string;
  factor: string;
  rule: string;
  severity: string;
  state: string;
  value: number;
  peak: number;
  limit_value: number;
  unit: string;
  count: number;
  opened_at: number;
  last_seen_at: number;
  cleared_at: number | null;
  raised_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  assignee: string | null;
  escalated_at: number | null;
  closed_at: number | null;
  closed_by: string | null;
  /** Why it was recorded without being announced (a Suppression word), or null. */
  suppressed: string | null;
  /** JSON of the evidence, or null. */
  evidence: string | null;
  /** +1 on every write; a write names the version it read (a cluster's writers never overwrite each other). */
  version: number;
}

export interface AlertHistoryRow {
  id: Generated<number>;
  alert_id: number;
  mn: string;
  kind: string;
  at: number;
  actor: string;
  note: string | null;
  internal: number;
  /** JSON of the structured detail (null on rows written before it existed). */
  detail: string | null;
}

export interface SilenceRow {
  id: Generated<number>;
  mn: string | null;
  factor: string | null;
  rule: string | null;
  reason: string;
  created_by: string;
  created_at: number;
  ends_at: number;
}

export interface MaintenanceRow {
  id: Generated<number>;
  enterprise_id: string;
  mn: string | null;
  from_ts: number;
  to_ts: number;
  reason: string;
  declared_by: string;
  created_at: number;
  status: string;
  reviewed_by: string | null;
  reviewed_at: number | null;
  review_note: string | null;
  ended_by: string | null;
  ended_at: number | null;
}

export interface OutboxRow {
  id: Generated<number>;
  target: string;
  event: string;
  alert_id: number;
  body: string;
  created_at: number;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  delivered_at: number | null;
  abandoned_at: number | null;
  last_attempt_at: number | null;
}

export interface AlertTables {
  alerts: AlertRow;
  alert_history: AlertHistoryRow;
  silences: SilenceRow;
  maintenance_windows: MaintenanceRow;
  notification_outbox: OutboxRow;
}

async function columnsOf(db: Kysely<unknown>, table: string): Promise<Set<string>> {
  const found = (await db.introspection.getTables()).find((t) => t.name === table);
  return new Set(found?.columns.map((c) => c.name) ?? []);
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    const pg = onPostgres(db);
    const id = pg ? 'serial' : 'integer';
    await db.schema
      .createTable('alerts')
      .ifNotExists()
      .addColumn('id', id, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('mn', 'text', (c) => c.notNull())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('factor', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('peak', 'double precision', (c) => c.notNull())
      .addColumn('limit_value', 'double precision', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('opened_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('cleared_at', 'bigint')
      .addColumn('raised_at', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('acknowledged_at', 'bigint')
      .addColumn('acknowledged_by', 'text')
      .addColumn('assignee', 'text')
      .addColumn('escalated_at', 'bigint')
      .addColumn('closed_at', 'bigint')
      .addColumn('closed_by', 'text')
      .addColumn('suppressed', 'text')
      .addColumn('evidence', 'text')
      .execute();
    await db.schema
      .createTable('alert_history')
      .ifNotExists()
      .addColumn('id', id, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('alert_id', 'integer', (c) => c.notNull().references('alerts.id'))
      .addColumn('mn', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('detail', 'text')
      .execute();
    await db.schema
      .createTable('silences')
      .ifNotExists()
      .addColumn('id', id, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('mn', 'text')
      .addColumn('factor', 'text')
      .addColumn('rule', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('maintenance_windows')
      .ifNotExists()
      .addColumn('id', id, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('mn', 'text')
      .addColumn('from_ts', 'bigint', (c) => c.notNull())
      .addColumn('to_ts', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('declared_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('approved'))
      .addColumn('reviewed_by', 'text')
      .addColumn('reviewed_at', 'bigint')
      .addColumn('review_note', 'text')
      .addColumn('ended_by', 'text')
      .addColumn('ended_at', 'bigint')
      .execute();
    await db.schema
      .createTable('notification_outbox')
      .ifNotExists()
      .addColumn('id', id, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('alert_id', 'integer', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', 'bigint')
      .addColumn('abandoned_at', 'bigint')
      .addColumn('last_attempt_at', 'bigint')
      .execute();
    // A state.db written by the hand-written store before these columns existed gains them.
    const windows = await columnsOf(db, 'maintenance_windows');
    const windowColumns: [string, 'text' | 'bigint'][] = [
      ['reviewed_by', 'text'],
      ['reviewed_at', 'bigint'],
      ['review_note', 'text'],
      ['ended_by', 'text'],
      ['ended_at', 'bigint'],
    ];
    if (!windows.has('status'))
      await db.schema
        .alterTable('maintenance_windows')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('approved'))
        .execute();
    for (const [name, type] of windowColumns)
      if (!windows.has(name)) await db.schema.alterTable('maintenance_windows').addColumn(name, type).execute();
    if (!(await columnsOf(db, 'notification_outbox')).has('last_attempt_at'))
      await db.schema.alterTable('notification_outbox').addColumn('last_attempt_at', 'bigint').execute();
    const history = await columnsOf(db, 'alert_history');
    if (!history.has('internal'))
      await db.schema
        .alterTable('alert_history')
        .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    if (!history.has('detail')) await db.schema.alterTable('alert_history').addColumn('detail', 'text').execute();
    const index = (name: string, table: string, columns: string[]) =>
      db.schema.createIndex(name).ifNotExists().on(table).columns(columns).execute();
    await index('alerts_state', 'alerts', ['state', 'id']);
    await index('alerts_mn', 'alerts', ['mn', 'id']);
    await index('alerts_enterprise', 'alerts', ['enterprise_id', 'id']);
    await index('alerts_open', 'alerts', ['closed_at', 'id']);
    await index('alert_history_alert', 'alert_history', ['alert_id', 'id']);
    await index('alert_history_mn', 'alert_history', ['mn', 'id']);
    await index('silences_ends', 'silences', ['ends_at']);
    await index('maintenance_enterprise', 'maintenance_windows', ['enterprise_id', 'to_ts']);
    await index('outbox_target', 'notification_outbox', ['target', 'id']);
    await db.schema
      .createIndex('outbox_pending')
      .ifNotExists()
      .on('notification_outbox')
      .columns(['next_attempt_at', 'id'])
      .where(sql.ref('delivered_at'), 'is', null)
      .where(sql.ref('abandoned_at'), 'is', null)
      .execute();
    // One open alert per (source, factor, rule): the store's last word when two writers race.
    await db.schema
      .createIndex('alerts_one_open')
      .ifNotExists()
      .unique()
      .on('alerts')
      .columns(['mn', 'factor', 'rule'])
      .where(sql.ref('closed_at'), 'is', null)
      .execute();
  },
};

const versions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('alerts')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};

export const ALERT_MIGRATIONS: MigrationList = {
  store: 'alert',
  migrations: { '0001-alerts': init, '0002-versions': versions },
};
