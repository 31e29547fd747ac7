import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reading } from '../domain/reading';
import { createLogger } from '../logger';
import { BatchWriter } from './batch-writer';
import type { LinesBuffer } from './lines-buffer';
import { encodeJson, storedReading } from './reading-codec';
import { ReadingSpool } from './spool/reading-spool';
import { PermanentWriteError, type TelemetryStore } from './telemetry-store';

const log = createLogger('silent');
const reading = (i: number): Reading => ({
  mn: '370300NH3000000000000201',
  enterpriseId: 'e',
  kind: 'ammonia',
  cn: '2011',
  ts: i,
  factors: { a21001: { rtd: i, flag: 'N' } },
});

/** A store whose writes wait until the test lets them finish, or fail as told. */
class GatedStore implements TelemetryStore {
  readonly name = 'gated';
  readonly pending: { readings: readonly Reading[]; ok: () => void; fail: (e: Error) => void }[] = [];
  readonly stored: Reading[] = [];
  async init() {}
  encode(r: Reading): string {
    return encodeJson(r);
  }
  /** As both stores do: a line that holds no reading refuses the batch for good. */
  async writeEncoded(lines: LinesBuffer): Promise<void> {
    return this.write(lines.lines().map(storedReading));
  }
  write(readings: readonly Reading[]): Promise<void> {
    return new Promise((resolve, reject) =>
      this.pending.push({ readings, ok: () => (this.stored.push(...readings), resolve()), fail: reject }),
    );
  }
  next() {
    const p = this.pending.shift();
    if (!p) throw new Error('no write pending');
    return p;
  }
  async latest() {
    return [];
  }
  async series() {
    return [];
  }
  async ping() {
    return true;
  }
  async close() {}
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('BatchWriter', () => {
  it('writes up to `concurrency` batches at once and resolves each reading when its batch is durable', async () => {
    const store = new GatedStore();
    const w = new BatchWriter(store, { batchSize: 2, flushIntervalMs: 1_000, concurrency: 2 }, log);
    const done = [0, 1, 2, 3, 4, 5].map((i) => w.write(reading(i)));
    await tick();
    expect(store.pending.map((p) => p.readings.length)).toEqual([2, 2]);
    let firstDone = false;
    void done[0]!.then(() => (firstDone = true));
    store.next().ok();
    await tick();
    expect(firstDone).toBe(true);
    expect(store.pending).toHaveLength(2); // the third batch started when the first finished
    store.next().ok();
    store.next().ok();
    await Promise.all(done);
    expect(store.stored.map((r) => r.ts)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(w.stats).toMatchObject({ buffered: 0, written: 6 });
  });

  it('retries a failed batch until it is written; a permanent refusal rejects its readings', async () => {
    const store = new GatedStore();
    const w = new BatchWriter(store, { batchSize: 1, flushIntervalMs: 1_000, concurrency: 1, retryMinMs: 1, retryMaxMs: 1 }, log);
    const a = w.write(reading(1));
    await tick();
    store.next().fail(new Error('HTTP 500'));
    await new Promise((r) => setTimeout(r, 10));
    store.next().ok();
    await a;
    expect(w.stats).toMatchObject({ retries: 1, written: 1 });
    const b = w.write(reading(2));
    await tick();
    store.next().fail(new PermanentWriteError('field type conflict'));
    await b; // done: the poison reading is reported, not retried forever
    await tick();
    expect(w.stats).toMatchObject({ refused: 1, buffered: 0 });
  });

  it('isolates the poison readings of a refused batch and writes the rest', async () => {
    const poison = new Set([3, 6]);
    const stored: number[] = [];
    const store = new (class extends GatedStore {
      override async write(readings: readonly Reading[]) {
        if (readings.some((r) => poison.has(r.ts))) throw new PermanentWriteError('field type conflict');
        stored.push(...readings.map((r) => r.ts));
      }
    })();
    const refused: number[] = [];
    const deadLetters = { storeRefused: (r: Reading) => void refused.push(r.ts) };
    const w = new BatchWriter(store, { batchSize: 8, flushIntervalMs: 1_000 }, log, { deadLetters });
    const done = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => w.write(reading(i)));
    await Promise.all(done);
    await tick();
    expect(refused).toEqual([3, 6]);
    expect(stored.sort()).toEqual([0, 1, 2, 4, 5, 7]);
    expect(w.stats).toMatchObject({ refused: 2, written: 6, buffered: 0 });
  });

  it('is behind while batches wait for a write slot, and not once the store has caught up', async () => {
    const store = new GatedStore();
    const w = new BatchWriter(store, { batchSize: 2, flushIntervalMs: 1_000, concurrency: 1 }, log);
    const done = [0, 1, 2, 3].map((i) => w.write(reading(i)));
    await tick();
    expect([store.pending.length, w.behind]).toEqual([1, true]); // one written, one sealed and waiting
    store.next().ok();
    await tick();
    expect([store.pending.length, w.behind]).toEqual([1, false]); // the second in flight, none queued
    store.next().ok();
    await Promise.all(done);
    expect(w.behind).toBe(false);
  });

  it('holds producers back above maxBuffered until half of the backlog is written', async () => {
    const store = new GatedStore();
    const w = new BatchWriter(store, { batchSize: 2, flushIntervalMs: 1_000, concurrency: 1, maxBuffered: 4 }, log);
    for (let i = 0; i < 3; i++) void w.write(reading(i));
    expect(w.ready()).toBeNull();
    void w.write(reading(3));
    const wait = w.ready();
    expect(wait).not.toBeNull();
    let released = false;
    void wait!.then(() => (released = true));
    await tick();
    store.next().ok(); // 4 → 2 buffered: half
    await tick();
    expect(released).toBe(true);
    expect(w.ready()).toBeNull();
  });

  it('flush writes a partial batch at once and waits for every write', async () => {
    const store = new GatedStore();
    const w = new BatchWriter(store, { batchSize: 100, flushIntervalMs: 60_000 }, log);
    void w.write(reading(1));
    const flushed = w.flush();
    await tick();
    store.next().ok();
    await flushed;
    expect(w.stats.buffered).toBe(0);
  });

  describe('with the spool', () => {
    const dirs: string[] = [];
    const openSpool = (dir = mkdtempSync(join(tmpdir(), 'o3s-writer-'))) => {
      dirs.push(dir);
      return ReadingSpool.open({ dir, segmentBytes: 400, maxBytes: 1 << 30, syncIntervalMs: 0 }, log);
    };
    afterEach(() => {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });
    const spoolAndWrite = (w: BatchWriter, _spool: ReadingSpool, i: number) => void w.write(reading(i));

    it('moves the checkpoint only over batches that are in the store, in order', async () => {
      const store = new GatedStore();
      const spool = openSpool();
      const w = new BatchWriter(store, { batchSize: 2, flushIntervalMs: 1_000, concurrency: 2 }, log, { spool });
      for (let i = 1; i <= 4; i++) spoolAndWrite(w, spool, i);
      await tick();
      const [first, second] = [store.next(), store.next()];
      second.ok(); // the later batch lands first: nothing before it is sure yet
      await tick();
      expect(spool.committed).toBe(0);
      first.ok();
      await tick();
      expect(spool.committed).toBe(4);
      spool.close();
    });

    it('spills past maxBuffered and reads the spilled readings back in order, memory bounded', async () => {
      const store = new GatedStore();
      const spool = openSpool();
      const w = new BatchWriter(store, { batchSize: 2, flushIntervalMs: 1_000, concurrency: 1, maxBuffered: 4 }, log, { spool });
      for (let i = 1; i <= 20; i++) spoolAndWrite(w, spool, i);
      expect(w.stats.buffered).toBeLessThanOrEqual(4);
      expect(w.stats.spills).toBe(1);
      const flushed = w.flush();
      for (;;) {
        await tick();
        const p = store.pending.shift();
        if (!p) break;
        expect(w.stats.buffered).toBeLessThanOrEqual(4);
        p.ok();
      }
      await flushed;
      expect(store.stored.map((r) => r.ts)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(spool.committed).toBe(20);
      spool.close();
    });

    it('replays what a previous run left in the spool', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'o3s-writer-'));
      const before = openSpool(dir);
      for (let i = 1; i <= 5; i++) before.append(encodeJson(reading(i))); // JSON, as an earlier version spooled
      before.commit(2); // 1–2 were stored before the crash
      before.close();
      const spool = openSpool(dir);
      const store = new GatedStore();
      const w = new BatchWriter(store, { batchSize: 10, flushIntervalMs: 1_000 }, log, { spool });
      w.resume();
      await tick();
      store.next().ok();
      await w.flush();
      expect(store.stored.map((r) => r.ts)).toEqual([3, 4, 5]);
      expect(spool.depth).toBe(0);
      spool.close();
    });

    it('a spooled line damaged on disk is refused alone, counted and logged; the lines around it are written', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'o3s-writer-'));
      const before = openSpool(dir);
      before.append(encodeJson(reading(1)));
      before.append('{"mn":"370300NH30000');
      before.append(encodeJson(reading(3)));
      before.close();
      const spool = openSpool(dir);
      const stored: number[] = [];
      const store = new (class extends GatedStore {
        override async write(readings: readonly Reading[]) {
          stored.push(...readings.map((r) => r.ts));
        }
      })();
      const refused: Reading[] = [];
      const w = new BatchWriter(store, { batchSize: 10, flushIntervalMs: 1_000 }, log, {
        spool,
        deadLetters: { storeRefused: (r) => void refused.push(r) },
      });
      w.resume();
      await w.flush();
      expect(stored).toEqual([1, 3]);
      expect(w.stats).toMatchObject({ refused: 1, written: 2, buffered: 0 });
      expect(refused).toEqual([]); // no reading to put in the dead letters: the log says what the line was
      expect(spool.depth).toBe(0);
      spool.close();
    });

    it('while the store keeps up, holds producers back past maxSpooledWhileUp; during an outage it does not', async () => {
      const store = new GatedStore();
      const spool = openSpool();
      const w = new BatchWriter(
        store,
        { batchSize: 2, flushIntervalMs: 1_000, concurrency: 1, maxBuffered: 2, maxSpooledWhileUp: 6, retryMinMs: 1, retryMaxMs: 1 },
        log,
        { spool },
      );
      for (let i = 1; i <= 6; i++) spoolAndWrite(w, spool, i);
      const held = w.ready();
      expect(held).not.toBeNull(); // 6 waiting in the spool and the store has not failed: hold
      let released = false;
      void held!.then(() => (released = true));
      await tick();
      store.next().fail(new Error('HTTP 503')); // an outage: the spool takes what comes
      await tick();
      expect(released).toBe(true);
      expect(w.ready()).toBeNull();
      let done = false;
      const flushed = w.flush().then(() => (done = true));
      while (!done) {
        await new Promise((r) => setTimeout(r, 2));
        for (let p = store.pending.shift(); p; p = store.pending.shift()) p.ok();
      }
      await flushed;
      expect(spool.depth).toBe(0);
      spool.close();
    });
  });
});
