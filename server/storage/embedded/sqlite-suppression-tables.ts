/** The `silences` and `maintenance_windows` tables. */
import type Database from 'better-sqlite3';
import type { MaintenanceStatus, MaintenanceWindow, Silence } from '../../domain/alert';
import type { MaintenanceQuery, MaintenanceTable, SilenceQuery, SilenceTable } from '../state-store';

export function migrateSuppressions(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS silences (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      mn TEXT, factor TEXT, rule TEXT, reason TEXT NOT NULL,
      created_by TEXT NOT NULL, created_at INTEGER NOT NULL, ends_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS silences_ends ON silences (ends_at);
    CREATE TABLE IF NOT EXISTS maintenance_windows (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      enterprise_id TEXT NOT NULL, mn TEXT, from_ts INTEGER NOT NULL, to_ts INTEGER NOT NULL,
      reason TEXT NOT NULL, declared_by TEXT NOT NULL, created_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS maintenance_enterprise ON maintenance_windows (enterprise_id, to_ts);`);
  // Review and end of a window (added later): a data dir of an earlier version gains the columns;
  // its windows were in effect, so they stay approved (what they may quiet is still narrowed).
  const have = new Set((db.prepare('PRAGMA table_info(maintenance_windows)').all() as { name: string }[]).map((c) => c.name));
  const added: [string, string][] = [
    ['status', "TEXT NOT NULL DEFAULT 'approved'"],
    ['reviewed_by', 'TEXT'],
    ['reviewed_at', 'INTEGER'],
    ['review_note', 'TEXT'],
    ['ended_by', 'TEXT'],
    ['ended_at', 'INTEGER'],
  ];
  for (const [name, type] of added) if (!have.has(name)) db.exec(`ALTER TABLE maintenance_windows ADD COLUMN ${name} ${type}`);
}

interface SilenceRow {
  id: number;
  mn: string | null;
  factor: string | null;
  rule: string | null;
  reason: string;
  created_by: string;
  created_at: number;
  ends_at: number;
}

const silenceFromRow = (r: SilenceRow): Silence => ({
  id: r.id,
  mn: r.mn,
  factor: r.factor,
  rule: r.rule,
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
  endsAt: r.ends_at,
});
const silenceParams = (s: Omit<Silence, 'id'>) => ({
  mn: s.mn,
  factor: s.factor,
  rule: s.rule,
  reason: s.reason,
  created_by: s.createdBy,
  created_at: s.createdAt,
  ends_at: s.endsAt,
});

export class SqliteSilenceTable implements SilenceTable {
  private readonly insertStmt: Database.Statement;
  private readonly updateStmt: Database.Statement;
  private readonly getStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(
      'INSERT INTO silences (mn, factor, rule, reason, created_by, created_at, ends_at) VALUES (@mn, @factor, @rule, @reason, @created_by, @created_at, @ends_at)',
    );
    this.updateStmt = db.prepare(
      'UPDATE silences SET mn = @mn, factor = @factor, rule = @rule, reason = @reason, created_by = @created_by, created_at = @created_at, ends_at = @ends_at WHERE id = @id',
    );
    this.getStmt = db.prepare('SELECT * FROM silences WHERE id = ?');
  }

  insert(s: Omit<Silence, 'id'>): Silence {
    return { ...s, id: Number(this.insertStmt.run(silenceParams(s)).lastInsertRowid) };
  }

  update(s: Silence): void {
    this.updateStmt.run({ ...silenceParams(s), id: s.id });
  }

  get(id: number): Silence | undefined {
    const row = this.getStmt.get(id) as SilenceRow | undefined;
    return row && silenceFromRow(row);
  }

  list(q: SilenceQuery): Silence[] {
    const active = q.activeAt !== undefined ? 'WHERE created_at <= @at AND ends_at > @at' : '';
    const rows = this.db
      .prepare(`SELECT * FROM silences ${active} ORDER BY id DESC LIMIT @limit`)
      .all({ at: q.activeAt ?? 0, limit: q.limit });
    return (rows as SilenceRow[]).map(silenceFromRow);
  }
}

interface WindowRow {
  id: number;
  enterprise_id: string;
  mn: string | null;
  from_ts: number;
  to_ts: number;
  reason: string;
  declared_by: string;
  created_at: number;
  status: MaintenanceStatus;
  reviewed_by: string | null;
  reviewed_at: number | null;
  review_note: string | null;
  ended_by: string | null;
  ended_at: number | null;
}

const windowFromRow = (r: WindowRow): MaintenanceWindow => ({
  id: r.id,
  enterpriseId: r.enterprise_id,
  mn: r.mn,
  from: r.from_ts,
  to: r.to_ts,
  reason: r.reason,
  declaredBy: r.declared_by,
  createdAt: r.created_at,
  status: r.status,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
  reviewNote: r.review_note,
  endedBy: r.ended_by,
  endedAt: r.ended_at,
});
const windowParams = (w: Omit<MaintenanceWindow, 'id'>) => ({
  enterprise_id: w.enterpriseId,
  mn: w.mn,
  from_ts: w.from,
  to_ts: w.to,
  reason: w.reason,
  declared_by: w.declaredBy,
  created_at: w.createdAt,
  status: w.status,
  reviewed_by: w.reviewedBy,
  reviewed_at: w.reviewedAt,
  review_note: w.reviewNote,
  ended_by: w.endedBy,
  ended_at: w.endedAt,
});

export class SqliteMaintenanceTable implements MaintenanceTable {
  private readonly insertStmt: Database.Statement;
  private readonly updateStmt: Database.Statement;
  private readonly getStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    const cols = [
      'enterprise_id, mn, from_ts, to_ts, reason, declared_by, created_at',
      'status, reviewed_by, reviewed_at, review_note, ended_by, ended_at',
    ].join(', ');
    this.insertStmt = db.prepare(
      `INSERT INTO maintenance_windows (${cols}) VALUES (${cols
        .split(', ')
        .map((c) => `@${c}`)
        .join(', ')})`,
    );
    this.updateStmt = db.prepare(
      `UPDATE maintenance_windows SET ${cols
        .split(', ')
        .map((c) => `${c} = @${c}`)
        .join(', ')} WHERE id = @id`,
    );
    this.getStmt = db.prepare('SELECT * FROM maintenance_windows WHERE id = ?');
  }

  insert(w: Omit<MaintenanceWindow, 'id'>): MaintenanceWindow {
    return { ...w, id: Number(this.insertStmt.run(windowParams(w)).lastInsertRowid) };
  }

  update(w: MaintenanceWindow): void {
    this.updateStmt.run({ ...windowParams(w), id: w.id });
  }

  get(id: number): MaintenanceWindow | undefined {
    const row = this.getStmt.get(id) as WindowRow | undefined;
    return row && windowFromRow(row);
  }

  list(q: MaintenanceQuery): MaintenanceWindow[] {
    const where: string[] = [];
    if (q.enterpriseId !== undefined) where.push('enterprise_id = @enterpriseId');
    // A source's own windows and its enterprise's whole-enterprise windows both apply to it.
    if (q.mn !== undefined) where.push('(mn = @mn OR mn IS NULL)');
    if (q.activeAt !== undefined) where.push('from_ts <= @activeAt AND to_ts > @activeAt');
    if (q.endingAfter !== undefined) where.push('to_ts > @endingAfter');
    if (q.status !== undefined) where.push('status = @status');
    // Pending first (what waits for an officer), then newest first.
    const sql = `SELECT * FROM maintenance_windows ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY (status = 'pending') DESC, id DESC LIMIT @limit`;
    const { enterpriseId, mn, activeAt, endingAfter, status, limit } = q;
    const rows = this.db.prepare(sql).all({ enterpriseId, mn, activeAt, endingAfter, status, limit });
    return (rows as WindowRow[]).map(windowFromRow);
  }
}
