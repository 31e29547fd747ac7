/**
 * Alerts and their history through Kysely, on SQLite (the embedded `state.db`) or PostgreSQL (a
 * cluster's shared state), behind one async interface (issue 15; docs/scale-out.md, "Alerts in a
 * cluster"). Every alert row has a version: an update names the version it read and is refused
 * ('conflict') when another writer got there first — the caller reloads, re-applies its pure
 * transition and retries; nothing is overwritten. Opening a second alert for a (source, factor,
 * rule) that has one open is refused ('duplicate') by a partial unique index, whoever races.
 * An alert and the history entries of its change are written in one transaction.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
import { HISTORY_DETAIL_CODES, SEVERITIES, type Alert, type AlertHistoryEntry, type HistoryDetail } from '../../domain/alert';
import { EQUIPMENT_RULES } from '../../domain/source-status';
import type { AlertQuery, AlertRuleCount } from '../alert-queries';
import { isUniqueViolation, openSqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { insertOutboxItems, KyselyOutboxStore, type NewOutboxItem, type OutboxStore } from './outbox-store';
import { KyselySuppressionStore, type SuppressionStore } from './suppression-store';
import { ALERT_MIGRATIONS, type AlertHistoryRow, type AlertRow, type AlertTables } from './alert-tables';

/** An alert as stored, and the version a write over it must name. */
export interface VersionedAlert {
  alert: Alert;
  version: number;
}

/** The notifications a change makes of the alert as recorded (its number known). */
export type Notify = (saved: Alert) => readonly NewOutboxItem[];

/** A history entry of a change, before it has its number and its alert's. */
export type HistoryInput = Omit<AlertHistoryEntry, 'id' | 'alertId'>;

export interface AlertStore {
  /** Alerts matching the query, newest first (or in `q.sort` order). */
  list(q: AlertQuery): Promise<Alert[]>;
  /** How many match, ignoring limit and offset. */
  count(q: AlertQuery): Promise<number>;
  /** How many match per source and rule (limit and offset ignored): a day's alerts counted without reading them. */
  countByRule(q: Omit<AlertQuery, 'limit'>): Promise<AlertRuleCount[]>;
  get(id: number): Promise<VersionedAlert | undefined>;
  /** Every open (not closed) alert, newest first. */
  open(): Promise<VersionedAlert[]>;
  /**
   * Records a new alert and its first history entries, and the notifications `notify` makes of it
   * (in the same transaction: a notification is never lost, nor sent for an alert not recorded);
   * 'duplicate' when its key already has an open alert.
   */
  insert(a: Omit<Alert, 'id'>, entries: readonly HistoryInput[], notify?: Notify): Promise<VersionedAlert | 'duplicate'>;
  /** Writes `a` over version `from` with the change's history entries and notifications; its new version, or 'conflict'. */
  update(a: Alert, from: number, entries: readonly HistoryInput[], notify?: Notify): Promise<number | 'conflict'>;
  /** Appends one entry (a comment) without changing the alert. */
  append(e: Omit<AlertHistoryEntry, 'id'>): Promise<AlertHistoryEntry>;
  /** Oldest first. */
  forAlert(alertId: number): Promise<AlertHistoryEntry[]>;
  /** Newest first, entries with id below `before` when given. */
  forSource(mn: string, limit: number, before?: number): Promise<AlertHistoryEntry[]>;
}

const parse = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

