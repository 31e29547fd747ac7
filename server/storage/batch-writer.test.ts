import { describe, expect, it } from 'vitest';
import type { Reading } from '../domain/reading';
import { createLogger } from '../logger';
import { BatchWriter } from './batch-writer';
import { PermanentWriteError, type TelemetryStore } from './telemetry-store';

const log = createLogger('silent');
const reading = (i: number): Reading => ({
  mn: '370300NH3000000000000201', enterpriseId: 'e', kind: 'ammonia', cn: '2011', ts: i, factors: { a21001: { rtd: i, flag: 'N' } },
});

/** A store whose writes wait until the test lets them finish, or fail as told. */
class GatedStore implements TelemetryStore {
  readonly name = 'gated';
  readonly pending: { readings: readonly Reading[]; ok: () => void; fail: (e: Error) => void }[] = [];
  readonly stored: Reading[] = [];
  async init() {}
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
  async latest() { return []; }
  async series() { return []; }
  async ping() { return true; }
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
    await expect(b).rejects.toThrow('field type conflict');
    expect(w.stats).toMatchObject({ refused: 1, buffered: 0 });
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
});
