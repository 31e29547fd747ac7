/**
 * RawArchive through Kysely (issue 15): on PostgreSQL (DATABASE_URL), where every process of a
 * cluster — the gateways' refusals, the ingest workers' accepted frames — lands in one table that
 * any web process reads; or on a SQLite file of its own (`<dataDir>/raw-frames.db`, the embedded
 * default). Table and migrations: raw-frame-tables.ts.
 *
 * Records queue in memory and are written in batches: `batchSize` records or `flushIntervalMs`,
 * whichever first; a batch is one transaction of multi-row INSERTs (one statement unless it passes
 * ROWS_PER_STATEMENT). One batch is written at a time: what arrives meanwhile joins the next, so
 * many concurrent appends cost few commits. append() resolves once its batch is committed.
 */
import { createHash } from 'node:crypto';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Logger } from '../../logger';
import { deferred, type Deferred } from '../deferred';
import type { RawArchive, RawFrameQuery, RawFrameRecord, RawTransport, StoredRawFrame } from '../raw-archive';
import { openSqlDatabase, type SqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { RAW_FRAME_MIGRATIONS, type RawFrameRow, type RawFrameTables } from './raw-frame-tables';

export interface SqlRawArchiveOptions {
  /** Records a batch waits for at most before it is written (default 2,000). */
  batchSize?: number;
  /** How long the first record of a batch waits at most (default 50 ms). */
  flushIntervalMs?: number;
  /** Rows one pruning statement deletes at most (default 5,000; issue 20: pruning off the hot path). */
  pruneSlice?: number;
}

/** An append after close(): the frame is not archived. */
export class RawArchiveClosedError extends Error {
  constructor() {
    super('the raw frame archive is closed: the frame was not archived');
    this.name = 'RawArchiveClosedError';
  }
}

/** Rows per INSERT statement: 10 parameters a row stays under SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 2_000;

interface Pending extends Deferred {
  records: RawFrameRecord[];
}

const pending = (): Pending => ({ records: [], ...deferred() });

/** What names a frame as received, beside its MN, time and peer (none for an aggregate row). */
const digestOf = (r: RawFrameRecord, bytes: Buffer): string | null =>
  (r.count ?? 1) > 1
    ? null
    : createHash('sha256')
        .update(bytes)
        .update(`\0${r.verdict}\0${r.detail ?? ''}`)
        .digest('base64url')
        .slice(0, 22);

const toRow = (r: RawFrameRecord): Insertable<RawFrameRow> => {
  // A Buffer over the same bytes: both drivers bind it as binary (a plain Uint8Array is not for pg).
  const bytes = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
  return {
    received_at: r.receivedAt,
    mn: r.mn,
    cn: r.cn,
    transport: r.transport,
    peer: r.peer,
    verdict: r.verdict,
    detail: r.detail,
    bytes,
    count: r.count ?? 1,
    digest: digestOf(r, bytes),
  };
};

const fromRow = (r: Selectable<RawFrameRow>): StoredRawFrame => ({
  id: Number(r.id),
  receivedAt: Number(r.received_at),
  mn: r.mn,
  cn: r.cn,
  transport: r.transport as RawTransport,
  peer: r.peer,
  verdict: r.verdict,
  detail: r.detail,
  bytes: new Uint8Array(r.bytes),
  count: Number(r.count),
});

export class SqlRawArchive implements RawArchive {
  private readonly db: Kysely<RawFrameTables>;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly pruneSlice: number;
  private current: Pending | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The batch being written now (never rejects: its appenders hear the failure). */
  private writing: Promise<void> | null = null;
  /** A batch fell due while another was being written: write it when that one ends. */
  private due = false;
  private closed = false;
  /** Transactions committed and records in them since open (tests, audits of batching). */
  readonly stats = { commits: 0, records: 0 };

  constructor(
    private readonly sql: SqlDatabase<RawFrameTables>,
    private readonly log: Logger,
    opts: SqlRawArchiveOptions = {},
  ) {
    this.db = sql.db;
    this.batchSize = opts.batchSize ?? 2_000;
    this.flushIntervalMs = opts.flushIntervalMs ?? 50;
    this.pruneSlice = opts.pruneSlice ?? 5_000;
  }

  /** Which engine holds the frames. */
  get dialect(): SqlDatabase<RawFrameTables>['dialect'] {
    return this.sql.dialect;
  }

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, RAW_FRAME_MIGRATIONS);
  }

  append(record: RawFrameRecord): Promise<void> {
    if (this.closed) return Promise.reject(new RawArchiveClosedError());
    const batch = (this.current ??= pending());
    batch.records.push(record);
    if (batch.records.length === 1 && !this.due) this.timer = setTimeout(() => this.kick(), this.flushIntervalMs);
    if (batch.records.length >= this.batchSize) this.kick();
    return batch.promise;
  }

  /** The queued batch is due: written now, or as soon as the batch being written is committed. */
  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing) {
      this.due = true;
      return;
    }
    this.due = false;
    const batch = this.current;
    this.current = null;
    if (!batch || batch.records.length === 0) return;
    this.writing = this.write(batch).finally(() => {
      this.writing = null;
      if (this.due) this.kick();
    });
  }

  private async write(batch: Pending): Promise<void> {
    const rows = batch.records.map(toRow);
    try {
      await this.db.transaction().execute(async (tx) => {
        for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
          await tx
            .insertInto('raw_frames')
            .values(rows.slice(at, at + ROWS_PER_STATEMENT))
            // A frame already archived (delivered again by the broker) is kept once.
            .onConflict((oc) => oc.columns(['mn', 'received_at', 'peer', 'digest']).doNothing())
            .execute();
        }
      });
      this.stats.commits++;
      this.stats.records += rows.length;
      batch.resolve();
    } catch (err) {
      this.log.error({ err, records: rows.length }, 'raw archive write failed');
      batch.reject(new Error('raw archive write failed', { cause: err }));
    }
  }

  /** Writes everything queued; rejects when the last batch failed. */
  async flush(): Promise<void> {
    const batch = this.current;
    this.kick();
    await this.writing;
    await batch?.promise;
  }

  /** This process's queued frames are written first, so a read sees every frame it heard. */
  async query(q: RawFrameQuery): Promise<StoredRawFrame[]> {
    await this.flush().catch(() => undefined); // a failed batch was logged and its appenders told
    const rows = await this.db
      .selectFrom('raw_frames')
      .selectAll()
      .where('mn', '=', q.mn)
      .where('received_at', '>=', q.from)
      .where('received_at', '<', q.to)
      .orderBy('received_at')
      .orderBy('id')
      .limit(q.limit)
      .execute();
    return rows.map(fromRow);
  }

  /** Rows in the archive (all sources, refusals without an MN too): for tests and audits of its size. */
  async size(): Promise<number> {
    await this.flush().catch(() => undefined);
    const { n } = await this.db
      .selectFrom('raw_frames')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /**
   * Deletes what was received before `before`, `pruneSlice` rows a statement, each its own short
   * transaction (no long lock on the table: appends go on between slices).
   */
  async prune(before: number): Promise<number> {
    let total = 0;
    for (;;) {
      const { numDeletedRows } = await this.db
        .deleteFrom('raw_frames')
        .where('id', 'in', (eb) => eb.selectFrom('raw_frames').select('id').where('received_at', '<', before).limit(this.pruneSlice))
        .executeTakeFirst();
      const n = Number(numDeletedRows);
      total += n;
      if (n < this.pruneSlice) return total;
    }
  }

  /** Writes what is queued, then closes the connection; a later append rejects (RawArchiveClosedError). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush().catch(() => undefined); // a failed last batch was logged in write()
    await this.sql.close();
  }
}

/**
 * Opens the raw frame archive at `location` (a PostgreSQL URL, or a SQLite file, created if need be,
 * synchronous NORMAL as it writes often) and brings its table up to date.
 */
export async function openRawArchive(location: string, log: Logger, opts: SqlRawArchiveOptions = {}): Promise<SqlRawArchive> {
  const archive = new SqlRawArchive(openSqlDatabase<RawFrameTables>(location, { synchronous: 'NORMAL' }), log, opts);
  try {
    await archive.migrate();
    return archive;
  } catch (err) {
    await archive.close();
    throw err;
  }
}
