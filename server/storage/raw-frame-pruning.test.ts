import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger';
import { startRawFramePruning } from './raw-frame-pruning';

const DAY = 86_400_000;
const NOW = 1_780_000_000_000;

describe('raw frame pruning', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const start = (retentionDays: number, held: () => boolean, prune: (before: number) => Promise<number>) =>
    startRawFramePruning({
      archive: { prune },
      retentionDays,
      jobs: { held },
      everyMs: 1_000,
      log: createLogger('silent'),
      now: () => NOW,
    });

  it('deletes what is older than the period at every interval, only while this process holds the jobs lease', async () => {
    const cuts: number[] = [];
    let held = false;
    const p = start(
      400,
      () => held,
      async (before) => (cuts.push(before), 3),
    );
    await vi.advanceTimersByTimeAsync(2_000);
    expect(cuts).toEqual([]);
    held = true;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(cuts).toEqual([NOW - 400 * DAY, NOW - 400 * DAY]);
    p.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(cuts).toHaveLength(2);
  });

  it('never runs two prunings at once, goes on after a failure, and keeps everything with 0 days', async () => {
    let release: (n: number) => void = () => undefined;
    let calls = 0;
    const p = start(
      30,
      () => true,
      () => (++calls === 1 ? new Promise<number>((resolve) => (release = resolve)) : Promise.reject(new Error('database away'))),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toBe(1); // the first still running
    release(10);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toBe(3); // a failed one does not stop the next
    p.stop();
    let never = 0;
    const keep = start(
      0,
      () => true,
      async () => ++never,
    );
    await vi.advanceTimersByTimeAsync(5_000);
    expect(never).toBe(0);
    keep.stop();
  });
});
