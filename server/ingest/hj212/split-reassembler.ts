/**
 * Reassembles split uploads (Flag bit D, PNUM/PNO) by MN + CN + DataTime (DOMAIN §3: each part has
 * its own QN). Each part arrives already decoded into a partial reading; when every PNO 1…PNUM is
 * there, the parts' factors merge into one reading. A set still incomplete `timeoutMs` after its
 * first part is handed out as it stands (the store merges factors of the same instant, so a part
 * resent later completes it) — nothing waits forever and nothing received is dropped.
 */
import type { Reading } from '../../domain/reading';

export interface SplitTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SplitPart<T> {
  reading: Reading;
  pnum: number;
  pno: number;
  /** Whatever the caller needs to answer this part (its reply channel and frame). */
  token: T;
}

export type SplitOutcome<T> =
  { kind: 'pending' } | { kind: 'complete'; reading: Reading; tokens: T[] } | { kind: 'rejected'; detail: string };

/** An incomplete set handed out on timeout (or at close). */
export interface ExpiredSplit<T> {
  reading: Reading;
  tokens: T[];
  missing: number[];
}

interface Group<T> {
  pnum: number;
  parts: (Reading | undefined)[];
  tokens: T[];
  timer: unknown;
}

const keyOf = (r: Reading): string => `${r.mn}|${r.cn}|${r.ts}`;

function merge(parts: readonly (Reading | undefined)[]): Reading | undefined {
  let merged: Reading | undefined;
  for (const part of parts) {
    if (!part) continue;
    if (!merged) merged = { ...part, factors: { ...part.factors } };
    else Object.assign(merged.factors, part.factors);
  }
  return merged;
}

export class SplitReassembler<T> {
  private readonly groups = new Map<string, Group<T>>();

  constructor(
    private readonly opts: { timeoutMs: number; maxGroups: number },
    private readonly timers: SplitTimers,
    private readonly onExpire: (expired: ExpiredSplit<T>) => void,
  ) {}

  /** Sets waiting for parts. */
  get pending(): number {
    return this.groups.size;
  }

  add(part: SplitPart<T>): SplitOutcome<T> {
    const key = keyOf(part.reading);
    let group = this.groups.get(key);
    if (group && group.pnum !== part.pnum) {
      return {
        kind: 'rejected',
        detail: `PNUM=${part.pnum} differs from PNUM=${group.pnum} of the other parts of ${part.reading.mn} CN ${part.reading.cn} at ${new Date(part.reading.ts).toISOString()}`,
      };
    }
    if (!group) {
      if (this.groups.size >= this.opts.maxGroups) this.expireOldest();
      group = { pnum: part.pnum, parts: new Array<Reading | undefined>(part.pnum).fill(undefined), tokens: [], timer: undefined };
      const g = group;
      group.timer = this.timers.setTimeout(() => this.expire(key, g), this.opts.timeoutMs);
      this.groups.set(key, group);
    }
    group.parts[part.pno - 1] = part.reading;
    group.tokens.push(part.token);
    if (group.parts.some((p) => p === undefined)) return { kind: 'pending' };
    this.timers.clearTimeout(group.timer);
    this.groups.delete(key);
    return { kind: 'complete', reading: merge(group.parts)!, tokens: group.tokens };
  }

  /** Hands out every incomplete set now (shutdown). */
  close(): void {
    for (const [key, group] of [...this.groups]) {
      this.timers.clearTimeout(group.timer);
      this.expire(key, group);
    }
  }

  private expireOldest(): void {
    const first = this.groups.entries().next();
    if (first.done) return;
    const [key, group] = first.value;
    this.timers.clearTimeout(group.timer);
    this.expire(key, group);
  }

  private expire(key: string, group: Group<T>): void {
    if (this.groups.get(key) !== group) return;
    this.groups.delete(key);
    const missing = group.parts.flatMap((p, i) => (p ? [] : [i + 1]));
    this.onExpire({ reading: merge(group.parts)!, tokens: group.tokens, missing });
  }
}
