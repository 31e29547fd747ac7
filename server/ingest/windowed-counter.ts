/**
 * "The first N per key and interval, then count": per key, a window opens with its first event;
 * the first `firstN` events of the window pass (`first: true`), the rest are counted. A window ends
 * when an event comes after its interval, when the owner closes it (a timer, a sweep) or at stop;
 * then `onClose` gets it with what was counted. Bounded: at most `maxKeys` windows are open; a new
 * key beyond that closes the oldest first. Used by the rejection log (lines per reason) and the
 * HJ 212 refusal throttle (archived rows per peer). Time is given by the caller; no timers here.
 */
export interface CountWindow<S> {
  /** When the window opened (its first event), epoch ms. */
  start: number;
  /** Events let through (at most firstN). */
  passed: number;
  /** Events counted beyond the first N. */
  counted: number;
  /** The owner's own tally for the window (aggregates by reason…). */
  state: S;
}

export interface WindowedCounterOptions<K, S> {
  firstN: number;
  intervalMs: number;
  /** Windows open at once; unbounded when absent. */
  maxKeys?: number;
  /** A new window's state. */
  state: () => S;
  onClose: (key: K, window: CountWindow<S>) => void;
}

export class WindowedCounter<K, S> {
  private readonly windows = new Map<K, CountWindow<S>>();

  constructor(private readonly opts: WindowedCounterOptions<K, S>) {}

  /** Notes one event of `key` at `at`: `first` while among the first N of its window, else counted. */
  note(key: K, at: number): { first: boolean; window: CountWindow<S> } {
    let window = this.windows.get(key);
    if (window && at - window.start >= this.opts.intervalMs) {
      this.close(key);
      window = undefined;
    }
    if (!window) {
      if (this.opts.maxKeys !== undefined && this.windows.size >= this.opts.maxKeys) this.closeOldest();
      window = { start: at, passed: 0, counted: 0, state: this.opts.state() };
      this.windows.set(key, window);
    }
    if (window.passed < this.opts.firstN) {
      window.passed++;
      return { first: true, window };
    }
    window.counted++;
    return { first: false, window };
  }

  get(key: K): CountWindow<S> | undefined {
    return this.windows.get(key);
  }

  get size(): number {
    return this.windows.size;
  }

  close(key: K): void {
    const window = this.windows.get(key);
    if (!window) return;
    this.windows.delete(key);
    this.opts.onClose(key, window);
  }

  /** Closes every window whose interval is over at `at`. */
  closeExpired(at: number): void {
    for (const [key, window] of [...this.windows]) if (at - window.start >= this.opts.intervalMs) this.close(key);
  }

  closeAll(): void {
    for (const key of [...this.windows.keys()]) this.close(key);
  }

  private closeOldest(): void {
    const oldest = this.windows.keys().next();
    if (!oldest.done) this.close(oldest.value);
  }
}
