/**
 * Logging of rejected messages without flooding the log: per reason and interval, the first
 * `firstLines` rejections are logged at warn, the rest at debug and counted, and one summary line
 * at warn says how many were not logged once the interval is over (or at stop). A flood of bad
 * messages costs a few lines per reason per interval, never one line each; every rejection is
 * still counted by the ingest stats and dead-lettered.
 */
import type { Logger } from '../logger';

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

interface Window {
  start: number;
  logged: number;
  notLogged: number;
  timer: unknown;
}

const globalTimers: RejectionLogTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class RejectionLog<Reason extends string> {
  private readonly windows = new Map<Reason, Window>();
  private readonly now: () => number;
  private readonly timers: RejectionLogTimers;

  constructor(
    private readonly log: Pick<Logger, 'warn' | 'debug'>,
    private readonly opts: RejectionLogOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? globalTimers;
  }

  note(reason: Reason, fields: Record<string, unknown>): void {
    const at = this.now();
    let window = this.windows.get(reason);
    if (window && at - window.start >= this.opts.intervalMs) {
      this.close(reason, window);
      window = undefined;
    }
    if (!window) {
      window = { start: at, logged: 0, notLogged: 0, timer: undefined };
      this.windows.set(reason, window);
    }
    if (window.logged < this.opts.firstLines) {
      window.logged++;
      this.log.warn({ reason, ...fields }, this.opts.message);
      return;
    }
    window.notLogged++;
    this.log.debug({ reason, ...fields }, this.opts.message);
    if (window.timer === undefined) {
      const open = window;
      open.timer = this.timers.setTimeout(() => {
        open.timer = undefined;
        if (this.windows.get(reason) === open) this.close(reason, open);
      }, Math.max(0, open.start + this.opts.intervalMs - at));
    }
  }

  /** Writes the summaries of the open intervals (shutdown). */
  stop(): void {
    for (const [reason, window] of [...this.windows]) this.close(reason, window);
  }

  private close(reason: Reason, window: Window): void {
    if (window.timer !== undefined) this.timers.clearTimeout(window.timer);
    window.timer = undefined;
    this.windows.delete(reason);
    if (window.notLogged === 0) return;
    this.log.warn(
      { reason, logged: window.logged, notLogged: window.notLogged, intervalS: this.opts.intervalMs / 1000 },
      `${this.opts.message}: not logged`,
    );
  }
}
