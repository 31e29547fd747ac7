import { appendFileSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Reading } from '../../domain/reading';
import { createLogger } from '../../logger';
import { encodeJson } from '../reading-codec';
import { ReadingSpool, type SpoolOptions } from './reading-spool';

const log = createLogger('silent');
/** A reading's line, as a store encodes it (the spool keeps lines as they are). */
const reading = (i: number): string =>
  encodeJson({
    mn: '370300NH3000000000000201',
    enterpriseId: 'e',
    kind: 'ammonia',
    cn: '2011',
    ts: i,
    factors: { a21001: { rtd: i / 10, flag: 'N' } },
  });
const ts = (line: string): number => (JSON.parse(line) as Reading).ts;
const dirs: string[] = [];
const options = (over: Partial<SpoolOptions> = {}): SpoolOptions => {
  const dir = mkdtempSync(join(tmpdir(), 'o3s-spool-'));
  dirs.push(dir);
  return { dir, segmentBytes: 1 << 20, maxBytes: 1 << 30, syncIntervalMs: 0, ...over };
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const checkpointIn = (dir: string): number | null =>
  existsSync(join(dir, 'checkpoint.json'))
    ? (JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as { committed: number }).committed
    : null;

describe('ReadingSpool', () => {
  it('writes the checkpoint file shortly after a commit, not on every one, and at close', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const opts = options();
      const spool = ReadingSpool.open(opts, log);
      for (let i = 1; i <= 10; i++) spool.append(reading(i));
      spool.writeQueued();
      spool.commit(3);
      spool.commit(5);
      expect(spool.committed).toBe(5);
      expect(checkpointIn(opts.dir)).toBeNull();
      vi.advanceTimersByTime(300);
      expect(checkpointIn(opts.dir)).toBe(5);
      spool.commit(8);
      expect(checkpointIn(opts.dir)).toBe(5);
      spool.close();
      expect(checkpointIn(opts.dir)).toBe(8);
      const again = ReadingSpool.open(opts, log);
      expect({ committed: again.committed, depth: again.depth }).toEqual({ committed: 8, depth: 2 });
      again.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('numbers readings in order and reads them back from any seq', () => {
    const spool = ReadingSpool.open(options(), log);
    expect([1, 2, 3, 4, 5].map((i) => spool.append(reading(i)))).toEqual([1, 2, 3, 4, 5]);
    expect(spool.read(1, 2).map(ts)).toEqual([1, 2]);
    expect(spool.read(3, 10).map(ts)).toEqual([3, 4, 5]);
    expect(spool.read(2, 2).map(ts)).toEqual([2, 3]);
    expect(spool.read(6, 10)).toEqual([]);
    expect(spool.read(1, 1)[0]).toEqual(reading(1));
    expect(spool.depth).toBe(5);
    spool.close();
  });

  it('keeps what is not committed across a restart and deletes committed segments', () => {
    const opts = options({ segmentBytes: 300 });
    const spool = ReadingSpool.open(opts, log);
    for (let i = 1; i <= 20; i++) {
      spool.append(reading(i));
      spool.writeQueued(); // one group each: segments roll between groups
    }
    const segments = readdirSync(opts.dir).filter((f) => f.endsWith('.wal')).length;
    expect(segments).toBeGreaterThan(3);
    spool.commit(12);
    expect(readdirSync(opts.dir).filter((f) => f.endsWith('.wal')).length).toBeLessThan(segments);
    // Segments deleted: the checkpoint file is written first, so it never points below the oldest one.
    expect(checkpointIn(opts.dir)).toBe(12);
    spool.close();

    const again = ReadingSpool.open(opts, log);
    expect({ committed: again.committed, head: again.head, depth: again.depth }).toEqual({ committed: 12, head: 20, depth: 8 });
    expect(again.read(13, 100).map(ts)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    expect(again.append(reading(21))).toBe(21);
    again.close();
  });

  it('drops a torn last record (never acknowledged) when reopened after a crash', () => {
    const opts = options();
    const spool = ReadingSpool.open(opts, log);
    spool.append(reading(1));
    spool.append(reading(2));
    spool.close();
    const wal = readdirSync(opts.dir).find((f) => f.endsWith('.wal')) as string;
    appendFileSync(join(opts.dir, wal), '{"mn":"3703');
    const again = ReadingSpool.open(opts, log);
    expect(again.head).toBe(2);
    expect(again.append(reading(3))).toBe(3);
    expect(again.read(1, 10).map(ts)).toEqual([1, 2, 3]);
    again.close();
  });

  it('reads across segment boundaries and continues from where it left off', () => {
    const spool = ReadingSpool.open(options({ segmentBytes: 500 }), log);
    for (let i = 1; i <= 50; i++) {
      spool.append(reading(i));
      if (i % 3 === 0) spool.writeQueued();
    }
    const seen: number[] = [];
    for (let from = 1; from <= 50;) {
      const got = spool.read(from, 7);
      seen.push(...got.map(ts));
      from += got.length;
    }
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    spool.close();
  });

  it('is full past maxBytes until commits free segments', () => {
    const spool = ReadingSpool.open(options({ segmentBytes: 200, maxBytes: 1_000 }), log);
    let n = 0;
    while (!spool.full) {
      spool.append(reading(++n));
      spool.writeQueued();
    }
    spool.commit(n - 1);
    expect(spool.full).toBe(false);
    spool.close();
  });

  it('keeps the lines of a group write the disk refused, in order, and writes them with the next one', async () => {
    const opts = options();
    const spool = ReadingSpool.open(opts, log);
    for (let i = 1; i <= 3; i++) spool.append(reading(i));
    spool.writeQueued();
    const internals = spool as unknown as { fd: number };
    closeSync(internals.fd); // the disk refuses the next write (EBADF)
    spool.append(reading(4));
    spool.appendEncoded(Buffer.from(`${reading(5)}\n`));
    const refused = spool.durable();
    spool.writeQueued();
    await expect(refused).rejects.toThrow();
    expect(spool.failing).not.toBeNull();
    internals.fd = openSync(
      join(
        opts.dir,
        readdirSync(opts.dir).find((f) => f.endsWith('.wal'))!,
      ),
      'r+',
    );
    expect(spool.append(reading(6))).toBe(6);
    spool.writeQueued();
    expect(spool.failing).toBeNull();
    expect(spool.read(1, 100).map(ts)).toEqual([1, 2, 3, 4, 5, 6]);
    spool.close();
    const again = ReadingSpool.open(opts, log);
    expect(again.read(1, 100).map(ts)).toEqual([1, 2, 3, 4, 5, 6]);
    again.close();
  });

  it('writes a burst of appends with one group write and settles them together', async () => {
    const opts = options();
    const spool = ReadingSpool.open(opts, log);
    for (let i = 1; i <= 100; i++) spool.append(reading(i));
    expect(spool.head).toBe(100);
    expect(spool.bytes).toBe(0); // queued, not written yet
    await spool.durable();
    expect(spool.bytes).toBeGreaterThan(0);
    expect(spool.read(1, 1000).map(ts)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    spool.close();
  });
});
