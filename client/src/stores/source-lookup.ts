/**
 * Sources asked for one by one (a row's name, a drawer's enterprise), fetched together: every MN
 * asked for within `delayMs` goes into one request (`GET /api/sources?mn=…`, at most `per` MNs each),
 * each MN once. An MN the server does not return (unknown, or not the user's) is not asked for again;
 * one whose request failed may be asked again after `retryMs`.
 */
import type { SourceView } from '@domain/events';

/** The MNs among `wanted` that are neither held nor asked for already, in requests of at most `per`. */
export function missingBatches(wanted: readonly string[], held: (mn: string) => boolean, per: number): string[][] {
  const missing = [...new Set(wanted)].filter((mn) => !held(mn));
  return Array.from({ length: Math.ceil(missing.length / per) }, (_, i) => missing.slice(i * per, (i + 1) * per));
}

export interface SourceLookup {
  /** Ask for `mn` (nothing if it was asked for already). */
  ask: (mn: string) => void;
  /** Forget what was asked (the registry changed): every MN may be asked again. */
  reset: () => void;
  /** Requests under way or waiting (tests wait on it). */
  settled: () => Promise<void>;
}

export interface LookupOptions {
  fetchByMn: (mns: readonly string[]) => Promise<SourceView[]>;
  /** The views fetched (all of one request) and the MNs that request named. */
  onViews: (views: readonly SourceView[], asked: readonly string[]) => void;
  per: number;
  delayMs?: number;
  retryMs?: number;
}

export function sourceLookup(o: LookupOptions): SourceLookup {
  const asked = new Set<string>();
  let waiting: string[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const inflight = new Set<Promise<void>>();
  let epoch = 0;

  async function run(batch: readonly string[], at: number): Promise<void> {
    try {
      const views = await o.fetchByMn(batch);
      if (at === epoch) o.onViews(views, batch);
    } catch (err) {
      console.warn('[sources] sources not fetched by MN', err);
      setTimeout(() => {
        if (at === epoch) for (const mn of batch) asked.delete(mn);
      }, o.retryMs ?? 10_000);
    }
  }

  function flush(): void {
    timer = null;
    const batches = missingBatches(waiting, () => false, o.per);
    waiting = [];
    for (const b of batches) {
      const p = run(b, epoch).finally(() => inflight.delete(p));
      inflight.add(p);
    }
  }

  return {
    ask(mn) {
      if (asked.has(mn)) return;
      asked.add(mn);
      waiting.push(mn);
      timer ??= setTimeout(flush, o.delayMs ?? 20);
    },
    reset() {
      epoch += 1;
      asked.clear();
      waiting = [];
    },
    async settled() {
      while (timer !== null || inflight.size > 0) {
        if (timer !== null) await new Promise((r) => setTimeout(r, (o.delayMs ?? 20) + 1));
        await Promise.all([...inflight]);
      }
    },
  };
}
