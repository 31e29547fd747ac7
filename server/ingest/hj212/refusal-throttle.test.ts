import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger';
import { openRawArchive, type SqlRawArchive } from '../../storage/sql/raw-frame-archive';
import type { RawFrameRecord } from '../../storage/raw-archive';
import { RefusalThrottle } from './refusal-throttle';

const T = Date.parse('2026-07-01T02:00:00Z');
const MN = '370300NH3000000000000201';
const refusal = (at: number, verdict: string, peer = '10.0.0.9:4000'): RawFrameRecord => ({
  receivedAt: at,
  mn: MN,
  cn: null,
  transport: 'tcp',
  peer,
  verdict,
  detail: `${verdict} detail`,
  bytes: new TextEncoder().encode(`##0000ZZZZ MN=${MN};`.repeat(20)),
});

let archive: SqlRawArchive | null = null;
afterEach(async () => archive?.close());

describe('refusal throttle: a flooding peer becomes a bounded number of archive rows', () => {
  it('keeps the first N per peer and interval verbatim, counts the rest into one row per reason', async () => {
    archive = await openRawArchive(':memory:', createLogger('silent'), { flushIntervalMs: 1 });
    let now = T;
    const throttle = new RefusalThrottle({ perInterval: 3, intervalMs: 60_000 }, archive, () => now);
    const kept: boolean[] = [];
    for (let i = 0; i < 10; i++) kept.push(throttle.append('tcp:10.0.0.9', refusal(T + i, 'bad_crc')).verbatim);
    for (let i = 0; i < 5; i++) kept.push(throttle.append('tcp:10.0.0.9', refusal(T + 10 + i, 'garbage')).verbatim);
    for (let i = 0; i < 2; i++) kept.push(throttle.append('tcp:10.0.0.8', refusal(T + i, 'bad_crc', '10.0.0.8:1')).verbatim);
    expect(kept.filter(Boolean)).toHaveLength(5);
    expect(throttle.aggregated).toBe(12);
    now = T + 60_000; // a new interval: the old one's aggregates are written, verbatim again
    expect(throttle.append('tcp:10.0.0.9', refusal(now, 'bad_crc')).verbatim).toBe(true);
    throttle.close();
    const rows = await archive.query({ mn: MN, from: 0, to: T + 120_000, limit: 100 });
    expect(rows.map((r) => [r.peer, r.verdict, r.count])).toEqual([
      ['10.0.0.9:4000', 'bad_crc', 1],
      ['10.0.0.8:1', 'bad_crc', 1],
      ['10.0.0.9:4000', 'bad_crc', 1],
      ['10.0.0.8:1', 'bad_crc', 1],
      ['10.0.0.9:4000', 'bad_crc', 1],
      ['10.0.0.9:4000', 'bad_crc', 7],
      ['10.0.0.9:4000', 'garbage', 5],
      ['10.0.0.9:4000', 'bad_crc', 1],
    ]);
    const agg = rows.find((r) => r.count === 7);
    expect(agg?.detail).toMatch(/^7 more bad_crc refusals from tcp:10\.0\.0\.9 between 2026-07-01T02:00:00\.003Z and \S+:00\.009Z/);
    expect(agg?.bytes.length).toBe(64);
    expect(agg?.receivedAt).toBe(T + 9);
  });

  it('with 0 verbatim every refusal is counted; tracks at most maxPeers peers (the oldest is written out)', async () => {
    archive = await openRawArchive(':memory:', createLogger('silent'), { flushIntervalMs: 1 });
    const throttle = new RefusalThrottle({ perInterval: 0, intervalMs: 60_000, maxPeers: 2 }, archive, () => T);
    for (const peer of ['a', 'b', 'c']) for (let i = 0; i < 4; i++) throttle.append(peer, refusal(T + i, 'bad_frame'));
    expect(await archive.size()).toBe(1); // a's row, written when c arrived
    throttle.close();
    expect(await archive.size()).toBe(3);
  });
});
