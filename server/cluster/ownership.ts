/**
 * Who owns which partitions (issue 15 item 3). A worker reacts to three events: `acquired(p, epoch)`
 * (start the partition's MQTT session, its rules), `releasing(p, why)` (a live worker gives p up
 * while the lease still holds: stop taking messages and finish those taken; not on a lost lease)
 * and `released(p, why)` (stop them, save the rule state; the broker queues its readings until the
 * next owner). Listeners are awaited in turn, so a released partition's session is closed before
 * its lease is given up; partitions given up together drain side by side. Two owners: `PgPartitionLeases`
 * (PostgreSQL advisory-lock leases shared by N workers) and `SoleOwner` (the embedded SQLite
 * process, which owns every partition and needs no lock).
 */
import type { Logger } from '../logger';
import { assertPartitionCount } from './partitioning';

/** Why a partition was let go: a worker joined, the lease connection died, or the worker stops. */
export type ReleaseReason = 'rebalance' | 'lost' | 'stop';

export interface OwnershipEvents {
  acquired: (partition: number, epoch: number) => Promise<void> | void;
  /** Before `released` when the worker gives the partition up alive (rebalance, stop): the lease still holds. */
  releasing: (partition: number, why: ReleaseReason) => Promise<void> | void;
  released: (partition: number, why: ReleaseReason) => Promise<void> | void;
}

export interface PartitionOwnership {
  readonly partitions: number;
  /** The partitions held now and their epochs (the fencing tokens). */
  held(): ReadonlyMap<number, number>;
  on<E extends keyof OwnershipEvents>(event: E, listener: OwnershipEvents[E]): void;
  /**
   * Whether this worker still holds the partition's lease under this epoch, asked of the database
   * (false when the lease connection is gone). Asked before a partition's MQTT session connects
   * again: a worker that lost its lease must not take the broker session back from the new owner.
   */
  stillOwner(partition: number, epoch: number): Promise<boolean>;
  start(): Promise<void>;
  /** Releases every partition (listeners first), then gives up the leases. */
  stop(): Promise<void>;
}

/** The listeners of one owner, awaited in turn; a listener that throws is logged, never fatal. */
export class OwnershipListeners {
  private readonly acquired: OwnershipEvents['acquired'][] = [];
  private readonly releasing: OwnershipEvents['releasing'][] = [];
  private readonly released: OwnershipEvents['released'][] = [];

  constructor(private readonly log: Logger) {}

  add<E extends keyof OwnershipEvents>(event: E, listener: OwnershipEvents[E]): void {
    if (event === 'acquired') this.acquired.push(listener as OwnershipEvents['acquired']);
    else if (event === 'releasing') this.releasing.push(listener as OwnershipEvents['releasing']);
    else this.released.push(listener as OwnershipEvents['released']);
  }

  /**
   * Lets partitions go: when the worker gives them up alive (not `lost`), `releasing` for all of them
   * side by side (their drains overlap); then one by one `forget` (no longer held), `released`, `unlock`.
   */
  async letGo(
    partitions: readonly number[],
    why: ReleaseReason,
    forget: (partition: number) => void,
    unlock?: (partition: number) => Promise<void>,
  ): Promise<void> {
    if (why !== 'lost') await Promise.all(partitions.map((p) => this.emitReleasing(p, why)));
    for (const p of partitions) {
      forget(p);
      await this.emitReleased(p, why);
      await unlock?.(p);
    }
  }

  async emitReleasing(partition: number, why: ReleaseReason): Promise<void> {
    for (const fn of this.releasing) await this.settle(() => fn(partition, why), partition);
  }

  async emitAcquired(partition: number, epoch: number): Promise<void> {
    this.log.info({ partition, epoch }, 'partition acquired');
    for (const fn of this.acquired) await this.settle(() => fn(partition, epoch), partition);
  }

  async emitReleased(partition: number, why: ReleaseReason): Promise<void> {
    this.log.info({ partition, why }, 'partition released');
    for (const fn of this.released) await this.settle(() => fn(partition, why), partition);
  }

  /** Runs one listener; what it throws (at once or later) is logged. */
  private async settle(call: () => Promise<void> | void, partition: number): Promise<void> {
    try {
      await call();
    } catch (err) {
      this.log.error({ err, partition }, 'partition listener failed');
    }
  }
}

/** The embedded process (SQLite): it owns every partition from start to stop, epoch 1, no lock. */
export class SoleOwner implements PartitionOwnership {
  private readonly owned = new Map<number, number>();
  private readonly listeners: OwnershipListeners;

  constructor(
    readonly partitions: number,
    log: Logger,
  ) {
    assertPartitionCount(partitions);
    this.listeners = new OwnershipListeners(log);
  }

  held(): ReadonlyMap<number, number> {
    return this.owned;
  }

  on<E extends keyof OwnershipEvents>(event: E, listener: OwnershipEvents[E]): void {
    this.listeners.add(event, listener);
  }

  async stillOwner(partition: number, epoch: number): Promise<boolean> {
    return this.owned.get(partition) === epoch;
  }

  async start(): Promise<void> {
    for (let p = 0; p < this.partitions; p++) {
      this.owned.set(p, 1);
      await this.listeners.emitAcquired(p, 1);
    }
  }

  async stop(): Promise<void> {
    await this.listeners.letGo([...this.owned.keys()], 'stop', (p) => void this.owned.delete(p));
  }
}
