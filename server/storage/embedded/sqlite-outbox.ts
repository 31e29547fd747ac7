/**
 * The `notification_outbox` table: a notification is written in the same database as the alert
 * change that caused it and stays until delivered or abandoned; attempts and the next attempt
 * time are persisted, so a restart resumes the retries where they were.
 */
import type Database from 'better-sqlite3';
import type { OutboxItem, OutboxTable } from '../state-store';

interface OutboxRow {
  id: number;
  target: string;
  event: string;
  alert_id: number;
  body: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

const fromRow = (r: OutboxRow): OutboxItem => ({
  id: r.id,
  target: r.target,
  event: r.event,
  alertId: r.alert_id,
  body: r.body,
  createdAt: r.created_at,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
});

export function migrateOutbox(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS notification_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      target TEXT NOT NULL, event TEXT NOT NULL, alert_id INTEGER NOT NULL, body TEXT NOT NULL,
      created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
      last_error TEXT, delivered_at INTEGER, abandoned_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS outbox_pending ON notification_outbox (next_attempt_at, id)
      WHERE delivered_at IS NULL AND abandoned_at IS NULL;`);
}

export class SqliteOutbox implements OutboxTable {
  private readonly insert: Database.Statement;
  private readonly dueStmt: Database.Statement;
  private readonly deliveredStmt: Database.Statement;
  private readonly retryStmt: Database.Statement;
  private readonly abandonStmt: Database.Statement;
  private readonly pendingStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO notification_outbox (target, event, alert_id, body, created_at, next_attempt_at) VALUES (@target, @event, @alertId, @body, @createdAt, @nextAttemptAt)',
    );
    const pending = 'delivered_at IS NULL AND abandoned_at IS NULL';
    // Due, and in order per target: nothing of the same target still waiting ahead of it.
    this.dueStmt = db.prepare(`
      SELECT * FROM notification_outbox o WHERE ${pending} AND next_attempt_at <= @now
        AND NOT EXISTS (SELECT 1 FROM notification_outbox p WHERE p.target = o.target AND p.id < o.id
                          AND p.delivered_at IS NULL AND p.abandoned_at IS NULL AND p.next_attempt_at > @now)
      ORDER BY id LIMIT @limit`);
    this.deliveredStmt = db.prepare(
      'UPDATE notification_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?',
    );
    this.retryStmt = db.prepare('UPDATE notification_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?');
    this.abandonStmt = db.prepare('UPDATE notification_outbox SET abandoned_at = ?, last_error = ? WHERE id = ?');
    this.pendingStmt = db.prepare(`SELECT COUNT(*) AS n FROM notification_outbox WHERE ${pending}`);
  }

  enqueue(items: readonly Omit<OutboxItem, 'id' | 'attempts' | 'lastError'>[]): void {
    this.db.transaction(() => {
      for (const item of items) this.insert.run(item);
    })();
  }

  due(now: number, limit: number): OutboxItem[] {
    return (this.dueStmt.all({ now, limit }) as OutboxRow[]).map(fromRow);
  }

  delivered(id: number, at: number): void {
    this.deliveredStmt.run(at, id);
  }

  retryLater(id: number, attempts: number, nextAttemptAt: number, error: string): void {
    this.retryStmt.run(attempts, nextAttemptAt, error, id);
  }

  abandon(id: number, at: number, error: string): void {
    this.abandonStmt.run(at, error, id);
  }

  pending(): number {
    return (this.pendingStmt.get() as { n: number }).n;
  }
}
