/**
 * copied-data (suspected falsification, issue 19 / plans A9): a window of `window` (K) consecutive
 * sample readings whose values — every factor, by code and primary value — repeat exactly an
 * earlier window of the same source that ended within `lookbackS` (default a day) and does not
 * overlap it: a segment of data copied and replayed. Raised (default major) on factor `*` (all
 * factors) with both windows' times as evidence, kept raised while the copy goes on, cleared by
 * the first window that repeats nothing. A window whose K readings are all the same (a flat line, a
 * stopped unit sending zeros) is never indexed nor judged: flat-line's business.
 *
 * Cost: per reading O(K) to fold the window (K is small, default 10), O(1) to look it up and index
 * it. Memory per source is bounded: at most `maxWindows` indexed windows (default 720), 28 bytes of
 * ring and a cell of a hash table each, the oldest dropped first (CopyIndex below). Only one window in `indexEvery` (default 4,
 * chosen by hash, so a copy's windows are chosen exactly as the original's were) is indexed and
 * judged: 720 then cover a day of 30-s samples, and a copy of n readings is found with probability
 * 1 − (3/4)^(n − K + 1) — 96 % at 20 readings, 99.97 % at 38 (10 min of 30-s data and more: certain
 * in practice). `indexEvery: 1` judges every window (exact, four times the memory per day).
 * Readings are fingerprinted with two independent 32-bit hashes, windows likewise (62 bits in
 * all): equality of the hashes stands for equality of the values. This index is kept apart from
 * the engine's snapshot: after a restart it is learnt afresh (a copy of data from before the
 * restart is not recognised).
 */
