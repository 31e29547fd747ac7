/**
 * A job run on a timer (the rules' tick, the reminders' hour): the verifiers, the ambient alerts, the
 * facility-record rules, the unloading watch and the reduction-list reminders share it. A tick runs
 * one at a time: `tick()` while one is under way returns that one. A failing tick is logged and
 * counted, never thrown (the timer's next tick tries again). `stop()` ends the timer and resolves
 * when the tick under way, if any, has ended, so a stage can close its stores after it.
 * Tests drive `tick()` with their clock; `start()` only adds the timer.
 */
import type { Logger } from './logger';

export interface TickedJobOptions<T = unknown> {
  /** Names the job in its log lines ("responses: tick failed…"). */
  name: string;
  everyMs: number;
  /** One run; `tick()` resolves with its result (undefined when it failed). */
  run: () => Promise<T>;
  log: Logger;
  /** The timer runs the job only while this says so (a cluster's jobs lease: one process of the cluster); `tick()` always runs. */
  when?: () => boolean;
}

export interface TickedJob<T = unknown> {
  /** Starts the timer (a second call changes nothing). */
  start(): void;
  /** Runs now, or returns the run under way; resolves with its result when it has ended, undefined if it failed. */
  tick(): Promise<T | undefined>;
  /** Ends the timer; resolves when the run under way, if any, has ended. */
  stop(): Promise<void>;
  /** Runs that failed since the start. */
  failures(): number;
}

export function tickedJob<T>({ name, everyMs, run, log, when }: TickedJobOptions<T>): TickedJob<T> {
  let running: Promise<T | undefined> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let failures = 0;
  const tick = (): Promise<T | undefined> => {
    running ??= Promise.resolve()
      .then(run)
      .then(
        (result) => result,
        (err: unknown) => {
          failures += 1;
          log.warn({ err, failures }, `${name}: tick failed, tried again at the next`);
          return undefined;
        },
      )
      .finally(() => (running = null));
    return running;
  };
  return {
    start() {
      timer ??= setInterval(() => {
        if (when?.() !== false) void tick();
      }, everyMs).unref();
    },
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
    failures: () => failures,
  };
}

/**
 * A stage whose work runs on a ticked job: the subclass says what one run does (`run`); `start`,
 * `stop` and `tick` are the job's.
 */
export abstract class Ticked {
  private readonly job: TickedJob<void>;

  constructor(options: Omit<TickedJobOptions<void>, 'run'>) {
    this.job = tickedJob({ ...options, run: () => this.run() });
  }

  /** One run: what the stage does on each tick. */
  protected abstract run(): Promise<void>;

  start(): void {
    this.job.start();
  }

  /** Ends the timer; resolves when the tick under way, if any, has ended. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Runs now (the one under way, if a tick is running); never rejects. Tests drive it with their clock. */
  async tick(): Promise<void> {
    await this.job.tick();
  }

  /** Ticks that failed since the start (each one logged). */
  failures(): number {
    return this.job.failures();
  }
}
