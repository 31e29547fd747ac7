/** The `alert_history` table: every transition of every alert, who and why. Append-only. */
import type Database from 'better-sqlite3';
import type { AlertHistoryEntry } from '../../domain/alert';
import type { AlertHistoryTable } from '../state-store';

interface HistoryRow {
  id: number;
  alert_id: number;
  mn: string;
  kind: AlertHistoryEntry['kind'];
  at: number;
  actor: string;
  note: string | null;
  internal: number;
}

const fromRow = (r: HistoryRow): AlertHistoryEntry => ({
  id: r.id, alertId: r.alert_id, mn: r.mn, kind: r.kind, at: r.at, actor: r.actor, note: r.note, ...(r.internal ? { internal: true } : {}),
});

export function migrateAlertHistory(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS alert_history (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      alert_id INTEGER NOT NULL REFERENCES alerts (id), mn TEXT NOT NULL, kind TEXT NOT NULL,
      at INTEGER NOT NULL, actor TEXT NOT NULL, note TEXT
    );
    CREATE INDEX IF NOT EXISTS alert_history_alert ON alert_history (alert_id, id);
    CREATE INDEX IF NOT EXISTS alert_history_mn ON alert_history (mn, id);`);
  // Comments for the bureau only (added later): earlier entries stay visible as they were.
  const have = (db.prepare('PRAGMA table_info(alert_history)').all() as { name: string }[]).some((c) => c.name === 'internal');
  if (!have) db.exec('ALTER TABLE alert_history ADD COLUMN internal INTEGER NOT NULL DEFAULT 0');
}

export class SqliteAlertHistory implements AlertHistoryTable {
  private readonly insert: Database.Statement;
  private readonly byAlert: Database.Statement;
  private readonly bySource: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO alert_history (alert_id, mn, kind, at, actor, note, internal)
       VALUES (@alertId, @mn, @kind, @at, @actor, @note, @internal)`,
    );
    this.byAlert = db.prepare('SELECT * FROM alert_history WHERE alert_id = ? ORDER BY id');
    this.bySource = db.prepare('SELECT * FROM alert_history WHERE mn = @mn AND id < @before ORDER BY id DESC LIMIT @limit');
  }

  append(e: Omit<AlertHistoryEntry, 'id'>): AlertHistoryEntry {
    const { alertId, mn, kind, at, actor, note } = e;
    return { ...e, id: Number(this.insert.run({ alertId, mn, kind, at, actor, note, internal: e.internal ? 1 : 0 }).lastInsertRowid) };
  }

  forAlert(alertId: number): AlertHistoryEntry[] {
    return (this.byAlert.all(alertId) as HistoryRow[]).map(fromRow);
  }

  forSource(mn: string, limit: number, before = Number.MAX_SAFE_INTEGER): AlertHistoryEntry[] {
    return (this.bySource.all({ mn, limit, before }) as HistoryRow[]).map(fromRow);
  }
}