import type { Finding } from '../domain/alert';
import { primaryValue, type Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { exceeded, normal, type RuleContext } from './rule-context';

export const COPIED_DATA_RULE = RULE_IDS.copiedData;
export const WHOLE_SOURCE = '*';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const codeHashes = new Map<string, number>();

function strHash(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
const codeHash = (code: string): number => {
  let h = codeHashes.get(code);
  if (h === undefined) codeHashes.set(code, (h = strHash(code, 0x811c9dc5)));
  return h;
};
/** A 32-bit avalanche (murmur3's finaliser). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Two independent fingerprints of a reading's values (order of factors does not matter). */
function fingerprint(reading: Reading, out: [number, number]): boolean {
  let a = 0;
  let b = 0;
  let any = false;
  for (const code in reading.factors) {
    const fv = reading.factors[code];
    const v = fv && primaryValue(reading.cn, fv);
    if (v === undefined) continue;
    any = true;
    f64[0] = v;
    const c = codeHash(code);
    a = (a + mix(c ^ mix(u32[0]! ^ mix(u32[1]!)))) >>> 0;
    b = (b + mix(Math.imul(c, 0x9e3779b1) ^ mix(u32[1]! + 0x7f4a7c15) ^ u32[0]!)) >>> 0;
  }
  out[0] = a;
  out[1] = b;
  return any;
}

/** The smallest ring a source starts with; it doubles as windows are indexed, up to maxWindows. */
const FIRST_CAPACITY = 16;

/**
 * A source's recent readings (the last K fingerprints) and its index of earlier windows. Mutable
 * on purpose: a day of windows per source copied on every reading would cost more than the rule.
 *
 * Memory (issue 20, a province's 20,000 sources): the ring of windows (28 bytes each) starts at
 * 16 and doubles as windows are indexed, up to `cap`, so a source that has just started costs a
 * few hundred bytes, not a day's worth; the lookup by window hash is an open-addressing table of
 * ring slots (2 or 4 bytes a cell, at most half full) beside the ring, not a Map (whose entries,
 * 720 per source, the garbage collector would walk on every full collection). At the default 720
 * windows: about 24 KB per source once it has a day of samples, all of it outside the V8 heap.
 */
export class CopyIndex {
  /** Readings seen (the position of the next one; wraps after 2^31, far beyond a day's look-back). */
  private seq = 0;
  private readonly lastA: Int32Array;
  private readonly lastB: Int32Array;
  private readonly lastTs: Float64Array;
  /** The ring of indexed windows (oldest at head − size), `capacity` long, grown up to `cap`. */
  private ringA = new Int32Array(0);
  private ringB = new Int32Array(0);
  private ringSeq = new Int32Array(0);
  private ringStart = new Float64Array(0);
  private ringEnd = new Float64Array(0);
  private capacity = 0;
  /** Window hash A → 1 + the ring slot of the latest window with it (0: empty); linear probing. */
  private table: Uint16Array | Uint32Array = new Uint16Array(0);
  private mask = 0;
  private head = 0;
  private size = 0;
  /** Raised: the copy goes on. */
  active = false;
  private readonly fp: [number, number] = [0, 0];

  /**
   * `every`: only windows whose hash is 0 modulo `every` are indexed and judged (1: all). Equal
   * windows have equal hashes, so a copy is missed only if none of its windows is so chosen: a
   * copy of n readings is found with probability 1 − (1 − 1/every)^(n − K + 1).
   */
  constructor(
    readonly k: number,
    readonly cap: number,
    readonly every: number = 1,
  ) {
    this.lastA = new Int32Array(k);
    this.lastB = new Int32Array(k);
    this.lastTs = new Float64Array(k);
  }

  /** Number of windows indexed now (tests, bounds). */
  get indexed(): number {
    return this.size;
  }

  /** Bytes held by this index's arrays (tests, the memory figures). */
  get bytes(): number {
    const arrays = [this.lastA, this.lastB, this.lastTs, this.ringA, this.ringB, this.ringSeq, this.ringStart, this.ringEnd, this.table];
    return arrays.reduce((sum, a) => sum + a.byteLength, 0);
  }

  /**
   * Adds a reading; returns the earlier window the window ending here repeats (its first and last
   * reading's ts) and this window's first ts, `null` when it repeats nothing, `undefined` when
   * there is no window to judge (fewer than K readings, or all K the same).
   */
  add(reading: Reading, lookbackMs: number): { start: number; earlierStart: number; earlierEnd: number } | null | undefined {
    if (!fingerprint(reading, this.fp)) return undefined;
    const slot = this.seq % this.k;
    this.lastA[slot] = this.fp[0];
    this.lastB[slot] = this.fp[1];
    this.lastTs[slot] = reading.ts;
    const seq = this.seq++;
    if (this.seq < this.k) return undefined;
    // Fold the K readings in order, oldest first.
    let a = 0x811c9dc5;
    let b = 0x1b873593;
    let same = true;
    const first = (seq + 1) % this.k;
    for (let i = 0; i < this.k; i++) {
      const j = (first + i) % this.k;
      if (this.lastA[j] !== this.lastA[first] || this.lastB[j] !== this.lastB[first]) same = false;
      a = mix(Math.imul(a ^ this.lastA[j]!, 0x01000193));
      b = mix(Math.imul(b ^ this.lastB[j]!, 0x5bd1e995) + i);
    }
    if (same) return undefined;
    const key = a & 0x3fffffff;
    if (this.every > 1 && (b >>> 0) % this.every !== 0) return undefined;
    const start = this.lastTs[first]!;
    this.expire(reading.ts - lookbackMs);
    let match: { start: number; earlierStart: number; earlierEnd: number } | null = null;
    const cell = this.find(key);
    const at = cell < 0 ? -1 : this.table[cell]! - 1;
    if (at >= 0 && (((seq | 0) - this.ringSeq[at]!) | 0) >= this.k && this.ringB[at] === (b | 0)) {
      match = { start, earlierStart: this.ringStart[at]!, earlierEnd: this.ringEnd[at]! };
    }
    this.push(key, b | 0, seq, start, reading.ts);
    return match;
  }

  private push(key: number, b: number, seq: number, start: number, end: number): void {
    if (this.size === this.cap) this.dropOldest();
    else if (this.size === this.capacity) this.grow();
    const at = this.head;
    this.ringA[at] = key;
    this.ringB[at] = b;
    this.ringSeq[at] = seq;
    this.ringStart[at] = start;
    this.ringEnd[at] = end;
    this.head = (this.head + 1) % this.capacity;
    this.size++;
    this.setLatest(key, at);
  }

  private dropOldest(): void {
    const at = (this.head - this.size + this.capacity) % this.capacity;
    const cell = this.find(this.ringA[at]!);
    if (cell >= 0 && this.table[cell] === at + 1) this.deleteCell(cell);
    this.size--;
  }

  private expire(before: number): void {
    while (this.size > 0 && this.ringEnd[(this.head - this.size + this.capacity) % this.capacity]! < before) this.dropOldest();
  }

  /** The table cell holding `key`, or −1. */
  private find(key: number): number {
    if (this.size === 0) return -1;
    for (let i = mix(key) & this.mask; ; i = (i + 1) & this.mask) {
      const v = this.table[i]!;
      if (v === 0) return -1;
      if (this.ringA[v - 1] === key) return i;
    }
  }

  /** `key` now names ring slot `at` (its latest window): its cell is overwritten, or an empty one taken. */
  private setLatest(key: number, at: number): void {
    let i = mix(key) & this.mask;
    while (this.table[i] !== 0 && this.ringA[this.table[i]! - 1] !== key) i = (i + 1) & this.mask;
    this.table[i] = at + 1;
  }

  /** Empties a cell, moving later cells of its probe run back (no tombstones). */
  private deleteCell(cell: number): void {
    let hole = cell;
    for (let i = (cell + 1) & this.mask; this.table[i] !== 0; i = (i + 1) & this.mask) {
      const home = mix(this.ringA[this.table[i]! - 1]!) & this.mask;
      // The entry at i may fill the hole if its home is not in (hole, i] (cyclically).
      if (((i - home) & this.mask) >= ((i - hole) & this.mask)) {
        this.table[hole] = this.table[i]!;
        hole = i;
      }
    }
    this.table[hole] = 0;
  }

  /** Doubles the ring (up to cap), oldest window first, and rebuilds the table for it. */
  private grow(): void {
    const capacity = Math.min(this.cap, Math.max(FIRST_CAPACITY, this.capacity * 2));
    const from = (this.head - this.size + this.capacity) % Math.max(1, this.capacity);
    const order = Array.from({ length: this.size }, (_, i) => (from + i) % this.capacity);
    const take = <A extends Int32Array | Float64Array>(old: A, next: A): A => {
      order.forEach((at, i) => (next[i] = old[at]!));
      return next;
    };
    this.ringA = take(this.ringA, new Int32Array(capacity));
    this.ringB = take(this.ringB, new Int32Array(capacity));
    this.ringSeq = take(this.ringSeq, new Int32Array(capacity));
    this.ringStart = take(this.ringStart, new Float64Array(capacity));
    this.ringEnd = take(this.ringEnd, new Float64Array(capacity));
    this.capacity = capacity;
    this.head = this.size % capacity;
    // At most half full; slots + 1 fit 16 bits below 65,535 windows.
    let cells = 1;
    while (cells < capacity * 2) cells *= 2;
    this.table = capacity < 0xffff ? new Uint16Array(cells) : new Uint32Array(cells);
    this.mask = cells - 1;
    for (let at = 0; at < this.size; at++) this.setLatest(this.ringA[at]!, at);
  }
}

/**
 * One sample reading: index it and judge the window ending with it. The index is the source's
 * (created by the engine with the pack's K and maxWindows, replaced when they change).
 */
export function copiedDataStep(index: CopyIndex, reading: Reading, ctx: RuleContext): Finding[] {
  const p = ctx.params.copiedData;
  const match = index.add(reading, p.lookbackS * 1000);
  if (match === undefined) return [];
  const { mn } = ctx.source;
  if (match === null) {
    if (!index.active) return [];
    index.active = false;
    return [normal(mn, WHOLE_SOURCE, COPIED_DATA_RULE, 0, reading.ts)];
  }
  if (index.active) return [];
  index.active = true;
  return [
    exceeded(mn, {
      factor: WHOLE_SOURCE,
      rule: COPIED_DATA_RULE,
      severity: p.severity,
      value: p.window,
      limit: p.window,
      unit: '',
      ts: reading.ts,
      evidence: {
        windowStart: match.start,
        windowEnd: reading.ts,
        samples: p.window,
        copiedFromStart: match.earlierStart,
        copiedFromEnd: match.earlierEnd,
      },
    }),
  ];
}

/** The source's index, made afresh when K or maxWindows changed. */
export function copyIndexFor(index: CopyIndex | undefined, ctx: RuleContext): CopyIndex {
  const p = ctx.params.copiedData;
  return index && index.k === p.window && index.cap === p.maxWindows && index.every === p.indexEvery
    ? index
    : new CopyIndex(p.window, p.maxWindows, p.indexEvery);
}
