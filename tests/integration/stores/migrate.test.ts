/** The stores' migrations, on both engines (a SQLite file and a PostgreSQL database). */
import { AUTH_MIGRATIONS } from '../../../server/auth/auth-tables';
import { API_TOKEN_MIGRATIONS } from '../../../server/storage/sql/api-token-tables';
import { WARNING_MIGRATIONS } from '../../../server/storage/sql/warning-tables';
import { QUALITY_MIGRATIONS } from '../../../server/storage/sql/comparison-tables';
import { sql, type Kysely, type Migration } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlDatabase, type SqlDialect } from '../../../server/storage/sql/database';
import { migrateToLatest, MigrationError } from '../../../server/storage/sql/migrate';
import { DUTY_MIGRATIONS } from '../../../server/storage/sql/duty-tables';
import { FACILITY_RECORD_MIGRATIONS } from '../../../server/storage/sql/facility-record-tables';
import { CASE_MIGRATIONS } from '../../../server/storage/sql/case-tables';
import { NOTIFY_MIGRATIONS } from '../../../server/storage/sql/notify-target-tables';
import { REGISTRY_MIGRATIONS } from '../../../server/storage/sql/registry-tables';
import { ALERT_MIGRATIONS } from '../../../server/storage/sql/alert-tables';
import { REDUCTION_LIST_MIGRATIONS } from '../../../server/storage/sql/reduction-list-tables';
import { RESPONSE_MIGRATIONS } from '../../../server/storage/sql/response-tables';
import { ROLLUP_MIGRATIONS } from '../../../server/storage/sql/rollup-tables';
import { RAW_FRAME_MIGRATIONS } from '../../../server/storage/sql/raw-frame-tables';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const table = (name: string): Migration => ({
  up: (db: Kysely<unknown>) =>
    db.schema
      .createTable(name)
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute(),
});

const tables = async (db: Kysely<unknown>): Promise<string[]> =>
  (await db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name).sort();

/** Each engine's name of a type, as the one portable name the migrations use (an unknown one stays as it is: the test shows it). */
const PORTABLE_TYPE: Record<string, string> = {
  TEXT: 'text',
  text: 'text',
  INTEGER: 'integer',
  int4: 'integer',
  bigint: 'bigint',
  int8: 'bigint',
  float8: 'double precision',
};

/**
 * The stores' tables (not the migration history, Kysely's own), one line per column. SQLite's two
 * primary-key quirks are read as PostgreSQL's keys (harmless here: every store writes its keys): a
 * text primary key there admits null, and an integer one is the rowid (given a value when none is).
 */
async function schemaOf(db: Kysely<unknown>, dialect: SqlDialect): Promise<string[]> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.name.endsWith('_migrations') && !t.name.endsWith('_lock'));
  const lines: string[] = [];
  for (const t of tables) {
    const keys =
      dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from pragma_table_info(${t.name}) where pk > 0`.execute(db)).rows.map((r) => r.name)
        : [];
    // Auto-numbered: SQLite's AUTOINCREMENT key (ids never reused), PostgreSQL's serial (whose default is its sequence).
    const created =
      dialect === 'sqlite'
        ? ((await sql<{ sql: string }>`select sql from sqlite_master where name = ${t.name}`.execute(db)).rows[0]?.sql ?? '')
        : '';
    for (const c of t.columns) {
      const key = keys.includes(c.name);
      const auto =
        dialect === 'sqlite'
          ? new RegExp(`["\`]?${c.name}["\`]?\\s+integer\\s+primary\\s+key\\s+autoincrement`, 'i').test(created)
          : c.isAutoIncrementing;
      // A PostgreSQL bigserial key is SQLite's: its AUTOINCREMENT key is the 64-bit rowid.
      const type = auto && c.dataType === 'int8' ? 'integer' : (PORTABLE_TYPE[c.dataType] ?? c.dataType);
      lines.push(
        [
          `${t.name}.${c.name}: ${type}`,
          c.isNullable && !key ? '' : ' not null',
          c.hasDefaultValue && !auto ? ' default' : '',
          auto ? ' auto' : '',
        ].join(''),
      );
    }
  }
  return lines.sort();
}

