/**
 * The raw frame archive's contract on both engines (a SQLite file and a PostgreSQL database, where a
 * cluster's processes share it): bytes kept exactly, one source's frames in [from, to) oldest first,
 * aggregate rows' counts, pruning in slices, batching, and a clear refusal after close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger';
import type { RawFrameRecord } from '../../../server/storage/raw-archive';
import { openRawArchive, RawArchiveClosedError, type SqlRawArchive } from '../../../server/storage/sql/raw-frame-archive';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const T = 1_780_000_000_000;
const A = '370300GKJK00000000000106';
const B = '370300GKJK00000000000105';
const log = createLogger('silent');

const rec = (at: number, mn: string | null, over: Partial<RawFrameRecord> = {}): RawFrameRecord => ({
  receivedAt: T + at,
  mn,
  cn: '2011',
  transport: 'tcp',
  peer: '10.0.0.1:40000',
  verdict: 'accepted',
  detail: null,
  bytes: Uint8Array.from([0x23, 0x23, at & 0xff]),
  ...over,
});

describe.each(sqlEngines())('SqlRawArchive on $name', (engine) => {
  let fresh: FreshDatabase;
  let archive: SqlRawArchive;
  beforeEach(async () => {
    fresh = await engine.create();
    archive = await openRawArchive(fresh.location, log, { flushIntervalMs: 5 });
  });
  afterEach(async () => {
    await archive.close();
    await fresh.remove();
  });

  it('keeps every byte as received — non-UTF-8, NUL, all 256 values — and every field, across a reopen', async () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const odd = Uint8Array.from([0x00, 0xff, 0xfe, 0xc3, 0x28, 0x00, 0x0d, 0x0a]);
    // A view into a larger buffer: only its own bytes are kept.
    const view = new Uint8Array(Uint8Array.from([9, 9, 0x23, 0x23, 0x00, 9]).buffer, 2, 3);
    await Promise.all([
      archive.append(rec(1, A, { bytes: all })),
      archive.append(
        rec(2, A, {
          bytes: odd,
          transport: 'mqtt',
          peer: `sentinel/v1/${A}/hj212`,
          verdict: 'bad_crc',
          detail: 'CRC 0000 ≠ 4F40',
          cn: null,
        }),
      ),
      archive.append(rec(3, A, { bytes: view })),
    ]);
    expect(archive.dialect).toBe(engine.name);
    await archive.close();
    archive = await openRawArchive(fresh.location, log);
    const rows = await archive.query({ mn: A, from: T, to: T + 10, limit: 10 });
    expect(rows.map((r) => [...r.bytes])).toEqual([[...all], [...odd], [0x23, 0x23, 0x00]]);
    expect(rows[1]).toMatchObject({
      receivedAt: T + 2,
      mn: A,
      cn: null,
      transport: 'mqtt',
      peer: `sentinel/v1/${A}/hj212`,
      verdict: 'bad_crc',
      detail: 'CRC 0000 ≠ 4F40',
      count: 1,
    });
    expect(rows[0]?.bytes).toBeInstanceOf(Uint8Array);
    expect(rows.every((r) => typeof r.id === 'number' && typeof r.receivedAt === 'number')).toBe(true);
  });

  it('gives one source’s frames in [from, to), oldest first (arrival order within a millisecond), at most `limit`', async () => {
    await Promise.all([
      archive.append(rec(30, A, { detail: 'first at 30' })),
      archive.append(rec(10, A)),
      archive.append(rec(20, B)),
      archive.append(rec(30, A, { detail: 'second at 30' })),
      archive.append(rec(40, A)),
      archive.append(rec(25, null, { verdict: 'garbage' })),
    ]);
    const inRange = await archive.query({ mn: A, from: T + 10, to: T + 40, limit: 10 });
    expect(inRange.map((r) => [r.receivedAt - T, r.detail])).toEqual([
      [10, null],
      [30, 'first at 30'],
      [30, 'second at 30'],
    ]);
    expect((await archive.query({ mn: A, from: T, to: T + 100, limit: 2 })).map((r) => r.receivedAt - T)).toEqual([10, 30]);
    expect((await archive.query({ mn: B, from: T, to: T + 100, limit: 10 })).map((r) => r.receivedAt - T)).toEqual([20]);
    expect(await archive.query({ mn: A, from: T + 41, to: T + 100, limit: 10 })).toEqual([]);
    expect(await archive.size()).toBe(6);
  });

  it('keeps the count of an aggregate row (a flooding peer’s refusals of one reason in one row)', async () => {
    await archive.append(rec(1, A, { verdict: 'bad_crc', detail: '1,234 refusals of this reason in the minute', count: 1_234 }));
    await archive.append(rec(2, A, { verdict: 'bad_crc' }));
    const rows = await archive.query({ mn: A, from: T, to: T + 10, limit: 10 });
    expect(rows.map((r) => r.count)).toEqual([1_234, 1]);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(1_235);
  });

  it('keeps a frame delivered twice once (a redelivered envelope), in one batch or two; a different frame at the same instant stays', async () => {
    const frame = rec(5, A, { bytes: Uint8Array.from([0x23, 0x23, 0x30, 0x31]) });
    await Promise.all([archive.append(frame), archive.append({ ...frame })]);
    await archive.append({ ...frame });
    await archive.append({ ...frame, bytes: Uint8Array.from([0x23, 0x23, 0x30, 0x32]) });
    await archive.append({ ...frame, peer: '10.0.0.2:40001' });
    await archive.append({ ...frame, verdict: 'bad_crc', detail: 'CRC 1A2B, computed 3C4D' });
    const rows = await archive.query({ mn: A, from: T, to: T + 10, limit: 10 });
    expect(rows.map((r) => [r.peer, r.verdict, r.bytes.at(-1)])).toEqual([
      ['10.0.0.1:40000', 'accepted', 0x31],
      ['10.0.0.1:40000', 'accepted', 0x32],
      ['10.0.0.2:40001', 'accepted', 0x31],
      ['10.0.0.1:40000', 'bad_crc', 0x31],
    ]);
    // Aggregate rows are counts, not frames: each is kept.
    const aggregate = rec(6, null, { verdict: 'garbage', detail: '10 refusals', count: 10 });
    await archive.append(aggregate);
    await archive.append({ ...aggregate });
    expect(await archive.size()).toBe(6);
  });

  it('prunes what was received before the cut, in slices, and keeps the rest', async () => {
    await archive.close();
    archive = await openRawArchive(fresh.location, log, { pruneSlice: 3, flushIntervalMs: 5 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => archive.append(rec(i, i % 2 === 0 ? A : null))));
    expect(await archive.prune(T + 11)).toBe(11); // four slices of at most 3
    expect(await archive.size()).toBe(9);
    expect((await archive.query({ mn: A, from: T, to: T + 100, limit: 100 })).map((r) => r.receivedAt - T)).toEqual([12, 14, 16, 18]);
    expect(await archive.prune(T + 11)).toBe(0);
  });

  it('writes many concurrent appends in few transactions, each append resolving once its batch is committed', async () => {
    await archive.close();
    archive = await openRawArchive(fresh.location, log, { batchSize: 500, flushIntervalMs: 20 });
    const n = 3_000;
    await Promise.all(Array.from({ length: n }, (_, i) => archive.append(rec(i, i % 2 === 0 ? A : B))));
    expect(archive.stats.records).toBe(n);
    expect(archive.stats.commits).toBeLessThanOrEqual(n / 500 + 1);
    expect(await archive.size()).toBe(n);
    // Resolved only after the commit: another connection sees every frame at once.
    const other = await openRawArchive(fresh.location, log);
    try {
      expect(await other.size()).toBe(n);
    } finally {
      await other.close();
    }
  });

  it('an append resolves only after its batch is committed', async () => {
    await archive.close();
    archive = await openRawArchive(fresh.location, log, { batchSize: 3, flushIntervalMs: 60_000 });
    const settled: number[] = [];
    const first = archive.append(rec(1, A)).then(() => settled.push(1));
    const second = archive.append(rec(2, A)).then(() => settled.push(2));
    const other = await openRawArchive(fresh.location, log);
    try {
      expect(await other.size()).toBe(0);
      expect(settled).toEqual([]);
      await archive.append(rec(3, A)); // the batch is full: written at once
      await Promise.all([first, second]);
      expect(settled).toEqual([1, 2]);
      expect(await other.size()).toBe(3);
    } finally {
      await other.close();
    }
  });

  it('writes what is queued on close; an append after close rejects clearly', async () => {
    await archive.close();
    archive = await openRawArchive(fresh.location, log, { batchSize: 100, flushIntervalMs: 60_000 });
    const queued = archive.append(rec(1, A));
    await archive.close();
    await queued;
    await expect(archive.append(rec(2, A))).rejects.toThrow(RawArchiveClosedError);
    await expect(archive.append(rec(2, A))).rejects.toThrow('the raw frame archive is closed');
    archive = await openRawArchive(fresh.location, log);
    expect(await archive.size()).toBe(1);
  });

  it('migrates once, with its own history', async () => {
    expect(await archive.migrate()).toEqual([]);
    const other = fresh.open<{ raw_frames_migrations: { name: string } }>();
    try {
      const names = await other.db.selectFrom('raw_frames_migrations').select('name').execute();
      expect(names.map((r) => r.name)).toEqual(['0001-raw-frames', '0002-frame-once']);
    } finally {
      await other.close();
    }
  });
});

describe('SqlRawArchive on a raw-frames.db of the hand-written archive', () => {
  it('adopts its table and rows as they are; rows from before aggregate rows count one each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-raw-legacy-'));
    const file = join(dir, 'raw-frames.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE raw_frames (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL, mn TEXT, cn TEXT, transport TEXT NOT NULL, peer TEXT NOT NULL,
        verdict TEXT NOT NULL, detail TEXT, bytes BLOB NOT NULL);
      CREATE INDEX raw_frames_mn_time ON raw_frames (mn, received_at);`);
    old
      .prepare('INSERT INTO raw_frames (received_at, mn, cn, transport, peer, verdict, detail, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(T, A, '2011', 'tcp', '10.0.0.1:1', 'accepted', null, Buffer.from([0x23, 0x00, 0xff]));
    old.close();
    const archive = await openRawArchive(file, log);
    try {
      await archive.append(rec(5, A, { count: 7 }));
      const rows = await archive.query({ mn: A, from: T, to: T + 10, limit: 10 });
      expect(rows.map((r) => [r.id, [...r.bytes], r.count])).toEqual([
        [1, [0x23, 0x00, 0xff], 1],
        [2, [0x23, 0x23, 5], 7],
      ]);
    } finally {
      await archive.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
