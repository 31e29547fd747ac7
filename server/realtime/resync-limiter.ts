/**
 * Per-socket bound on `state:resync`: a snapshot is the most expensive thing a socket can ask for
 * (every open alert and source of its audience), so at most `max` per `perMs` window are answered.
 * A well-behaved dashboard resyncs only after a sequence gap; a flood is refused, counted, and
 * logged once per window. O(1) state per socket.
 */

export interface ResyncLimit {
  max: number;
  perMs: number;
}

export const DEFAULT_RESYNC_LIMIT: ResyncLimit = { max: 5, perMs: 10_000 };

export interface ResyncWindow {
  start: number;
  count: number;
}

/** `ok`: answer it; `refused`: drop it; `first_refusal`: drop it and log (the first one of this window). */
export type ResyncVerdict = 'ok' | 'refused' | 'first_refusal';

export function takeResync(w: ResyncWindow, limit: ResyncLimit, at: number): ResyncVerdict {
  if (at - w.start >= limit.perMs || at < w.start) {
    w.start = at;
    w.count = 0;
  }
  w.count++;
  if (w.count <= limit.max) return 'ok';
  return w.count === limit.max + 1 ? 'first_refusal' : 'refused';
}
