/**
 * The `notification_outbox` table: a notification is written in the same database as the alert
 * change that caused it and stays until delivered or abandoned; attempts and the next attempt
 * time are persisted, so a restart resumes the retries where they were.
 */
import type Database from 'better-sqlite3';
import type { DeliveryState } from '../../domain/notify-target';
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
  // Added with managed targets (issue 14): when the last attempt was made, for "last error, and when".
  const columns = new Set((db.prepare('PRAGMA table_info(notification_outbox)').all() as { name: string }[]).map((c) => c.name));
  if (!columns.has('last_attempt_at')) db.exec('ALTER TABLE notification_outbox ADD COLUMN last_attempt_at INTEGER');
  db.exec('CREATE INDEX IF NOT EXISTS outbox_target ON notification_outbox (target, id)');
}

interface StatsRow {
  target: string;
  pending: number;
  delivered: number;
  abandoned: number;
  attempts: number;
  last_delivered_at: number | null;
}

export class SqliteOutbox implements OutboxTable {
  private readonly insert: Database.Statement;
  private readonly dueStmt: Database.Statement;
  private readonly deliveredStmt: Database.Statement;
  private readonly retryStmt: Database.Statement;
  private readonly abandonStmt: Database.Statement;
  private readonly pendingStmt: Database.Statement;
  private readonly abandonTargetStmt: Database.Statement;
  private readonly statsStmt: Database.Statement;
  private readonly lastErrorStmt: Database.Statement;

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
    // A delivered item keeps the error of its last failed attempt: the target's "last error" stays readable.
    this.deliveredStmt = db.prepare('UPDATE notification_outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?');
    this.retryStmt = db.prepare(
      'UPDATE notification_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, last_attempt_at = ? WHERE id = ?',
    );
    this.abandonStmt = db.prepare(
      'UPDATE notification_outbox SET abandoned_at = ?, last_attempt_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?',
    );
    this.pendingStmt = db.prepare(`SELECT COUNT(*) AS n FROM notification_outbox WHERE ${pending}`);
    this.abandonTargetStmt = db.prepare(
      `UPDATE notification_outbox SET abandoned_at = ?, last_error = COALESCE(last_error, ?) WHERE target = ? AND ${pending}`,
    );
    this.statsStmt = db.prepare(`
      SELECT target,
        SUM(CASE WHEN ${pending} THEN 1 ELSE 0 END) AS pending,
        SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END) AS delivered,
        SUM(CASE WHEN abandoned_at IS NOT NULL THEN 1 ELSE 0 END) AS abandoned,
        SUM(attempts) AS attempts,
        MAX(delivered_at) AS last_delivered_at
      FROM notification_outbox GROUP BY target`);
    this.lastErrorStmt = db.prepare(`
      SELECT o.target, o.last_error, o.last_attempt_at FROM notification_outbox o
      WHERE o.last_attempt_at IS NOT NULL AND o.last_error IS NOT NULL AND o.id = (
        SELECT p.id FROM notification_outbox p WHERE p.target = o.target AND p.last_attempt_at IS NOT NULL AND p.last_error IS NOT NULL
        ORDER BY p.last_attempt_at DESC, p.id DESC LIMIT 1)`);
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

  retryLater(id: number, attempts: number, nextAttemptAt: number, error: string, at: number = nextAttemptAt): void {
    this.retryStmt.run(attempts, nextAttemptAt, error, at, id);
  }

  abandon(id: number, at: number, error: string): void {
    this.abandonStmt.run(at, at, error, id);
  }

  abandonTarget(target: string, at: number, reason: string): number {
    return this.abandonTargetStmt.run(at, reason, target).changes;
  }

  deliveryStats(): Map<string, DeliveryState> {
    const out = new Map<string, DeliveryState>();
    for (const r of this.statsStmt.all() as StatsRow[]) {
      out.set(r.target, {
        pending: r.pending,
        delivered: r.delivered,
        // Every attempt but the one that delivered failed.
        failedAttempts: r.attempts - r.delivered,
        abandoned: r.abandoned,
        lastError: null,
        lastErrorAt: null,
        lastDeliveredAt: r.last_delivered_at,
      });
    }
    for (const r of this.lastErrorStmt.all() as { target: string; last_error: string; last_attempt_at: number }[]) {
      const s = out.get(r.target);
      if (s) Object.assign(s, { lastError: r.last_error, lastErrorAt: r.last_attempt_at });
    }
    return out;
  }

  pending(): number {
    return (this.pendingStmt.get() as { n: number }).n;
  }
}
