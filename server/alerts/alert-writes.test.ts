/**
 * The alert writes' serial queue: jobs in the order given, and the event loop served while a long
 * queue runs (issue 20: thousands of alerts written at once on SQLite, whose calls do not yield).
 */
import { describe, expect, it } from 'vitest';
import { SerialQueue, SLICE_MS } from './alert-writes';

const JOBS = 20;

/** Holds the thread for `ms` (what a synchronous SQLite write does). */
function busy(ms: number): void {
  for (const end = performance.now() + ms; performance.now() < end;);
}

describe('SerialQueue', () => {
  it.each([1, JOBS - 1, JOBS, 10 * JOBS + 3])('%i jobs run one at a time in the order given', async (n) => {
    const queue = new SerialQueue();
    const ran: number[] = [];
    let running = 0;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        queue.run(async () => {
          running += 1;
          expect(running).toBe(1);
          ran.push(i);
          await Promise.resolve();
          running -= 1;
          return i * 2;
        }),
      ),
    );
    expect(ran).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(results).toEqual(ran.map((i) => i * 2));
  });

  it('a long queue of jobs that never wait for I/O still lets the event loop run between them', async () => {
    const queue = new SerialQueue();
    // Each job holds the thread for a quarter of a slice: the loop must get a turn within 5 jobs.
    const n = 10;
    let ranAfter = -1;
    let done = 0;
    // A macrotask (as an HTTP request's callback is): it runs once the queue gives the loop a turn.
    setImmediate(() => (ranAfter = done));
    await Promise.all(Array.from({ length: n }, () => queue.run(async () => void (busy(SLICE_MS / 4), (done += 1)))));
    expect(ranAfter).toBeGreaterThanOrEqual(0);
    expect(ranAfter).toBeLessThan(n);
  });

  it('a failed job does not stop the ones after it', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => Promise.reject(new Error('no')));
    const next = queue.run(() => Promise.resolve('yes'));
    await expect(failed).rejects.toThrow('no');
    await expect(next).resolves.toBe('yes');
    await queue.settled();
  });
});
