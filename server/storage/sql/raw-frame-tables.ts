/**
 * The raw HJ 212 frame archive's table and its migrations (issue 15: the archive shared by every
 * process of a cluster). It lives in the PostgreSQL database of DATABASE_URL when one is set, else in
 * a SQLite file of its own, `<dataDir>/raw-frames.db` (large blobs written apart from the state), with
 * its own migration history (`raw_frames_migrations`). On SQLite the first migration adopts the
 * table the hand-written archive made before (same name and columns; the aggregate `count` column
 * added if the file predates it). Only Kysely's schema builder and portable types, except the
 * auto-assigned key (database.ts onPostgres).
 */
import type { Generated, Kysely, Migration } from 'kysely';
import { onPostgres } from './database';
import type { MigrationList } from './migrate';

export interface RawFrameRow {
  /** Assigned by the database (SQLite AUTOINCREMENT, PostgreSQL bigserial): the order of arrival within a millisecond. */
  id: Generated<number>;
  received_at: number;
  mn: string | null;
  cn: string | null;
  /** 'tcp' | 'mqtt'. */
  transport: string;
  peer: string;
  verdict: string;
  detail: string | null;
  /** The bytes as received (PostgreSQL bytea, SQLite blob). */
  bytes: Uint8Array;
  /** How many refusals the row stands for (1: a frame kept verbatim). */
  count: number;
  /**
   * A digest of the frame's bytes, verdict and detail (null: an aggregate row, or a row from before
   * 0002): with (mn, received_at, peer) it names one frame as received, so a frame delivered twice
   * (the broker redelivers an envelope whose acknowledgement was lost) is kept once.
   */
  digest: Generated<string | null>;
}

export interface RawFrameTables {
  raw_frames: RawFrameRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    const pg = onPostgres(db);
    await db.schema
      .createTable('raw_frames')
      .ifNotExists()
      // bigserial: a busy archive passes 2^31 rows within its retention.
      .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('mn', 'text')
      .addColumn('cn', 'text')
      .addColumn('transport', 'text', (c) => c.notNull())
      .addColumn('peer', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      // bytea: PostgreSQL's binary type; SQLite keeps the bytes as a blob under that name.
      .addColumn('bytes', 'bytea', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    // A file of the hand-written archive from before aggregate rows: every row stands for one frame.
    const tables = await db.introspection.getTables();
    const columns = tables.find((t) => t.name === 'raw_frames')?.columns ?? [];
    if (!columns.some((c) => c.name === 'count')) {
      await db.schema
        .alterTable('raw_frames')
        .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    }
    // One source's frames in a time range (the API, the evidence package); pruning by time.
    await db.schema.createIndex('raw_frames_mn_time').ifNotExists().on('raw_frames').columns(['mn', 'received_at']).execute();
    await db.schema.createIndex('raw_frames_time').ifNotExists().on('raw_frames').column('received_at').execute();
  },
};

/** One row per frame as received: a redelivered frame is not archived again. */
const once: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('raw_frames').addColumn('digest', 'text').execute();
    // NULLs are distinct in a unique index on both engines: aggregate rows and older rows never collide.
    await db.schema.createIndex('raw_frames_once').unique().on('raw_frames').columns(['mn', 'received_at', 'peer', 'digest']).execute();
  },
};

export const RAW_FRAME_MIGRATIONS: MigrationList = {
  store: 'raw_frames',
  migrations: { '0001-raw-frames': init, '0002-frame-once': once },
};