describe.each(sqlEngines())('migrateToLatest on $name', (engine) => {
  let fresh: FreshDatabase;
  beforeEach(async () => void (fresh = await engine.create()));
  afterEach(() => fresh.remove());

  it('runs every migration on a fresh file, none on a second start, and the new one after an upgrade', async () => {
    const file = fresh.location;
    const v1 = { store: 'alpha', migrations: { '0001-a': table('a') } };
    let opened = openSqlDatabase(file);
    expect(await migrateToLatest(opened.db, v1)).toEqual(['0001-a']);
    await opened.close();
    opened = openSqlDatabase(file);
    expect(await migrateToLatest(opened.db, v1)).toEqual([]);
    expect(await migrateToLatest(opened.db, { ...v1, migrations: { ...v1.migrations, '0002-b': table('b') } })).toEqual(['0002-b']);
    expect(await tables(opened.db)).toEqual(['a', 'alpha_migrations', 'alpha_migrations_lock', 'b']);
    await opened.close();
  });

  it('keeps each store its own history, so two stores share one database', async () => {
    const { db, close } = openSqlDatabase(fresh.location);
    expect(await migrateToLatest(db, { store: 'alpha', migrations: { '0001-init': table('a') } })).toEqual(['0001-init']);
    expect(await migrateToLatest(db, { store: 'beta', migrations: { '0001-init': table('b') } })).toEqual(['0001-init']);
    expect(await tables(db)).toEqual(['a', 'alpha_migrations', 'alpha_migrations_lock', 'b', 'beta_migrations', 'beta_migrations_lock']);
    await close();
  });

  it('rolls a failing migration back whole and names it', async () => {
    const { db, close } = openSqlDatabase(fresh.location);
    const broken: Migration = {
      up: async (trx: Kysely<unknown>) => {
        await table('half').up(trx);
        await sql`THIS IS NOT SQL`.execute(trx);
      },
    };
    const run = migrateToLatest(db, { store: 'alpha', migrations: { '0001-a': table('a'), '0002-broken': broken } });
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(/0002-broken failed/);
    expect(await tables(db)).not.toContain('half');
    await close();
  });

  // Two connections in one process: on SQLite the second one's busy wait would block the only
  // thread the first one needs to commit (two processes wait for each other fine).
  if (engine.name === 'postgres')
    it('runs them once when two processes start at the same moment', async () => {
      const [a, b] = [openSqlDatabase(fresh.location), openSqlDatabase(fresh.location)];
      try {
        const list = { store: 'alpha', migrations: { '0001-a': table('a'), '0002-b': table('b') } };
        const ran = await Promise.all([migrateToLatest(a.db, list), migrateToLatest(b.db, list)]);
        expect(ran.flat().sort()).toEqual(['0001-a', '0002-b']);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

  it('gives every store the same schema on both engines: column types and nullability', async () => {
    const { db, close } = openSqlDatabase(fresh.location);
    try {
      const lists = [
        REGISTRY_MIGRATIONS,
        NOTIFY_MIGRATIONS,
        DUTY_MIGRATIONS,
        WARNING_MIGRATIONS,
        API_TOKEN_MIGRATIONS,
        FACILITY_RECORD_MIGRATIONS,
        QUALITY_MIGRATIONS,
        CASE_MIGRATIONS,
        RESPONSE_MIGRATIONS,
        REDUCTION_LIST_MIGRATIONS,
        ALERT_MIGRATIONS,
        ROLLUP_MIGRATIONS,
        RAW_FRAME_MIGRATIONS,
        ...AUTH_MIGRATIONS,
      ];
      for (const list of lists) await migrateToLatest(db, list);
      expect(await schemaOf(db, engine.name)).toMatchInlineSnapshot(`
        [
          "adsorbent_replacements.amount_g: bigint not null",
          "adsorbent_replacements.date: text not null",
          "adsorbent_replacements.enterprise_id: text not null",
          "adsorbent_replacements.facility_id: text not null",
          "adsorbent_replacements.id: text not null",
          "adsorbent_replacements.logged_at: bigint not null",
          "adsorbent_replacements.logged_by: text not null",
          "adsorbent_replacements.note: text",
          "adsorbent_watch.facility_id: text not null",
          "adsorbent_watch.first_seen: text not null",
          "adsorbent_watch.raised_due: text",
          "alert_history.actor: text not null",
          "alert_history.alert_id: integer not null",
          "alert_history.at: bigint not null",
          "alert_history.detail: text",
          "alert_history.id: integer not null auto",
          "alert_history.internal: integer not null default",
          "alert_history.kind: text not null",
          "alert_history.mn: text not null",
          "alert_history.note: text",
          "alerts.acknowledged_at: bigint",
          "alerts.acknowledged_by: text",
          "alerts.assignee: text",
          "alerts.cleared_at: bigint",
          "alerts.closed_at: bigint",
          "alerts.closed_by: text",
          "alerts.count: integer not null",
          "alerts.enterprise_id: text not null",
          "alerts.escalated_at: bigint",
          "alerts.evidence: text",
          "alerts.factor: text not null",
          "alerts.id: integer not null auto",
          "alerts.last_seen_at: bigint not null",
          "alerts.limit_value: double precision not null",
          "alerts.mn: text not null",
          "alerts.opened_at: bigint not null",
          "alerts.peak: double precision not null",
          "alerts.raised_at: bigint not null default",
          "alerts.rule: text not null",
          "alerts.severity: text not null",
          "alerts.state: text not null",
          "alerts.suppressed: text",
          "alerts.unit: text not null",
          "alerts.value: double precision not null",
          "alerts.version: integer not null default",
          "api_tokens.created_at: bigint not null",
          "api_tokens.creator_enterprise_id: text",
          "api_tokens.creator_role: text not null",
          "api_tokens.enterprise_id: text",
          "api_tokens.expires_at: bigint not null",
          "api_tokens.id: text not null",
          "api_tokens.last_used_at: bigint",
          "api_tokens.name: text not null",
          "api_tokens.revoked_at: bigint",
          "api_tokens.revoked_by: text",
          "api_tokens.scope: text not null",
          "api_tokens.shown: text not null",
          "api_tokens.token_hash: text not null",
          "api_tokens.user_id: integer not null",
          "api_tokens.username: text not null",
          "audit.action: text not null",
          "audit.at: bigint not null",
          "audit.detail: text",
          "audit.id: integer not null auto",
          "audit.ip: text",
          "audit.role: text",
          "audit.target: text",
          "audit.user_id: integer",
          "audit.username: text",
          "case_attachments.case_id: integer not null",
          "case_attachments.id: text not null",
          "case_attachments.kind: text not null",
          "case_attachments.name: text not null",
          "case_attachments.party: text not null",
          "case_attachments.sha256: text not null",
          "case_attachments.size: bigint not null",
          "case_attachments.stored_as: text not null",
          "case_attachments.uploaded_at: bigint not null",
          "case_attachments.uploaded_by: text not null",
          "case_history.at: bigint not null",
          "case_history.by: text not null",
          "case_history.case_id: integer not null",
          "case_history.detail: text",
          "case_history.event: text not null",
          "case_history.internal: integer not null",
          "case_history.note: text",
          "case_history.seq: integer not null",
          "cases.alert_ids: text not null",
          "cases.clean_days: integer",
          "cases.closed_at: bigint",
          "cases.closed_by: text",
          "cases.created_at: bigint not null",
          "cases.created_by: text not null",
          "cases.deadline: text not null",
          "cases.district: text not null",
          "cases.due_date: text not null",
          "cases.enterprise_id: text not null",
          "cases.id: integer not null",
          "cases.internal_note: text",
          "cases.officer: text not null",
          "cases.overdue_at: bigint",
          "cases.report: text",
          "cases.requirements: text not null",
          "cases.return_reason: text",
          "cases.rules: text not null",
          "cases.sources: text not null",
          "cases.status: text not null",
          "cases.type: text not null",
          "cases.updated_at: bigint not null",
          "cases.verifying_since: bigint",
          "cases.version: integer not null",
          "duty_escalation.id: integer not null",
          "duty_escalation.settings: text not null",
          "duty_escalation.updated_at: bigint not null",
          "duty_shifts.created_at: bigint not null",
          "duty_shifts.ends_at: bigint not null",
          "duty_shifts.id: text not null",
          "duty_shifts.position: text not null",
          "duty_shifts.starts_at: bigint not null",
          "duty_shifts.username: text not null",
          "known_clients.door: text not null",
          "known_clients.ip: text not null",
          "known_clients.last_success_at: bigint not null",
          "known_clients.username: text not null",
          "maintenance_windows.created_at: bigint not null",
          "maintenance_windows.declared_by: text not null",
          "maintenance_windows.ended_at: bigint",
          "maintenance_windows.ended_by: text",
          "maintenance_windows.enterprise_id: text not null",
          "maintenance_windows.from_ts: bigint not null",
          "maintenance_windows.id: integer not null auto",
          "maintenance_windows.mn: text",
          "maintenance_windows.reason: text not null",
          "maintenance_windows.review_note: text",
          "maintenance_windows.reviewed_at: bigint",
          "maintenance_windows.reviewed_by: text",
          "maintenance_windows.status: text not null default",
          "maintenance_windows.to_ts: bigint not null",
          "notice_recipients.acknowledged_at: bigint",
          "notice_recipients.acknowledged_by: text",
          "notice_recipients.district: text not null",
          "notice_recipients.enterprise_id: text not null",
          "notice_recipients.industry_code: text",
          "notice_recipients.industry_name: text",
          "notice_recipients.name: text not null",
          "notice_recipients.notice_id: integer not null",
          "notice_recipients.notice_kind: text not null",
          "notice_recipients.notified_at: bigint not null",
          "notification_outbox.abandoned_at: bigint",
          "notification_outbox.alert_id: integer not null",
          "notification_outbox.attempts: integer not null default",
          "notification_outbox.body: text not null",
          "notification_outbox.created_at: bigint not null",
          "notification_outbox.delivered_at: bigint",
          "notification_outbox.event: text not null",
          "notification_outbox.id: integer not null auto",
          "notification_outbox.last_attempt_at: bigint",
          "notification_outbox.last_error: text",
          "notification_outbox.next_attempt_at: bigint not null",
          "notification_outbox.target: text not null",
          "notify_meta.id: integer not null",
          "notify_meta.seeded_at: bigint not null",
          "notify_subscriptions.settings: text not null",
          "notify_subscriptions.updated_at: bigint not null",
          "notify_subscriptions.username: text not null",
          "notify_targets.created_at: bigint not null",
          "notify_targets.enabled: integer not null",
          "notify_targets.format: text",
          "notify_targets.id: text not null",
          "notify_targets.kind: text not null",
          "notify_targets.name: text not null",
          "notify_targets.settings: text",
          "notify_targets.updated_at: bigint not null",
          "notify_targets.url: text",
          "notify_targets.version: integer not null",
          "pre_notices.districts: text not null",
          "pre_notices.from_date: text not null",
          "pre_notices.id: integer not null",
          "pre_notices.issued_at: bigint not null",
          "pre_notices.issued_by: text not null",
          "pre_notices.level: text not null",
          "pre_notices.message: text not null",
          "pre_notices.outlook: text",
          "pre_notices.to_date: text not null",
          "quality_comparisons.created_at: bigint not null",
          "quality_comparisons.created_by: text not null",
          "quality_comparisons.data: text not null",
          "quality_comparisons.enterprise_id: text not null",
          "quality_comparisons.factor: text not null",
          "quality_comparisons.from_ts: bigint not null",
          "quality_comparisons.id: integer not null",
          "quality_comparisons.mn: text not null",
          "quality_comparisons.to_ts: bigint not null",
          "raw_frames.bytes: bytea not null",
          "raw_frames.cn: text",
          "raw_frames.count: integer not null default",
          "raw_frames.detail: text",
          "raw_frames.digest: text",
          "raw_frames.id: integer not null auto",
          "raw_frames.mn: text",
          "raw_frames.peer: text not null",
          "raw_frames.received_at: bigint not null",
          "raw_frames.transport: text not null",
          "raw_frames.verdict: text not null",
          "reduction_list_acks.at: bigint not null",
          "reduction_list_acks.enterprise_id: text not null",
          "reduction_list_acks.username: text not null",
          "reduction_list_acks.version: integer not null",
          "reduction_list_acks.year: integer not null",
          "reduction_lists.enterprise_id: text not null",
          "reduction_lists.entries: text not null",
          "reduction_lists.entry_count: integer not null",
          "reduction_lists.filed_at: bigint not null",
          "reduction_lists.filed_by: text not null",
          "reduction_lists.version: integer not null",
          "reduction_lists.year: integer not null",
          "reduction_reminders.enterprise_id: text not null",
          "reduction_reminders.sent_at: bigint not null",
          "reduction_reminders.year: integer not null",
          "registry_enterprises.credit_code: text",
          "registry_enterprises.data: text not null",
          "registry_enterprises.district: text not null",
          "registry_enterprises.grade: text",
          "registry_enterprises.id: text not null",
          "registry_enterprises.name: text not null",
          "registry_enterprises.seq: integer not null",
          "registry_facilities.data: text not null",
          "registry_facilities.enterprise_id: text not null",
          "registry_facilities.id: text not null",
          "registry_facilities.kind: text not null",
          "registry_facilities.seq: integer not null",
          "registry_grade_history.actor: text not null",
          "registry_grade_history.enterprise_id: text not null",
          "registry_grade_history.grade: text not null",
          "registry_grade_history.reason: text not null",
          "registry_grade_history.since: bigint not null",
          "registry_grade_history.version: integer not null",
          "registry_meta.actor: text not null",
          "registry_meta.id: integer not null",
          "registry_meta.updated_at: bigint not null",
          "registry_meta.version: integer not null",
          "registry_sources.data: text not null",
          "registry_sources.district: text",
          "registry_sources.enterprise_id: text not null",
          "registry_sources.kind: text not null",
          "registry_sources.mn: text not null",
          "registry_sources.mqtt_password: text",
          "registry_sources.pw: text",
          "registry_sources.seq: integer not null",
          "response_acks.at: bigint not null",
          "response_acks.enterprise_id: text not null",
          "response_acks.response_id: integer not null",
          "response_acks.username: text not null",
          "response_hours.checks: text not null",
          "response_hours.enterprise_id: text not null",
          "response_hours.entry_id: text not null",
          "response_hours.hour: bigint not null",
          "response_hours.level: text not null",
          "response_hours.response_id: integer not null",
          "response_hours.verdict: text not null",
          "responses.districts: text not null",
          "responses.end_at: bigint",
          "responses.history: text not null",
          "responses.id: integer not null",
          "responses.judged_until: bigint not null",
          "responses.level: text not null",
          "responses.plan: text not null",
          "responses.start_at: bigint not null",
          "responses.status: text not null",
          "responses.version: integer not null",
          "responses.warning_id: integer not null",
          "rollup_day_figures.basis: text not null",
          "rollup_day_figures.data: text not null",
          "rollup_day_figures.day: bigint not null",
          "rollup_day_figures.mn: text not null",
          "rollup_days.data: bytea not null",
          "rollup_days.day: bigint not null",
          "rollup_days.last_hour: bigint not null",
          "rollup_days.mn: text not null",
          "rollup_hours.data: text not null",
          "rollup_hours.hour: bigint not null",
          "rollup_hours.mn: text not null",
          "sessions.created_at: bigint not null",
          "sessions.ip: text",
          "sessions.last_seen_at: bigint not null",
          "sessions.token_hash: text not null",
          "sessions.user_agent: text",
          "sessions.user_id: integer not null",
          "silences.created_at: bigint not null",
          "silences.created_by: text not null",
          "silences.ends_at: bigint not null",
          "silences.factor: text",
          "silences.id: integer not null auto",
          "silences.mn: text",
          "silences.reason: text not null",
          "silences.rule: text",
          "start_stop_events.at: bigint not null",
          "start_stop_events.enterprise_id: text not null",
          "start_stop_events.facility_id: text not null",
          "start_stop_events.id: text not null",
          "start_stop_events.in_season: integer not null",
          "start_stop_events.kind: text not null",
          "start_stop_events.planned: integer not null",
          "start_stop_plans.enterprise_id: text not null",
          "start_stop_plans.entries: text not null",
          "start_stop_plans.filed_at: bigint not null",
          "start_stop_plans.filed_by: text not null",
          "start_stop_plans.updated_at: bigint not null",
          "start_stop_plans.updated_by: text not null",
          "start_stop_plans.version: integer not null",
          "start_stop_plans.year: integer not null",
          "user_contacts.email: text",
          "user_contacts.phone: text",
          "user_contacts.updated_at: bigint not null",
          "user_contacts.username: text not null",
          "users.created_at: bigint not null",
          "users.department: text",
          "users.disabled: integer not null default",
          "users.display_name: text not null",
          "users.enterprise_id: text",
          "users.failed_logins: integer not null default",
          "users.id: integer not null auto",
          "users.last_login_at: bigint",
          "users.locked_until: bigint",
          "users.must_change_password: integer not null default",
          "users.password_changed_at: bigint not null",
          "users.password_hash: text not null",
          "users.role: text not null",
          "users.username: text not null",
          "warning_history.at: bigint not null",
          "warning_history.by: text not null",
          "warning_history.event: text not null",
          "warning_history.from_level: text",
          "warning_history.note: text",
          "warning_history.seq: integer not null",
          "warning_history.to_level: text",
          "warning_history.warning_id: integer not null",
          "warnings.basis: text not null",
          "warnings.districts: text not null",
          "warnings.id: integer not null",
          "warnings.issued_at: bigint not null",
          "warnings.issued_by: text not null",
          "warnings.kind: text not null",
          "warnings.level: text not null",
          "warnings.lifted_at: bigint",
          "warnings.lifted_by: text",
          "warnings.note: text",
          "warnings.planned_lift_at: bigint",
          "warnings.start_at: bigint not null",
          "warnings.status: text not null",
          "warnings.version: integer not null",
        ]
      `);
    } finally {
      await close();
    }
  });

  it('refuses a store name that is not a plain identifier', async () => {
    const { db, close } = openSqlDatabase(fresh.location);
    await expect(migrateToLatest(db, { store: 'x; drop', migrations: {} })).rejects.toThrow(/bad store name/);
    await close();
  });
});
