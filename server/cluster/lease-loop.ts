/**
 * The loop both kinds of lease run (the partition leases, partition-leases.ts; the jobs lease,
 * job-lease.ts): one lease connection (lease-connection.ts), a check on it now and then every
 * `recheckMs`, the checks one at a time. The connection is the lease: when it ends or a check
 * fails on it, everything held under it is released (`release('lost')`) and the next check opens
 * a new one; `stop()` releases (`release('stop')`) and closes it.
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../logger';
import { openLeaseConnection, type LeaseConnection } from './lease-connection';

export type LeaseRelease = 'lost' | 'stop';

export interface LeaseLoopOptions<Tables> {
  /** The PostgreSQL database shared by the processes (DATABASE_URL). */
  url: string;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  recheckMs: number;
  /** A lease query slower than this counts as a lost connection. */
  queryTimeoutMs: number;
  /** Names the lease in log lines ("jobs lease connection lost"). */
  name: string;
  /** Runs on a new connection before any check (migrations, a membership lock); a failure closes it. */
  prepare?: (db: Kysely<Tables>) => Promise<void>;
  /** One check on the live connection; a throw counts the connection as lost. */
  check: (db: Kysely<Tables>) => Promise<void>;
  /** Everything held under the connection is gone (it was lost) or given up (stop). */
  release: (why: LeaseRelease) => Promise<void>;
}

export class LeaseLoop<Tables> {
  private conn: LeaseConnection<Tables> | null = null;
  /** False as soon as the connection ends, before the release has run. */
  private alive = false;
  private timer: NodeJS.Timeout | null = null;
  /** The checks (and the release after a loss) run one at a time, chained here. */
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly opts: LeaseLoopOptions<Tables>,
    private readonly log: Logger,
  ) {}

  /** The live connection, if any (the locks taken on it are the leases). */
  db(): Kysely<Tables> | null {
    return this.alive ? (this.conn?.db ?? null) : null;
  }

  /** Whether a live connection holds what the last checks took (false from the moment it ends). */
  live(): boolean {
    return this.alive;
  }

  /** Opens the connection now; rejects when PostgreSQL cannot be reached (for a caller that must know at start). */
  connect(): Promise<void> {
    return this.open();
  }

  /** Checks once now, then every `recheckMs`; never rejects (PostgreSQL may come later). */
  async start(): Promise<void> {
    await this.schedule(() => this.round());
    this.arm();
  }

  /** Runs `task` after the checks under way (a caller's own step on the lease, in order with them). */
  schedule(task: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(task).catch((err: unknown) => this.log.error({ err }, `${this.opts.name} check failed`));
    return this.chain;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.schedule(async () => {
      const conn = this.conn;
      this.conn = null;
      this.alive = false;
      await this.opts.release('stop');
      await conn?.close();
    });
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.schedule(() => this.round()).then(() => this.arm()), this.opts.recheckMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    if (!this.conn) {
      try {
        await this.open();
      } catch (err) {
        this.log.warn({ err }, `PostgreSQL unreachable: no ${this.opts.name} until it returns`);
        return;
      }
    }
    const conn = this.conn!;
    try {
      await this.opts.check(conn.db);
    } catch (err) {
      this.log.error({ err }, `${this.opts.name} check failed: the connection is taken as lost`);
      await this.lose(conn);
    }
  }

  private async open(): Promise<void> {
    const conn = await openLeaseConnection<Tables>({
      url: this.opts.url,
      applicationName: this.opts.applicationName,
      queryTimeoutMs: this.opts.queryTimeoutMs,
    });
    try {
      await this.opts.prepare?.(conn.db);
    } catch (err) {
      await conn.close();
      throw err;
    }
    this.conn = conn;
    this.alive = true;
    // A dead connection took every lock with it: what was held stops now, not at the next check.
    void conn.ended.then((reason) => {
      if (this.conn !== conn || this.stopped) return;
      this.alive = false;
      this.log.error({ err: reason }, `${this.opts.name} connection lost: everything held under it is released`);
      void this.schedule(() => this.lose(conn));
    });
  }

  private async lose(conn: LeaseConnection<Tables>): Promise<void> {
    if (this.conn !== conn) return;
    this.conn = null;
    this.alive = false;
    await this.opts.release('lost');
    await conn.close();
  }
}
