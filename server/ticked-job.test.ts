import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger';
import { Ticked, tickedJob } from './ticked-job';

/** A run that ends when the test says so. */
function gate() {
  let open = (): void => undefined;
  let fail: (err: Error) => void = () => undefined;
  const run = vi.fn(
    () =>
      new Promise<void>((resolve, reject) => {
        open = resolve;
        fail = reject;
      }),
  );
  return { run, open: () => open(), fail: (err: Error) => fail(err) };
}

function logLines() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger('info', false, stream), lines };
}

describe('tickedJob', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves a tick with its run’s result, and with undefined when the run failed', async () => {
    let n = 0;
    const job = tickedJob({
      name: 'test',
      everyMs: 1000,
      run: () => (n++ === 0 ? Promise.resolve(7) : Promise.reject(new Error('boom'))),
      log: logLines().log,
    });
    expect(await job.tick()).toBe(7);
    expect(await job.tick()).toBeUndefined();
    expect(job.failures()).toBe(1);
  });

  it('runs one tick at a time: a tick while one is under way is that one', async () => {
    const g = gate();
    const job = tickedJob({ name: 'test', everyMs: 1000, run: g.run, log: logLines().log });
    const first = job.tick();
    const second = job.tick();
    expect(second).toBe(first);
    await vi.waitFor(() => expect(g.run).toHaveBeenCalledTimes(1));
    g.open();
    await first;
    const third = job.tick();
    expect(third).not.toBe(first);
    await vi.waitFor(() => expect(g.run).toHaveBeenCalledTimes(2));
    g.open();
    await third;
  });

  it('logs and counts a failing tick, resolves it, and runs again at the next', async () => {
    const g = gate();
    const { log, lines } = logLines();
    const job = tickedJob({ name: 'verifier', everyMs: 1000, run: g.run, log });
    const failing = job.tick();
    await vi.waitFor(() => expect(g.run).toHaveBeenCalledTimes(1));
    g.fail(new Error('store down'));
    await expect(failing).resolves.toBeUndefined();
    expect(job.failures()).toBe(1);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'verifier: tick failed, tried again at the next',
        failures: 1,
        err: expect.objectContaining({ message: 'store down' }),
      }),
    ]);
    const next = job.tick();
    await vi.waitFor(() => expect(g.run).toHaveBeenCalledTimes(2));
    g.open();
    await next;
    expect(job.failures()).toBe(1);
  });

  it('counts a run that throws before its promise', async () => {
    const job = tickedJob({
      name: 'sync',
      everyMs: 1000,
      run: () => {
        throw new Error('bad');
      },
      log: logLines().log,
    });
    await job.tick();
    expect(job.failures()).toBe(1);
  });

  it('ticks on its timer once started, not before, and no more once stopped', async () => {
    const run = vi.fn(() => Promise.resolve());
    const job = tickedJob({ name: 'timer', everyMs: 1000, run, log: logLines().log });
    await vi.advanceTimersByTimeAsync(3000);
    expect(run).not.toHaveBeenCalled();
    job.start();
    job.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(run).toHaveBeenCalledTimes(3);
    await job.stop();
    await vi.advanceTimersByTimeAsync(3000);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('its timer runs the job only while `when` says so (a cluster’s jobs lease); tick() runs regardless', async () => {
    const run = vi.fn(() => Promise.resolve());
    let held = false;
    const job = tickedJob({ name: 'leased', everyMs: 1000, run, log: logLines().log, when: () => held });
    job.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(run).not.toHaveBeenCalled();
    await job.tick();
    expect(run).toHaveBeenCalledTimes(1);
    held = true;
    await vi.advanceTimersByTimeAsync(2000);
    expect(run).toHaveBeenCalledTimes(3);
    await job.stop();
  });

  it('stop() resolves once the tick under way has ended', async () => {
    const g = gate();
    const job = tickedJob({ name: 'stop', everyMs: 1000, run: g.run, log: logLines().log });
    void job.tick();
    await vi.waitFor(() => expect(g.run).toHaveBeenCalledTimes(1));
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    g.open();
    await stopping;
    expect(stopped).toBe(true);
  });
});

describe('Ticked', () => {
  class Counter extends Ticked {
    runs = 0;
    constructor(private readonly failAt: number) {
      super({ name: 'counter', everyMs: 1000, log: createLogger('silent') });
    }
    protected run(): Promise<void> {
      this.runs += 1;
      return this.runs === this.failAt ? Promise.reject(new Error('once')) : Promise.resolve();
    }
  }

  it("ticks the subclass's run, counting its failures", async () => {
    const c = new Counter(2);
    await c.tick();
    await c.tick();
    await c.tick();
    expect([c.runs, c.failures()]).toEqual([3, 1]);
  });
});
