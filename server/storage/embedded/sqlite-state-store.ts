/** StateStore on SQLite (better-sqlite3, WAL). */
import Database from 'better-sqlite3';
import type { Alert } from '../../domain/alert';
import type { AlertQuery, StateStore } from '../state-store';

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
  resolved_at: number | null;
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
  resolvedAt: r.resolved_at,
});

const toParams = (a: Omit<Alert, 'id'>) => ({
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
  resolved_at: a.resolvedAt,
});

export class SqliteStateStore implements StateStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        mn TEXT NOT NULL, enterprise_id TEXT NOT NULL, factor TEXT NOT NULL, rule TEXT NOT NULL,
        severity TEXT NOT NULL, state TEXT NOT NULL, value REAL NOT NULL, peak REAL NOT NULL,
        limit_value REAL NOT NULL, unit TEXT NOT NULL, count INTEGER NOT NULL,
        opened_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, resolved_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS alerts_state ON alerts (state, id);
      CREATE INDEX IF NOT EXISTS alerts_mn ON alerts (mn, id);
      -- One open alert per (source, factor, rule).
      CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_active ON alerts (mn, factor, rule) WHERE state = 'active';`);
    const cols = 'mn, enterprise_id, factor, rule, severity, state, value, peak, limit_value, unit, count, opened_at, last_seen_at, resolved_at';
    this.insert = this.db.prepare(`INSERT INTO alerts (${cols}) VALUES (${cols.split(', ').map((c) => `@${c}`).join(', ')})`);
    this.update = this.db.prepare(
      `UPDATE alerts SET ${cols.split(', ').map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`,
    );
  }

  listAlerts(q: AlertQuery): Alert[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: q.limit };
    if (q.state) (where.push('state = @state'), (params.state = q.state));
    if (q.mn) (where.push('mn = @mn'), (params.mn = q.mn));
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as AlertRow[]).map(fromRow);
  }

  insertAlert(a: Omit<Alert, 'id'>): Alert {
    const id = Number(this.insert.run(toParams(a)).lastInsertRowid);
    return { ...a, id };
  }

  updateAlert(a: Alert): void {
    this.update.run({ ...toParams(a), id: a.id });
  }

  close(): void {
    this.db.close();
  }
}
