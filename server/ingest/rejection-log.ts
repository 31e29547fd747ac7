/**
 * Logging of rejected messages without flooding the log: per reason and interval, the first
 * `firstLines` rejections are logged at warn, the rest at debug and counted, and one summary line
 * at warn says how many were not logged once the interval is over (or at stop). A flood of bad
 * messages costs a few lines per reason per interval, never one line each; every rejection is
 * still counted by the ingest stats and dead-lettered. The windows are a WindowedCounter per reason.
 */
import type { Logger } from '../logger';
import { WindowedCounter, type CountWindow } from './windowed-counter';

export interface RejectionLogTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RejectionLogOptions {
  /** Rejections per reason logged in full in one interval. */
  firstLines: number;
  intervalMs: number;
  /** The message of the full lines; the summary line is `${message}: not logged`. */
  message: string;
  now?: () => number;
  timers?: RejectionLogTimers;
}

const globalTimers: RejectionLogTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class RejectionLog<Reason extends string> {
  private readonly windows: WindowedCounter<Reason, null>;
  /** The timer that ends a reason's interval once some of its lines went unlogged. */
  private readonly endTimers = new Map<Reason, unknown>();
  private readonly now: () => number;
  private readonly timers: RejectionLogTimers;

  constructor(
    private readonly log: Pick<Logger, 'warn' | 'debug'>,
    private readonly opts: RejectionLogOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? globalTimers;
    this.windows = new WindowedCounter<Reason, null>({
      firstN: opts.firstLines,
      intervalMs: opts.intervalMs,
      state: () => null,
      onClose: (reason, window) => this.summarise(reason, window),
    });
  }

  note(reason: Reason, fields: Record<string, unknown>): void {
    const at = this.now();
    const { first, window } = this.windows.note(reason, at);
    if (first) {
      this.log.warn({ reason, ...fields }, this.opts.message);
      return;
    }
    this.log.debug({ reason, ...fields }, this.opts.message);
    if (!this.endTimers.has(reason)) {
      const end = this.timers.setTimeout(
        () => {
          this.endTimers.delete(reason);
          if (this.windows.get(reason) === window) this.windows.close(reason);
        },
        Math.max(0, window.start + this.opts.intervalMs - at),
      );
      this.endTimers.set(reason, end);
    }
  }

  /** Writes the summaries of the open intervals (shutdown). */
  stop(): void {
    this.windows.closeAll();
  }

  private summarise(reason: Reason, window: CountWindow<null>): void {
    if (this.endTimers.has(reason)) this.timers.clearTimeout(this.endTimers.get(reason));
    this.endTimers.delete(reason);
    if (window.counted === 0) return;
    this.log.warn(
      { reason, logged: window.passed, notLogged: window.counted, intervalS: this.opts.intervalMs / 1000 },
      `${this.opts.message}: not logged`,
    );
  }
}
