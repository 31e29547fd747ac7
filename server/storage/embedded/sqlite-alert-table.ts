/** The `alerts` table: one row per alert; the partial unique index keeps one open alert per key. */
import type Database from 'better-sqlite3';
import { SEVERITIES, type Alert, type Evidence } from '../../domain/alert';
import type { AlertQuery, AlertTable } from '../state-store';

interface AlertRow {
  id: number;
  mn: string;
  enterprise_id: string;
  factor: string;
  rule: string;
  severity: Alert['severity'];
  state: Alert['state'];
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
  suppressed: Alert['suppressed'];
  evidence: string | null;
}

const fromRow = (r: AlertRow): Alert => ({
  id: r.id,
  mn: r.mn,
  enterpriseId: r.enterprise_id,
  factor: r.factor,
  rule: r.rule,
  severity: r.severity,
  state: r.state,
  value: r.value,
  peak: r.peak,
  limit: r.limit_value,
  unit: r.unit,
  count: r.count,
  openedAt: r.opened_at,
  lastSeenAt: r.last_seen_at,
  clearedAt: r.cleared_at,
  raisedAt: r.raised_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  assignee: r.assignee,
  escalatedAt: r.escalated_at,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  suppressed: r.suppressed,
  evidence: r.evidence === null ? null : (JSON.parse(r.evidence) as Evidence),
});

