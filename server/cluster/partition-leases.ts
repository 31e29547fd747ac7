/**
 * Partition leases over PostgreSQL session-level advisory locks (issue 15 item 3). A worker holds
 * partition p while its lease connection (lease-connection.ts, checked by lease-loop.ts) holds the advisory lock
 * (LEASE_SPACE, p); when the connection dies — the process was killed, the machine lost — the
 * server drops the lock and another worker takes p at its next check (every `recheckMs`).
 *
 * Live workers are counted from pg_locks, not from a heartbeat table: each worker holds the shared
 * advisory lock (MEMBER_SPACE, 0) on the same connection as its leases, so "alive" and "holds
 * leases" lapse together, with no clock, expiry or dead rows to tune. Each check: fair share =
 * ceil(P / live workers); a worker above it releases its highest partitions (a worker joined), a
 * worker below it tries the free ones, starting at a place of its own so workers rarely collide.
 *
 * Fencing: each acquisition raises the partition's epoch (lease-tables.ts). A worker that lost its
 * lease (its connection died unnoticed, a long pause) may still run for a moment; `stillOwner`
 * (before a partition's MQTT session connects again) and `assertOwner` (in every transaction that
 * writes state as a partition's owner) refuse it once another worker has acquired the partition.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Logger } from '../logger';
import { migrateToLatest } from '../storage/sql/migrate';
import { LeaseLoop } from './lease-loop';
import { LEASE_MIGRATIONS, type LeaseTables } from './lease-tables';
import { OwnershipListeners, type OwnershipEvents, type PartitionOwnership, type ReleaseReason } from './ownership';
import { assertPartitionCount, fairShare, fnv1a32 } from './partitioning';

/** The advisory-lock key spaces (first int4 key); the second key is the partition (leases) or 0. */
export const LEASE_SPACE = 0x4f330001;
export const MEMBER_SPACE = 0x4f330002;

export interface PartitionLeasesOptions {
  /** The PostgreSQL database shared by the workers (DATABASE_URL). */
  url: string;
  partitions: number;
  /** This worker's name (logs, pg_stat_activity, the fencing table's `owner`). */
  worker: string;
  /** How often the share is checked and free partitions tried (default 2 s: takeover within ~2 s of a death). */
  recheckMs?: number;
  /** A lease query slower than this counts as a lost connection (default 5 s). */
  queryTimeoutMs?: number;
}

/** Thrown by `assertOwner`: another worker acquired the partition since this epoch. */
export class LeaseLostError extends Error {
  constructor(
    readonly partition: number,
    readonly epoch: number,
  ) {
    super(`partition ${partition}: the lease of epoch ${epoch} was lost to another worker`);
  }
}

/**
 * The fencing check: call inside the transaction that writes state as the partition's owner. The
 * row lock (FOR SHARE) makes a new owner's acquisition wait until this transaction ends, so the new
 * owner reads everything the old one wrote; once the epoch moved on, the write is refused.
 */
export async function assertOwner(trx: Transaction<LeaseTables> | Kysely<LeaseTables>, partition: number, epoch: number): Promise<void> {
  const row = await trx.selectFrom('cluster_partitions').select('epoch').where('partition', '=', partition).forShare().executeTakeFirst();
  if (row?.epoch !== epoch) throw new LeaseLostError(partition, epoch);
}

export class PgPartitionLeases implements PartitionOwnership {
  readonly partitions: number;
  private readonly owned = new Map<number, number>();
  private readonly listeners: OwnershipListeners;
  private readonly recheckMs: number;
  private readonly loop: LeaseLoop<LeaseTables>;
  private stopped = false;

  constructor(
    private readonly opts: PartitionLeasesOptions,
    private readonly log: Logger,
  ) {
    assertPartitionCount(opts.partitions);
    this.partitions = opts.partitions;
    this.recheckMs = opts.recheckMs ?? 2_000;
    this.listeners = new OwnershipListeners(log);
    this.loop = new LeaseLoop<LeaseTables>(
      {
        url: opts.url,
        applicationName: `o3-ingest ${opts.worker}`,
        recheckMs: this.recheckMs,
        queryTimeoutMs: opts.queryTimeoutMs ?? 5_000,
        name: 'partition lease',
        prepare: async (db) => {
          await migrateToLatest(db as Kysely<unknown>, LEASE_MIGRATIONS);
          await sql`select pg_advisory_lock_shared(${MEMBER_SPACE}, 0)`.execute(db);
        },
        check: (db) => this.rebalance(db),
        release: (why) => this.releaseAll(why),
      },
      log,
    );
  }