const alertOf = (r: Selectable<AlertRow>): VersionedAlert => ({
  alert: {
    id: Number(r.id),
    mn: r.mn,
    enterpriseId: r.enterprise_id,
    factor: r.factor,
    rule: r.rule,
    severity: r.severity as Alert['severity'],
    state: r.state as Alert['state'],
    value: Number(r.value),
    peak: Number(r.peak),
    limit: Number(r.limit_value),
    unit: r.unit,
    count: Number(r.count),
    openedAt: Number(r.opened_at),
    lastSeenAt: Number(r.last_seen_at),
    clearedAt: r.cleared_at === null ? null : Number(r.cleared_at),
    raisedAt: Number(r.raised_at),
    acknowledgedAt: r.acknowledged_at === null ? null : Number(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    assignee: r.assignee,
    escalatedAt: r.escalated_at === null ? null : Number(r.escalated_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
    closedBy: r.closed_by,
    suppressed: r.suppressed as Alert['suppressed'],
    evidence: parse<Alert['evidence']>(r.evidence),
  },
  version: Number(r.version),
});

const rowOf = (a: Omit<Alert, 'id'>): Omit<AlertRow, 'id' | 'version'> => ({
  mn: a.mn,
  enterprise_id: a.enterpriseId,
  factor: a.factor,
  rule: a.rule,
  severity: a.severity,
  state: a.state,
  value: a.value,
  peak: a.peak,
  limit_value: a.limit,
  unit: a.unit,
  count: a.count,
  opened_at: a.openedAt,
  last_seen_at: a.lastSeenAt,
  cleared_at: a.clearedAt,
  raised_at: a.raisedAt,
  acknowledged_at: a.acknowledgedAt,
  acknowledged_by: a.acknowledgedBy,
  assignee: a.assignee,
  escalated_at: a.escalatedAt,
  closed_at: a.closedAt,
  closed_by: a.closedBy,
  suppressed: a.suppressed,
  evidence: a.evidence === null ? null : JSON.stringify(a.evidence),
});

/** The stored detail, or null when absent or not one this version knows (never a crash on read). */
function detailOf(json: string | null): HistoryDetail | null {
  if (json === null) return null;
  try {
    const d = JSON.parse(json) as { code?: unknown } | null;
    return d !== null && typeof d === 'object' && HISTORY_DETAIL_CODES.includes(d.code as never) ? (d as HistoryDetail) : null;
  } catch {
    return null;
  }
}

const entryOf = (r: Selectable<AlertHistoryRow>): AlertHistoryEntry => ({
  id: Number(r.id),
  alertId: Number(r.alert_id),
  mn: r.mn,
  kind: r.kind as AlertHistoryEntry['kind'],
  at: Number(r.at),
  actor: r.actor,
  note: r.note,
  detail: detailOf(r.detail),
  ...(Number(r.internal) ? { internal: true } : {}),
});

const historyRow = (alertId: number, e: HistoryInput): Omit<AlertHistoryRow, 'id'> => ({
  alert_id: alertId,
  mn: e.mn,
  kind: e.kind,
  at: e.at,
  actor: e.actor,
  note: e.note,
  internal: e.internal ? 1 : 0,
  detail: e.detail ? JSON.stringify(e.detail) : null,
});

const likeEscaped = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The query's conditions (AND). Text search is case-insensitive on both engines. */
function whereOf(q: AlertQuery) {
  return (eb: ExpressionBuilder<AlertTables, 'alerts'>): Expression<SqlBool> => {
    const all: Expression<SqlBool>[] = [];
    if (q.state) all.push(eb('state', '=', q.state));
    if (q.mn) all.push(eb('mn', '=', q.mn));
    if (q.enterpriseId) all.push(eb('enterprise_id', '=', q.enterpriseId));
    if (q.mns !== undefined) all.push(q.mns.length ? eb('mn', 'in', [...q.mns]) : sql<SqlBool>`1 = 0`);
    if (q.rule) all.push(eb('rule', '=', q.rule));
    if (q.exceedance !== undefined) all.push(eb('rule', q.exceedance ? 'not in' : 'in', [...EQUIPMENT_RULES]));
    if (q.factor) all.push(eb('factor', '=', q.factor));
    if (q.assignee) all.push(eb('assignee', '=', q.assignee));
    if (q.acknowledged !== undefined) all.push(eb('acknowledged_at', q.acknowledged ? 'is not' : 'is', null));
    if (q.open !== undefined) all.push(eb('closed_at', q.open ? 'is' : 'is not', null));
    if (q.attention) all.push(eb.and([eb('closed_at', 'is', null), eb('acknowledged_at', 'is', null)]));
    if (q.suppressed !== undefined) all.push(eb('suppressed', q.suppressed ? 'is not' : 'is', null));
    if (q.severity?.length) all.push(eb('severity', 'in', [...q.severity]));
    if (q.from !== undefined) all.push(eb('opened_at', '>=', q.from));
    if (q.to !== undefined) all.push(eb('opened_at', '<', q.to));
    if (q.q) {
      const pattern = likeEscaped(q.q);
      const columns = ['mn', 'enterprise_id', 'factor', 'rule', 'assignee'] as const;
      const text: Expression<SqlBool>[] = columns.map((c) => sql<SqlBool>`lower(${sql.ref(c)}) like ${pattern} escape '\\'`);
      if (q.qMns?.length) text.push(eb('mn', 'in', [...q.qMns]));
      if (q.qFactors?.length) text.push(eb('factor', 'in', [...q.qFactors]));
      all.push(eb.or(text));
    }
    return eb.and(all);
  };
}

/** byAttention in SQL: open first, most severe, unacknowledged, newest. */
const SEVERITY_RANK = sql`case severity ${sql.join(
  SEVERITIES.map((s, i) => sql`when ${sql.lit(s)} then ${sql.lit(i)}`),
  sql` `,
)} else -1 end`;

/** A change's history entries and notifications, in its transaction. */
async function recordChange(trx: Transaction<AlertTables>, alert: Alert, entries: readonly HistoryInput[], notify?: Notify): Promise<void> {
  if (entries.length)
    await trx
      .insertInto('alert_history')
      .values(entries.map((e) => historyRow(alert.id, e)))
      .execute();
  if (notify) await insertOutboxItems(trx, notify(alert));
}

export class KyselyAlertStore implements AlertStore {
  constructor(private readonly db: Kysely<AlertTables>) {}

  async list(q: AlertQuery): Promise<Alert[]> {
    let query = this.db.selectFrom('alerts').selectAll().where(whereOf(q));
    query =
      q.sort === 'attention'
        ? query
            .orderBy(sql`case when closed_at is null then 0 else 1 end`)
            .orderBy(sql`${SEVERITY_RANK}`, 'desc')
            .orderBy(sql`case when acknowledged_at is null then 0 else 1 end`)
            .orderBy('opened_at', 'desc')
            .orderBy('id', 'desc')
        : query.orderBy('id', 'desc');
    const rows = await query
      .limit(q.limit)
      .offset(q.offset ?? 0)
      .execute();
    return rows.map((r) => alertOf(r).alert);
  }

  async count(q: AlertQuery): Promise<number> {
    const row = await this.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(whereOf(q))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countByRule(q: Omit<AlertQuery, 'limit'>): Promise<AlertRuleCount[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .select(['mn', 'rule', (eb) => eb.fn.countAll<number>().as('n')])
      .where(whereOf({ ...q, limit: 0 }))
      .groupBy(['mn', 'rule'])
      .execute();
    return rows.map((r) => ({ mn: r.mn, rule: r.rule, count: Number(r.n) }));
  }

  async get(id: number): Promise<VersionedAlert | undefined> {
    const row = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && alertOf(row);
  }

  async open(): Promise<VersionedAlert[]> {
    const rows = await this.db.selectFrom('alerts').selectAll().where('closed_at', 'is', null).orderBy('id', 'desc').execute();
    return rows.map(alertOf);
  }

  async insert(a: Omit<Alert, 'id'>, entries: readonly HistoryInput[], notify?: Notify): Promise<VersionedAlert | 'duplicate'> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto('alerts')
          .values({ ...rowOf(a), version: 1 })
          .returning('id')
          .executeTakeFirstOrThrow();
        const alert = { ...a, id: Number(id) };
        await recordChange(trx, alert, entries, notify);
        return { alert, version: 1 };
      });
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate';
      throw err;
    }
  }

  async update(a: Alert, from: number, entries: readonly HistoryInput[], notify?: Notify): Promise<number | 'conflict'> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable('alerts')
          .set({ ...rowOf(a), version: from + 1 })
          .where('id', '=', a.id)
          .where('version', '=', from)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) return 'conflict' as const;
        await recordChange(trx, a, entries, notify);
        return from + 1;
      });
    } catch (err) {
      // Reopening a closed alert's key while another is open: the index refuses it; a conflict to the writer.
      if (isUniqueViolation(err)) return 'conflict';
      throw err;
    }
  }

  async append(e: Omit<AlertHistoryEntry, 'id'>): Promise<AlertHistoryEntry> {
    const { id } = await this.db.insertInto('alert_history').values(historyRow(e.alertId, e)).returning('id').executeTakeFirstOrThrow();
    return { ...e, detail: e.detail ?? null, id: Number(id) };
  }

  async forAlert(alertId: number): Promise<AlertHistoryEntry[]> {
    const rows = await this.db.selectFrom('alert_history').selectAll().where('alert_id', '=', alertId).orderBy('id').execute();
    return rows.map(entryOf);
  }

  async forSource(mn: string, limit: number, before?: number): Promise<AlertHistoryEntry[]> {
    let query = this.db.selectFrom('alert_history').selectAll().where('mn', '=', mn);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(entryOf);
  }
}

/** The alert state on one database: alerts and history, silences and windows, the outbox. */
export interface AlertState {
  alerts: AlertStore;
  suppressions: SuppressionStore;
  outbox: OutboxStore;
  close(): Promise<void>;
}

/** Opens (and migrates) the alert state at a SQLite file (the embedded `state.db`) or a PostgreSQL URL. */
export async function openAlertState(location: string): Promise<AlertState> {
  const opened = openSqlDatabase<AlertTables>(location);
  try {
    await migrateToLatest(opened.db as Kysely<unknown>, ALERT_MIGRATIONS);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return {
    alerts: new KyselyAlertStore(opened.db),
    suppressions: new KyselySuppressionStore(opened.db),
    outbox: new KyselyOutboxStore(opened.db),
    close: () => opened.close(),
  };
}
