/**
 * The cluster-wide jobs (issue 15; docs/scale-out.md "Cluster-wide jobs") — delivering the
 * notification outbox, the escalation chain, reminders, overdue cases, the cases the product opens
 * itself, the judges over every source (ambient alerts, unloading watch, the responses' verifiers)
 * and the warnings' and campaigns' sweeps — must run on one process of a cluster, not on each; any
 * web or ingest process may hold the lease (server/parts/role-parts.ts). That process is the holder of the
 * jobs lease: a session-level PostgreSQL advisory lock (JOBS_SPACE, 0) on a lease connection of its
 * own (lease-connection.ts, checked by lease-loop.ts). When the holder dies its connection ends, the server drops the lock and
 * another process takes it at its next check (every `recheckMs`).
 *
 * No fencing token: every such job is safe to run twice for a moment (the outbox delivers at least
 * once and marks what it sent; reminders and cases are recorded once per subject in the database),
 * which is all a holder that lost its connection unnoticed can cause before its next check.
 *
 * The embedded process holds it always (`SOLE_JOB_LEASE`).
 */
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../logger';
import { LeaseLoop } from './lease-loop';

/** The advisory-lock key space of the jobs lease (first int4 key; the second is 0). */
export const JOBS_SPACE = 0x4f330003;

export interface JobLease {
  /** Whether this process runs the cluster-wide jobs now. */
  held(): boolean;
  start(): Promise<void>;
  /** Gives the lease up (another process takes it at its next check). */
  stop(): Promise<void>;
}

/** The one process of an embedded deployment: it runs every job. */
export const SOLE_JOB_LEASE: JobLease = {
  held: () => true,
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};

export interface PgJobLeaseOptions {
  /** The PostgreSQL database the processes share (DATABASE_URL). */
  url: string;
  /** This process's name (logs, pg_stat_activity). */
  name: string;
  /** How often a process without the lease tries it (default 2 s). */
  recheckMs?: number;
  /** A lease query slower than this counts as a lost connection (default 5 s). */
  queryTimeoutMs?: number;
}

export class PgJobLease implements JobLease {
  private readonly loop: LeaseLoop<unknown>;
  private holding = false;

  constructor(
    private readonly opts: PgJobLeaseOptions,
    private readonly log: Logger,
  ) {
    this.loop = new LeaseLoop<unknown>(
      {
        url: opts.url,
        applicationName: `o3-jobs ${opts.name}`,
        recheckMs: opts.recheckMs ?? 2_000,
        queryTimeoutMs: opts.queryTimeoutMs ?? 5_000,
        name: 'jobs lease',
        check: (db) => this.tryTake(db),
        release: async (why) => {
          if (this.holding) this.log.info({ process: this.opts.name, why }, 'jobs lease given up');
          this.holding = false;
        },
      },
      log,
    );
  }

  /** Held, and its connection not seen ending (a dead connection stops the jobs at once, before the release runs). */
  held(): boolean {
    return this.holding && this.loop.live();
  }

  /** Tries the lease once now, then every `recheckMs`; never rejects (PostgreSQL may come later). */
  start(): Promise<void> {
    return this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async tryTake(db: Kysely<unknown>): Promise<void> {
    if (this.holding) return;
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${JOBS_SPACE}, 0) as ok`.execute(db);
    if (got.rows[0]?.ok !== true) return;
    this.holding = true;
    this.log.info({ process: this.opts.name }, 'jobs lease taken: this process runs the cluster-wide jobs');
  }
}

/** The jobs lease of a process: on the shared PostgreSQL (`url`), else the embedded process's; started. */
export async function startJobLease(url: string | undefined, name: string, log: Logger): Promise<JobLease> {
  const lease = url ? new PgJobLease({ url, name }, log) : SOLE_JOB_LEASE;
  await lease.start();
  return lease;
}