  held(): ReadonlyMap<number, number> {
    return this.owned;
  }

  on<E extends keyof OwnershipEvents>(event: E, listener: OwnershipEvents[E]): void {
    this.listeners.add(event, listener);
  }

  async stillOwner(partition: number, epoch: number): Promise<boolean> {
    const db = this.loop.db();
    if (!db || this.owned.get(partition) !== epoch) return false;
    try {
      const row = await sql<{ locked: boolean; epoch: number | null }>`
        select exists (select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted
                         and classid = ${LEASE_SPACE} and objid = ${partition} and objsubid = 2) as locked,
               (select epoch from cluster_partitions where partition = ${partition}) as epoch`.execute(db);
      return row.rows[0]?.locked === true && row.rows[0].epoch === epoch;
    } catch (err) {
      this.log.warn({ err, partition }, 'could not confirm a lease: taken as lost');
      return false;
    }
  }

  /** Connects, takes the worker's share and checks it again every `recheckMs`. Rejects when PostgreSQL cannot be reached at first. */
  async start(): Promise<void> {
    await this.loop.connect();
    await this.loop.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
  }

  private async rebalance(db: Kysely<LeaseTables>): Promise<void> {
    const live = await this.liveWorkers(db);
    const share = fairShare(this.partitions, live);
    if (this.owned.size > share) {
      const extra = [...this.owned.keys()].sort((a, b) => b - a).slice(0, this.owned.size - share);
      // Drained under the lease (readings taken are written and acknowledged), then unlocked for the next owner.
      await this.listeners.letGo(
        extra,
        'rebalance',
        (p) => void this.owned.delete(p),
        async (p) => void (await sql`select pg_advisory_unlock(${LEASE_SPACE}, ${p})`.execute(db)),
      );
      return;
    }
    if (this.owned.size >= share) return;
    const taken = await this.takenPartitions(db);
    const acquired: [number, number][] = [];
    for (const p of this.candidates(taken)) {
      if (this.owned.size >= share || this.stopped) break;
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${LEASE_SPACE}, ${p}) as ok`.execute(db);
      if (got.rows[0]?.ok !== true) continue;
      const epoch = await this.bumpEpoch(db, p);
      this.owned.set(p, epoch);
      acquired.push([p, epoch]);
    }
    // The partitions' sessions open side by side: a takeover of many partitions waits for the slowest, not the sum.
    await Promise.all(acquired.map(([p, epoch]) => this.listeners.emitAcquired(p, epoch)));
  }

  /** The free partitions, starting at this worker's own place (its name's hash) and wrapping around. */
  private candidates(taken: ReadonlySet<number>): number[] {
    const start = fnv1a32(this.opts.worker) % this.partitions;
    const out: number[] = [];
    for (let i = 0; i < this.partitions; i++) {
      const p = (start + i) % this.partitions;
      if (!taken.has(p) && !this.owned.has(p)) out.push(p);
    }
    return out;
  }

  private async liveWorkers(db: Kysely<LeaseTables>): Promise<number> {
    const r = await sql<{ n: number }>`
      select count(distinct pid)::int as n from pg_locks
       where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())
         and classid = ${MEMBER_SPACE} and objid = 0 and objsubid = 2`.execute(db);
    return r.rows[0]?.n ?? 1;
  }

  private async takenPartitions(db: Kysely<LeaseTables>): Promise<Set<number>> {
    const r = await sql<{ p: number }>`
      select objid::int as p from pg_locks
       where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())
         and classid = ${LEASE_SPACE} and objsubid = 2`.execute(db);
    return new Set(r.rows.map((row) => row.p));
  }

  private async bumpEpoch(db: Kysely<LeaseTables>, partition: number): Promise<number> {
    const row = await db
      .insertInto('cluster_partitions')
      .values({ partition, epoch: 1, owner: this.opts.worker, acquired_at: Date.now() })
      .onConflict((oc) =>
        oc.column('partition').doUpdateSet((eb) => ({
          epoch: eb('cluster_partitions.epoch', '+', 1),
          owner: eb.ref('excluded.owner'),
          acquired_at: eb.ref('excluded.acquired_at'),
        })),
      )
      .returning('epoch')
      .executeTakeFirstOrThrow();
    return row.epoch;
  }

  /**
   * Lets every partition go (listeners first; at a stop drained while the connection still holds the
   * locks); the locks go with the connection, which is closing or dead.
   */
  private async releaseAll(why: ReleaseReason): Promise<void> {
    await this.listeners.letGo([...this.owned.keys()], why, (p) => void this.owned.delete(p));
  }
}
