/**
 * A worker's lease connection: one PostgreSQL connection of its own (not a pooled one), because a
 * session-level advisory lock belongs to the connection that took it and lapses when that
 * connection ends — that is the lease. Kysely runs over this one connection (the fencing table, its
 * migrations, the lock calls), so nothing else can borrow it and no query silently moves to
 * another connection without the locks.
 */
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import { pgTypes } from '../storage/sql/database';

export interface LeaseConnection<Tables> {
  db: Kysely<Tables>;
  /** Resolves (with the reason) when the connection ends or fails: every lease is gone then. */
  readonly ended: Promise<Error>;
  /** Ends the connection (the server drops its locks). */
  close(): Promise<void>;
}

export interface LeaseConnectionOptions {
  url: string;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  /** A query that takes longer fails (and the worker treats the connection as lost). */
  queryTimeoutMs: number;
}

export async function openLeaseConnection<Tables>(opts: LeaseConnectionOptions): Promise<LeaseConnection<Tables>> {
  const client = new pg.Client({
    connectionString: opts.url,
    application_name: opts.applicationName,
    types: pgTypes,
    // TCP keepalive: a server that vanished is noticed without waiting for the next query.
    keepAlive: true,
    keepAliveInitialDelayMillis: 5_000,
    query_timeout: opts.queryTimeoutMs,
    connectionTimeoutMillis: opts.queryTimeoutMs,
  });
  let settle: (reason: Error) => void = () => undefined;
  const ended = new Promise<Error>((resolve) => (settle = resolve));
  client.on('error', (err) => settle(err));
  client.on('end', () => settle(new Error('the lease connection ended')));
  await client.connect();
  const pool: PostgresPool = {
    connect: async () => ({
      query: ((text: string, params?: readonly unknown[]) => client.query(text, params as unknown[])) as never,
      release: () => undefined,
    }),
    end: async () => undefined,
  };
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    ended,
    async close() {
      await db.destroy();
      await client.end().catch(() => undefined);
    },
  };
}
