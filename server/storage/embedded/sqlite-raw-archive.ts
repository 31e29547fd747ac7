/**
 * RawArchive on SQLite (better-sqlite3, WAL): records queue in memory and are inserted in one
 * transaction per batch (`batchSize` records or `flushIntervalMs`, whichever first), so tens of
 * thousands of frames per second cost one commit per batch. append() resolves after the commit.
 */
import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite-open';
import { deferred, type Deferred } from '../deferred';
import type { Logger } from '../../logger';
import type { RawArchive, RawFrameQuery, RawFrameRecord, RawTransport, StoredRawFrame } from '../raw-archive';

export interface SqliteRawArchiveOptions {
  batchSize?: number;
  flushIntervalMs?: number;
}

interface Row {
  id: number;
  received_at: number;
  mn: string | null;
  cn: string | null;
  transport: RawTransport;
  peer: string;
  verdict: string;
  detail: string | null;
  bytes: Buffer;
  count: number;
}

/** Rows one pruning statement deletes at most (issue 20: pruning off the hot path). */
const PRUNE_SLICE = 5_000;

interface Pending extends Deferred {
  records: RawFrameRecord[];
}

const pending = (): Pending => ({ records: [], ...deferred() });

export class SqliteRawArchive implements RawArchive {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly writeAll: (records: RawFrameRecord[]) => void;
  private current: Pending | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;

  constructor(
    file: string,
    private readonly log: Logger,
    opts: SqliteRawArchiveOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 2000;
    this.flushIntervalMs = opts.flushIntervalMs ?? 50;
    this.db = openSqlite(file, { synchronous: 'NORMAL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS raw_frames (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL, mn TEXT, cn TEXT, transport TEXT NOT NULL, peer TEXT NOT NULL,
        verdict TEXT NOT NULL, detail TEXT, bytes BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS raw_frames_mn_time ON raw_frames (mn, received_at);
      CREATE INDEX IF NOT EXISTS raw_frames_time ON raw_frames (received_at);`);
    // Archives written before aggregate rows existed: every row stands for one frame.
    const columns = this.db.prepare('PRAGMA table_info(raw_frames)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'count')) this.db.exec('ALTER TABLE raw_frames ADD COLUMN count INTEGER NOT NULL DEFAULT 1');
    this.insert = this.db.prepare(
      'INSERT INTO raw_frames (received_at, mn, cn, transport, peer, verdict, detail, bytes, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.select = this.db.prepare(
      'SELECT * FROM raw_frames WHERE mn = ? AND received_at >= ? AND received_at < ? ORDER BY received_at, id LIMIT ?',
    );
    this.writeAll = this.db.transaction((records: RawFrameRecord[]) => {
      for (const r of records) {
        const bytes = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
        this.insert.run(r.receivedAt, r.mn, r.cn, r.transport, r.peer, r.verdict, r.detail, bytes, r.count ?? 1);
      }
    });
  }

  append(record: RawFrameRecord): Promise<void> {
    const batch = (this.current ??= pending());
    if (batch.records.length === 0) this.timer = setTimeout(() => this.commit(), this.flushIntervalMs);
    batch.records.push(record);
    if (batch.records.length >= this.batchSize) this.commit();
    return batch.promise;
  }

  private commit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.current;
    this.current = null;
    if (!batch || batch.records.length === 0) return;
    try {
      this.writeAll(batch.records);
      batch.resolve();
    } catch (err) {
      this.log.error({ err, records: batch.records.length }, 'raw archive write failed');
      batch.reject(new Error('raw archive write failed', { cause: err }));
    }
  }

  async flush(): Promise<void> {
    const batch = this.current;
    this.commit();
    await batch?.promise;
  }

  async query(q: RawFrameQuery): Promise<StoredRawFrame[]> {
    this.commit();
    const rows = this.select.all(q.mn, q.from, q.to, q.limit) as Row[];
    return rows.map((r) => ({
      id: r.id,
      receivedAt: r.received_at,
      mn: r.mn,
      cn: r.cn,
      transport: r.transport,
      peer: r.peer,
      verdict: r.verdict,
      detail: r.detail,
      bytes: new Uint8Array(r.bytes),
      count: r.count,
    }));
  }

  /** Rows in the archive (all sources, refusals without an MN too): for tests and audits of its size. */
  async size(): Promise<number> {
    this.commit();
    return (this.db.prepare('SELECT COUNT(*) AS n FROM raw_frames').get() as { n: number }).n;
  }

  /** In slices of PRUNE_SLICE rows with a turn of the event loop between (SQLite blocks it meanwhile). */
  async prune(before: number): Promise<number> {
    this.commit();
    const slice = this.db.prepare('DELETE FROM raw_frames WHERE received_at < ? LIMIT ?');
    let total = 0;
    for (;;) {
      const n = slice.run(before, PRUNE_SLICE).changes;
      total += n;
      if (n < PRUNE_SLICE) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined); // a failed last batch was logged in commit()
    this.db.close();
  }
}
