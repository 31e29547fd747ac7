/**
 * Coalesces the socket's frequent events (alert changes, reading batches, loggers' status) so that
 * the stores take all of those that arrived within `ms` in one task: the lists and the statuses
 * derived from them are recomputed, and the page rendered, once per batch rather than once per event
 * (5,000 alerts clearing within a reporting interval would otherwise re-derive a province's
 * statuses hundreds of times a second). Order is kept. `ms` 0 applies each event at once.
 */
export interface EventBatcher {
  /** Applies `fn` now (ms 0) or with the next batch, after those queued before it. */
  run(fn: () => void): void;
  /** Applies what is queued now (before a snapshot replaces it all, say). */
  flush(): void;
  stop(): void;
}

export function eventBatcher(ms: number): EventBatcher {
  let queue: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const now = queue;
    queue = [];
    for (const fn of now) fn();
  };
  return {
    run(fn) {
      if (ms <= 0) return fn();
      queue.push(fn);
      timer ??= setTimeout(flush, ms);
    },
    flush,
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      queue = [];
    },
  };
}
