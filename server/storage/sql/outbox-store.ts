/**
 * The notification outbox through Kysely, beside the alerts (alert-tables.ts), on SQLite or
 * PostgreSQL: a notification is written in the transaction of the alert change that caused it
 * (alert-store.ts) and stays until delivered or abandoned; attempts and the next attempt time are
 * persisted, so a restart resumes the retries where they were.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DeliveryState } from '../../domain/notify-target';
import type { OutboxItem } from '../alert-queries';
import type { AlertTables, OutboxRow } from './alert-tables';

/** An item to enqueue: formatted for its target, due at `nextAttemptAt`. */
export type NewOutboxItem = Omit<OutboxItem, 'id' | 'attempts' | 'lastError'>;

export interface OutboxStore {
  enqueue(items: readonly NewOutboxItem[]): Promise<void>;
  /** Pending items whose next attempt is due, oldest first; none of a target while an older one of it waits. */
  due(now: number, limit: number): Promise<OutboxItem[]>;
  delivered(id: number, at: number): Promise<void>;
  /** A failed attempt made at `at`: retried at `nextAttemptAt`. */
  retryLater(id: number, attempts: number, nextAttemptAt: number, error: string, at?: number): Promise<void>;
  /** A failed attempt made at `at`, and the item given up. */
  abandon(id: number, at: number, error: string): Promise<void>;
  /** Gives up every pending item of a target (it was deleted) without an attempt; returns how many. */
  abandonTarget(target: string, at: number, reason: string): Promise<number>;
  /** Per target: counts, the last error and when, the last delivery. */
  deliveryStats(): Promise<Map<string, DeliveryState>>;
  /** Items neither delivered nor abandoned. */
  pending(): Promise<number>;
}

const itemOf = (r: Selectable<OutboxRow>): OutboxItem => ({
  id: Number(r.id),
  target: r.target,
  event: r.event,
  alertId: Number(r.alert_id),
  body: r.body,
  createdAt: Number(r.created_at),
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  lastError: r.last_error,
});

/** Writes the items in `db` (a transaction of the alert change that causes them, or the store itself). */
export async function insertOutboxItems(
  db: Kysely<AlertTables> | Transaction<AlertTables>,
  items: readonly NewOutboxItem[],
): Promise<void> {
  if (!items.length) return;
  await db
    .insertInto('notification_outbox')
    .values(
      items.map((i) => ({
        target: i.target,
        event: i.event,
        alert_id: i.alertId,
        body: i.body,
        created_at: i.createdAt,
        next_attempt_at: i.nextAttemptAt,
      })),
    )
    .execute();
}

export class KyselyOutboxStore implements OutboxStore {
  constructor(private readonly db: Kysely<AlertTables>) {}

  enqueue(items: readonly NewOutboxItem[]): Promise<void> {
    return insertOutboxItems(this.db, items);
  }

  async due(now: number, limit: number): Promise<OutboxItem[]> {
    const rows = await this.db
      .selectFrom('notification_outbox as o')
      .selectAll('o')
      .where('o.delivered_at', 'is', null)
      .where('o.abandoned_at', 'is', null)
      .where('o.next_attempt_at', '<=', now)
      // In order per target: nothing of the same target still waiting ahead of it.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('notification_outbox as p')
              .select(sql.lit(1).as('one'))
              .whereRef('p.target', '=', 'o.target')
              .whereRef('p.id', '<', 'o.id')
              .where('p.delivered_at', 'is', null)
              .where('p.abandoned_at', 'is', null)
              .where('p.next_attempt_at', '>', now),
          ),
        ),
      )
      .orderBy('o.id')
      .limit(limit)
      .execute();
    return rows.map(itemOf);
  }

  async delivered(id: number, at: number): Promise<void> {
    // A delivered item keeps the error of its last failed attempt: the target's "last error" stays readable.
    await this.db
      .updateTable('notification_outbox')
      .set((eb) => ({ delivered_at: at, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  async retryLater(id: number, attempts: number, nextAttemptAt: number, error: string, at: number = nextAttemptAt): Promise<void> {
    await this.db
      .updateTable('notification_outbox')
      .set({ attempts, next_attempt_at: nextAttemptAt, last_error: error, last_attempt_at: at })
      .where('id', '=', id)
      .execute();
  }

  async abandon(id: number, at: number, error: string): Promise<void> {
    await this.db
      .updateTable('notification_outbox')
      .set((eb) => ({ abandoned_at: at, last_attempt_at: at, attempts: eb('attempts', '+', 1), last_error: error }))
      .where('id', '=', id)
      .execute();
  }

  async abandonTarget(target: string, at: number, reason: string): Promise<number> {
    const done = await this.db
      .updateTable('notification_outbox')
      .set((eb) => ({ abandoned_at: at, last_error: eb.fn.coalesce('last_error', eb.val(reason)) }))
      .where('target', '=', target)
      .where('delivered_at', 'is', null)
      .where('abandoned_at', 'is', null)
      .executeTakeFirst();
    return Number(done.numUpdatedRows);
  }

  async deliveryStats(): Promise<Map<string, DeliveryState>> {
    const count = (condition: ReturnType<typeof sql<boolean>>) => sql<number>`sum(case when ${condition} then 1 else 0 end)`;
    const rows = await this.db
      .selectFrom('notification_outbox')
      .select((eb) => [
        'target',
        count(sql`delivered_at is null and abandoned_at is null`).as('pending'),
        count(sql`delivered_at is not null`).as('delivered'),
        count(sql`abandoned_at is not null`).as('abandoned'),
        eb.fn.sum<number>('attempts').as('attempts'),
        eb.fn.max('delivered_at').as('last_delivered_at'),
      ])
      .groupBy('target')
      .execute();
    const out = new Map<string, DeliveryState>();
    for (const r of rows) {
      const delivered = Number(r.delivered);
      out.set(r.target, {
        pending: Number(r.pending),
        delivered,
        // Every attempt but the one that delivered failed.
        failedAttempts: Number(r.attempts) - delivered,
        abandoned: Number(r.abandoned),
        lastError: null,
        lastErrorAt: null,
        lastDeliveredAt: r.last_delivered_at === null ? null : Number(r.last_delivered_at),
      });
    }
    const errors = await this.db
      .selectFrom('notification_outbox as o')
      .select(['o.target', 'o.last_error', 'o.last_attempt_at'])
      .where('o.last_attempt_at', 'is not', null)
      .where('o.last_error', 'is not', null)
      .where('o.id', '=', (eb) =>
        eb
          .selectFrom('notification_outbox as p')
          .select('p.id')
          .whereRef('p.target', '=', 'o.target')
          .where('p.last_attempt_at', 'is not', null)
          .where('p.last_error', 'is not', null)
          .orderBy('p.last_attempt_at', 'desc')
          .orderBy('p.id', 'desc')
          .limit(1),
      )
      .execute();
    for (const r of errors) {
      const s = out.get(r.target);
      if (s) Object.assign(s, { lastError: r.last_error, lastErrorAt: Number(r.last_attempt_at) });
    }
    return out;
  }

  async pending(): Promise<number> {
    const row = await this.db
      .selectFrom('notification_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('delivered_at', 'is', null)
      .where('abandoned_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