const toParams = (a: Omit<Alert, 'id'>): Omit<AlertRow, 'id'> => ({
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

/** Columns added after the first version, as `ALTER TABLE … ADD COLUMN` clauses. */
const ADDED_COLUMNS: Record<string, string> = {
  raised_at: 'raised_at INTEGER NOT NULL DEFAULT 0',
  acknowledged_at: 'acknowledged_at INTEGER',
  acknowledged_by: 'acknowledged_by TEXT',
  assignee: 'assignee TEXT',
  escalated_at: 'escalated_at INTEGER',
  closed_at: 'closed_at INTEGER',
  closed_by: 'closed_by TEXT',
  suppressed: 'suppressed TEXT',
  evidence: 'evidence TEXT',
};

/**
 * Creates the table, or brings one from the previous version forward: `resolved_at` becomes
 * `cleared_at`, the new columns are added, and the old version's resolved alerts become cleared
 * and closed (by 'system': nobody acknowledged them then, and they must not flood the wall now).
 */
export function migrateAlerts(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS alerts (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      mn TEXT NOT NULL, enterprise_id TEXT NOT NULL, factor TEXT NOT NULL, rule TEXT NOT NULL,
      severity TEXT NOT NULL, state TEXT NOT NULL, value REAL NOT NULL, peak REAL NOT NULL,
      limit_value REAL NOT NULL, unit TEXT NOT NULL, count INTEGER NOT NULL,
      opened_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, cleared_at INTEGER
    )`);
  const columns = new Set((db.prepare('PRAGMA table_info(alerts)').all() as { name: string }[]).map((c) => c.name));
  if (columns.has('resolved_at')) db.exec('ALTER TABLE alerts RENAME COLUMN resolved_at TO cleared_at');
  for (const [name, clause] of Object.entries(ADDED_COLUMNS)) if (!columns.has(name)) db.exec(`ALTER TABLE alerts ADD COLUMN ${clause}`);
  db.exec(`
    UPDATE alerts SET raised_at = opened_at WHERE raised_at = 0;
    UPDATE alerts SET state = 'cleared', closed_at = COALESCE(cleared_at, last_seen_at), closed_by = 'system' WHERE state = 'resolved';
    DROP INDEX IF EXISTS alerts_one_active;
    CREATE INDEX IF NOT EXISTS alerts_state ON alerts (state, id);
    CREATE INDEX IF NOT EXISTS alerts_mn ON alerts (mn, id);
    CREATE INDEX IF NOT EXISTS alerts_enterprise ON alerts (enterprise_id, id);
    CREATE INDEX IF NOT EXISTS alerts_open ON alerts (closed_at, id);
    -- One open alert per (source, factor, rule).
    CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_open ON alerts (mn, factor, rule) WHERE closed_at IS NULL;`);
}

const COLUMNS = [
  'mn',
  'enterprise_id',
  'factor',
  'rule',
  'severity',
  'state',
  'value',
  'peak',
  'limit_value',
  'unit',
  'count',
  'opened_at',
  'last_seen_at',
  'cleared_at',
  'raised_at',
  'acknowledged_at',
  'acknowledged_by',
  'assignee',
  'escalated_at',
  'closed_at',
  'closed_by',
  'suppressed',
  'evidence',
] as const satisfies readonly (keyof AlertRow)[];

/** byAttention in SQL: open first, most severe, unacknowledged, newest. */
const ATTENTION_ORDER = [
  'closed_at IS NOT NULL',
  `CASE severity ${SEVERITIES.map((sev, i) => `WHEN '${sev}' THEN ${i}`).join(' ')} ELSE -1 END DESC`,
  'acknowledged_at IS NOT NULL',
  'opened_at DESC',
  'id DESC',
].join(', ');

const likeEscaped = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function whereOf(q: AlertQuery): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const eq = (column: string, name: string, value: unknown) => {
    where.push(`${column} = @${name}`);
    params[name] = value;
  };
  if (q.state) eq('state', 'state', q.state);
  if (q.mn) eq('mn', 'mn', q.mn);
  if (q.enterpriseId) eq('enterprise_id', 'enterpriseId', q.enterpriseId);
  if (q.mns !== undefined) {
    // A department's sites: a handful (json_each keeps it one parameter however many).
    where.push('mn IN (SELECT value FROM json_each(@mns))');
    params.mns = JSON.stringify(q.mns);
  }
  if (q.rule) eq('rule', 'rule', q.rule);
  if (q.factor) eq('factor', 'factor', q.factor);
  if (q.assignee) eq('assignee', 'assignee', q.assignee);
  if (q.acknowledged !== undefined) where.push(`acknowledged_at IS ${q.acknowledged ? 'NOT ' : ''}NULL`);
  if (q.open !== undefined) where.push(`closed_at IS ${q.open ? '' : 'NOT '}NULL`);
  if (q.attention) where.push('closed_at IS NULL AND acknowledged_at IS NULL');
  if (q.suppressed !== undefined) where.push(`suppressed IS ${q.suppressed ? 'NOT ' : ''}NULL`);
  if (q.severity?.length) {
    where.push(`severity IN (${q.severity.map((_, i) => `@sev${i}`).join(', ')})`);
    q.severity.forEach((s, i) => (params[`sev${i}`] = s));
  }
  if (q.from !== undefined) {
    where.push('opened_at >= @from');
    params.from = q.from;
  }
  if (q.to !== undefined) {
    where.push('opened_at < @to');
    params.to = q.to;
  }
  if (q.q) {
    where.push(`(${['mn', 'enterprise_id', 'factor', 'rule', 'assignee'].map((c) => `${c} LIKE @q ESCAPE '\\'`).join(' OR ')})`);
    params.q = likeEscaped(q.q);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export class SqliteAlertTable implements AlertTable {
  private readonly insertStmt: Database.Statement;
  private readonly updateStmt: Database.Statement;
  private readonly getStmt: Database.Statement;
  private readonly openStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO alerts (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
    this.updateStmt = db.prepare(`UPDATE alerts SET ${COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`);
    this.getStmt = db.prepare('SELECT * FROM alerts WHERE id = ?');
    this.openStmt = db.prepare('SELECT * FROM alerts WHERE closed_at IS NULL ORDER BY id DESC');
  }

  list(q: AlertQuery): Alert[] {
    const { sql, params } = whereOf(q);
    const order = q.sort === 'attention' ? ATTENTION_ORDER : 'id DESC';
    const rows = this.db
      .prepare(`SELECT * FROM alerts ${sql} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset ?? 0 });
    return (rows as AlertRow[]).map(fromRow);
  }

  count(q: AlertQuery): number {
    const { sql, params } = whereOf(q);
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM alerts ${sql}`).get(params) as { n: number }).n;
  }

  get(id: number): Alert | undefined {
    const row = this.getStmt.get(id) as AlertRow | undefined;
    return row && fromRow(row);
  }

  open(): Alert[] {
    return (this.openStmt.all() as AlertRow[]).map(fromRow);
  }

  insert(a: Omit<Alert, 'id'>): Alert {
    const id = Number(this.insertStmt.run(toParams(a)).lastInsertRowid);
    return { ...a, id };
  }

  update(a: Alert): void {
    this.updateStmt.run({ ...toParams(a), id: a.id });
  }
}
