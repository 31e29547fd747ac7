/**
 * How the alert service writes (issue 15, docs/scale-out.md "Alerts in a cluster"): one serial
 * queue of writes, so the changes of an alert reach the store in the order they were decided, and
 * a write that loses a race re-plans. A change is planned as a pure function of the alert as
 * stored (a transition, an officer's action, an escalation); the store refuses a write over a
 * version it no longer holds ('conflict') or a second open alert of a key ('duplicate'); then the
 * alert is loaded again and the change planned again on it, after a short random pause that
 * grows with each loss (so an officer's action gets through between the owner's writes), up to
 * MAX_ATTEMPTS times.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '../domain/alert';
import type { AlertStore, HistoryInput, Notify, VersionedAlert } from '../storage/sql/alert-store';

/** More than this many lost races in a row for one change is a fault, not contention. */
export const MAX_ATTEMPTS = 20;

/** The pause after the n-th lost race: random, up to 5 ms doubled per loss (at most 250 ms). */
const pauseAfter = (attempt: number): number => Math.random() * Math.min(5 * 2 ** (attempt - 1), 250);

/** The longest stretch, ms, of jobs run back to back before the event loop gets a turn. */
export const SLICE_MS = 250;

/**
 * Runs jobs one after another, in the order given. A job that starts SLICE_MS or more after the
 * event loop last had a turn waits for one first: on SQLite (synchronous underneath) a queue of
 * thousands of writes — a province's sources all going offline at once (issue 20) — would
 * otherwise run as one chain of promises, and no HTTP request, socket or reading would be served
 * until it ended. Short queues (the usual case) never wait.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** When the current stretch of back-to-back jobs began (performance.now()); null: none running. */
  private stretch: number | null = null;

  run<T>(job: () => Promise<T>): Promise<T> {
    const done = this.tail.then(async () => {
      const now = performance.now();
      if (this.stretch === null) {
        this.stretch = now;
        // The stretch ends when the loop gets a turn on its own (the queue ran dry or a job awaited I/O).
        setImmediate(() => (this.stretch = null));
      } else if (now - this.stretch >= SLICE_MS) {
        await nextTurn();
        this.stretch = performance.now();
        setImmediate(() => (this.stretch = null));
      }
      return job();
    });
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** Resolves once every job queued so far has run. */
  async settled(): Promise<void> {
    await this.tail;
  }
}

/** What to write for a change: the alert as it becomes (without a number when new), its history entries and notifications. */
export interface AlertWrite {
  alert: Alert | Omit<Alert, 'id'>;
  entries: readonly HistoryInput[];
  notify?: Notify;
}

/** A change planned on the alert as stored (undefined: none open, or not found): a write, or nothing to write. */
export type Planned<R> = { write: AlertWrite; after: (saved: Alert) => R } | { write: null; result: R };

export interface PlannedChange<R> {
  /** The alert as last known (the service's copy), or undefined to load it first. */
  base: VersionedAlert | undefined;
  /** Loads the alert as stored now (after a lost race). */
  reload: () => Promise<VersionedAlert | undefined>;
  plan: (alert: Alert | undefined) => Planned<R> | Promise<Planned<R>>;
  /** Told of every alert as written or reloaded (the service keeps its copy). */
  seen: (a: VersionedAlert) => void;
  /** Told of each lost race. */
  lost: (attempt: number) => void;
}

/** Plans and writes one change, re-planning on the alert as stored after a conflict or a duplicate. */
export async function writeChange<R>(store: AlertStore, change: PlannedChange<R>): Promise<R> {
  let base = change.base;
  for (let attempt = 1; ; attempt++) {
    const planned = await change.plan(base?.alert);
    if (planned.write === null) return planned.result;
    const saved = await attemptWrite(store, base, planned.write);
    if (saved !== 'lost') {
      change.seen(saved);
      return planned.after(saved.alert);
    }
    change.lost(attempt);
    if (attempt >= MAX_ATTEMPTS) throw new Error(`an alert change lost ${attempt} races in a row`);
    await sleep(pauseAfter(attempt));
    base = await change.reload();
    if (base) change.seen(base);
  }
}

async function attemptWrite(store: AlertStore, base: VersionedAlert | undefined, w: AlertWrite): Promise<VersionedAlert | 'lost'> {
  if (!base) {
    const inserted = await store.insert(withoutId(w.alert), w.entries, w.notify);
    return inserted === 'duplicate' ? 'lost' : inserted;
  }
  const alert = { ...withoutId(w.alert), id: base.alert.id };
  const version = await store.update(alert, base.version, w.entries, w.notify);
  return version === 'conflict' ? 'lost' : { alert, version };
}

function withoutId(a: Alert | Omit<Alert, 'id'>): Omit<Alert, 'id'> {
  if (!('id' in a)) return a;
  const { id, ...rest } = a;
  return rest;
}
