/**
 * The continuous rollup's late data (continuous-rollup.ts): per source, the closed hours a late
 * reading reached, each waiting for its recompute until no late reading has reached it for a while;
 * and per local day, how often late data reached it (a report built of the day before is stale).
 *
 * An hour settles on its own, not when its source does: a logger replaying a day's backlog goes
 * hour after hour for minutes, and while it did, its whole span of hours was recomputed every
 * `maxWaitMs` (the bench's replay of 24 h at saturation re-read every source's day from raw two to
 * three times, ~11 % of the server's CPU); now each hour is recomputed once, shortly after the
 * replay has moved past it.
 */
import { DAY_MS } from '../domain/local-time';

/** When late data first and last reached an hour. */
interface LateHour {
  first: number;
  last: number;
}

export class LateHours {
  private readonly bySource = new Map<string, Map<number, LateHour>>();
  private readonly dayChanges = new Map<number, number>();

  constructor(private readonly dayOf: (hour: number) => number) {}

  private hoursOf(mn: string): Map<number, LateHour> {
    let hours = this.bySource.get(mn);
    if (!hours) this.bySource.set(mn, (hours = new Map()));
    return hours;
  }

  /** A late reading of the source's closed hour; true when the hour was not waiting yet (its kept entry is stale now). */
  add(mn: string, hour: number, now: number): boolean {
    const hours = this.hoursOf(mn);
    this.touch(hour);
    const waiting = hours.get(hour);
    if (waiting) {
      waiting.last = now;
      return false;
    }
    hours.set(hour, { first: now, last: now });
    return true;
  }

  /** Late data waits for this source-hour: what the store holds of it is stale. */
  has(mn: string, hour: number): boolean {
    return this.bySource.get(mn)?.has(hour) ?? false;
  }

  /** Late data waits on some hour of this source. */
  waitsFor(mn: string): boolean {
    return this.bySource.has(mn);
  }

  /** Takes the source-hours due for their recompute: no late reading for `settleMs`, or the first `maxWaitMs` ago. */
  takeDue(now: number, settleMs: number, maxWaitMs: number): [string, number[]][] {
    const due: [string, number[]][] = [];
    for (const [mn, hours] of this.bySource) {
      const ready: number[] = [];
      for (const [hour, t] of hours) {
        if (now - t.last < settleMs && now - t.first < maxWaitMs) continue;
        ready.push(hour);
        hours.delete(hour);
      }
      if (ready.length > 0) due.push([mn, ready]);
      if (hours.size === 0) this.bySource.delete(mn);
    }
    return due;
  }

  /** Hours whose recompute failed wait again. */
  requeue(mn: string, hours: readonly number[], now: number): void {
    const waiting = this.hoursOf(mn);
    for (const h of hours) if (!waiting.has(h)) waiting.set(h, { first: now, last: now });
  }

  /** Late data reached the hour's day (a recompute written, or a reading). */
  touch(hour: number): void {
    const day = this.dayOf(hour);
    this.dayChanges.set(day, (this.dayChanges.get(day) ?? 0) + 1);
  }

  /** Some hour of the day waits for its recompute. */
  waitingIn(day: number): boolean {
    for (const hours of this.bySource.values()) for (const h of hours.keys()) if (h >= day && h < day + DAY_MS) return true;
    return false;
  }

  /** How often late data reached the day. */
  changesOf(day: number): number {
    return this.dayChanges.get(day) ?? 0;
  }

  /** Source-hours waiting. */
  get queued(): number {
    let n = 0;
    for (const hours of this.bySource.values()) n += hours.size;
    return n;
  }
}
