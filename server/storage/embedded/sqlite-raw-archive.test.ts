import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logger';
import type { RawFrameRecord } from '../raw-archive';
import { SqliteRawArchive } from './sqlite-raw-archive';

const rec = (receivedAt: number, mn: string | null, verdict = 'accepted', bytes = [0x23, 0x23, 0xff]): RawFrameRecord => ({
  receivedAt,
  mn,
  cn: '2011',
  transport: 'tcp',
  peer: '10.0.0.1:1',
  verdict,
  detail: verdict === 'accepted' ? null : 'why',
  bytes: Uint8Array.from(bytes),
});

describe('SqliteRawArchive', () => {
  it('keeps the bytes exactly, per source and time range, oldest first, and survives a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-raw-'));
    const file = join(dir, 'raw.db');
    const a = new SqliteRawArchive(file, createLogger('silent'));
    await Promise.all(
      [rec(3, 'A'), rec(1, 'A', 'bad_crc', [0, 1, 2, 255]), rec(2, 'B'), rec(5, 'A'), rec(4, null, 'garbage')].map((r) => a.append(r)),
    );
    await a.close();
    const b = new SqliteRawArchive(file, createLogger('silent'));
    const rows = await b.query({ mn: 'A', from: 1, to: 5, limit: 10 });
    expect(rows.map((r) => [r.receivedAt, r.verdict, [...r.bytes]])).toEqual([
      [1, 'bad_crc', [0, 1, 2, 255]],
      [3, 'accepted', [0x23, 0x23, 0xff]],
    ]);
    expect(rows[0]).toMatchObject({ mn: 'A', cn: '2011', transport: 'tcp', peer: '10.0.0.1:1', detail: 'why' });
    expect(await b.query({ mn: 'A', from: 0, to: 10, limit: 1 })).toHaveLength(1);
    expect(await b.prune(3)).toBe(2);
    expect((await b.query({ mn: 'A', from: 0, to: 10, limit: 10 })).map((r) => r.receivedAt)).toEqual([3, 5]);
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('append resolves only after the batch is committed', async () => {
    const a = new SqliteRawArchive(':memory:', createLogger('silent'), { batchSize: 3, flushIntervalMs: 10_000 });
    let done = 0;
    const first = a.append(rec(1, 'A')).then(() => done++);
    a.append(rec(2, 'A')).then(() => done++);
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(0);
    await a.append(rec(3, 'A')); // the batch is full: committed at once
    await first;
    expect(done).toBe(2);
    await a.close();
  });
});
