/**
 * The continuous rollup's late data (continuous-rollup.ts): per source, the closed hours a late
 * reading reached, waiting for their recompute until the source settles; and per local day, how
 * often late data reached it (a report built of the day before is stale).
 */
import { DAY_MS } from '../domain/local-time';

interface LateSource {
  hours: Set<number>;
  first: number;
  last: number;
}

export class LateHours {
  private readonly bySource = new Map<string, LateSource>();
  private readonly dayChanges = new Map<number, number>();

  constructor(private readonly dayOf: (hour: number) => number) {}

  private sourceOf(mn: string, now: number): LateSource {
    let l = this.bySource.get(mn);
    if (!l) this.bySource.set(mn, (l = { hours: new Set(), first: now, last: now }));
    return l;
  }

  /** A late reading of the source's closed hour; true when the hour was not waiting yet (its kept entry is stale now). */
  add(mn: string, hour: number, now: number): boolean {
    const l = this.sourceOf(mn, now);
    l.last = now;
    this.touch(hour);
    if (l.hours.has(hour)) return false;
    l.hours.add(hour);
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

  /** Takes the sources due for their recompute: none late for `settleMs`, or the first `maxWaitMs` ago. */
  takeDue(now: number, settleMs: number, maxWaitMs: number): [string, number[]][] {
    const due: [string, number[]][] = [];
    for (const [mn, l] of this.bySource) {
      if (now - l.last < settleMs && now - l.first < maxWaitMs) continue;
      due.push([mn, [...l.hours]]);
      this.bySource.delete(mn);
    }
    return due;
  }

  /** Hours whose recompute failed wait again. */
  requeue(mn: string, hours: readonly number[], now: number): void {
    const l = this.sourceOf(mn, now);
    for (const h of hours) l.hours.add(h);
  }

  /** Late data reached the hour's day (a recompute written, or a reading). */
  touch(hour: number): void {
    const day = this.dayOf(hour);
    this.dayChanges.set(day, (this.dayChanges.get(day) ?? 0) + 1);
  }

  /** Some hour of the day waits for its recompute. */
  waitingIn(day: number): boolean {
    for (const l of this.bySource.values()) for (const h of l.hours) if (h >= day && h < day + DAY_MS) return true;
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
