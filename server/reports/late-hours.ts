/**
 * The continuous rollup's late data (continuous-rollup.ts): per source, the closed hours a late
 * reading reached, waiting for their recompute until the source settles (no late reading for
 * `settleMs`) or `maxWaitMs` after the hour's first; and per local day, how often late data reached
 * it (a report built of the day before is stale).
 *
 * The longest wait is counted per hour, not per source: a logger replaying a day's backlog goes
 * hour after hour for minutes, and its whole span of hours was recomputed every `maxWaitMs` while it
 * did (the bench's replay of 24 h at saturation re-read every source's day from raw two to three
 * times); now each hour once, `maxWaitMs` after late data first reached it. Not sooner: an hour's
 * recompute as soon as the replay moved past it put that work beside the replay's own ingest
 * (measured: a quarter less taken while the replay ran).
 */
import { DAY_MS } from '../domain/local-time';

/**
 * Longest wait of due hours while the intake is behind (`takeDue`'s `intakeBehind`): then they are
 * taken once and wait again, so a store that never catches up still has its late hours recomputed.
 */
export const MAX_YIELD_MS = 300_000;

interface LateSource {
  /** Each hour waiting, and when late data first reached it. */
  hours: Map<number, number>;
  /** The source's latest late reading. */
  last: number;
}

export class LateHours {
  private readonly bySource = new Map<string, LateSource>();
  private readonly dayChanges = new Map<number, number>();
  /** Since when due hours have waited for the intake (null: it is not behind). */
  private yieldingSince: number | null = null;

  constructor(private readonly dayOf: (hour: number) => number) {}

  private sourceOf(mn: string, now: number): LateSource {
    let l = this.bySource.get(mn);
    if (!l) this.bySource.set(mn, (l = { hours: new Map(), last: now }));
    return l;
  }

  /** A late reading of the source's closed hour; true when the hour was not waiting yet (its kept entry is stale now). */
  add(mn: string, hour: number, now: number): boolean {
    const l = this.sourceOf(mn, now);
    l.last = now;
    this.touch(hour);
    if (l.hours.has(hour)) return false;
    l.hours.set(hour, now);
    return true;
  }

  /** Late data waits for this source-hour: what the store holds of it is stale. */
  has(mn: string, hour: number): boolean {
    return this.bySource.get(mn)?.hours.has(hour) ?? false;
  }

  /** Late data waits on some hour of this source. */
  waitsFor(mn: string): boolean {
    return this.bySource.has(mn);
  }

  /**
   * Takes the source-hours due for their recompute: all of a source with no late reading for
   * `settleMs`, else those late data first reached `maxWaitMs` ago. None while the intake is behind
   * (`intakeBehind`: readings wait for the store), at most MAX_YIELD_MS at a time: reading a replayed
   * backlog back from raw beside its own ingest drained it at about half the load's rate (bench, 2026-12-05).
   */
  takeDue(now: number, settleMs: number, maxWaitMs: number, intakeBehind = false): [string, number[]][] {
    if (!intakeBehind) this.yieldingSince = null;
    else if (now - (this.yieldingSince ??= now) < MAX_YIELD_MS) return [];
    else this.yieldingSince = now;
    const due: [string, number[]][] = [];
    for (const [mn, l] of this.bySource) {
      const settled = now - l.last >= settleMs;
      const ready: number[] = [];
      for (const [hour, first] of l.hours) {
        if (!settled && now - first < maxWaitMs) continue;
        ready.push(hour);
        l.hours.delete(hour);
      }
      if (ready.length > 0) due.push([mn, ready]);
      if (l.hours.size === 0) this.bySource.delete(mn);
    }
    return due;
  }

  /** Hours whose recompute failed wait again. */
  requeue(mn: string, hours: readonly number[], now: number): void {
    const l = this.sourceOf(mn, now);
    for (const h of hours) if (!l.hours.has(h)) l.hours.set(h, now);
  }

  /** Late data reached the hour's day (a recompute written, or a reading). */
  touch(hour: number): void {
    const day = this.dayOf(hour);
    this.dayChanges.set(day, (this.dayChanges.get(day) ?? 0) + 1);
  }

  /** Some hour of the day waits for its recompute. */
  waitingIn(day: number): boolean {
    for (const l of this.bySource.values()) for (const h of l.hours.keys()) if (h >= day && h < day + DAY_MS) return true;
    return false;
  }

  /** How often late data reached the day. */
  changesOf(day: number): number {
    return this.dayChanges.get(day) ?? 0;
  }

  /** Source-hours waiting. */
  get queued(): number {
    let n = 0;
    for (const l of this.bySource.values()) n += l.hours.size;
    return n;
  }
}
