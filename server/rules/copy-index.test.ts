/**
 * copied-data's index (CopyIndex) against a plain reference: the same answers reading by reading
 * while its ring grows, drops its oldest windows and expires them, and its memory bounded by
 * what it holds (issue 20: a province's 20,000 sources, most of them just started).
 */
import { describe, expect, it } from 'vitest';
import type { Reading } from '../domain/reading';
import { CopyIndex } from './copied-data-rule';
import { CEMS, reading, S, T0, v } from './test-kit';

/** A small deterministic generator: values from a tiny alphabet, so windows repeat often. */
function values(n: number, alphabet: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 16) % alphabet;
  });
}

const at = (i: number, value: number): Reading => reading(CEMS, '2011', T0 + i * 30 * S, { a21026: v(value) });

interface Window {
  text: string;
  seq: number;
  start: number;
  end: number;
}

/**
 * The rule as its header states it, with plain arrays: every window of K (not all the same) is
 * indexed (every = 1), at most `cap`, none older than the look-back; a window repeats the latest
 * indexed window with the same values if they do not overlap.
 */
function reference(xs: number[], k: number, cap: number, lookbackMs: number) {
  const ring: Window[] = [];
  return xs.map((x, seq) => {
    if (seq + 1 < k) return undefined;
    const w = xs.slice(seq + 1 - k, seq + 1);
    if (w.every((y) => y === w[0])) return undefined;
    const start = at(seq + 1 - k, 0).ts;
    const end = at(seq, x).ts;
    while (ring.length > 0 && ring[0]!.end < end - lookbackMs) ring.shift();
    const text = w.join(',');
    const latest = ring.findLast((r) => r.text === text);
    const match = latest && seq - latest.seq >= k ? { start, earlierStart: latest.start, earlierEnd: latest.end } : null;
    if (ring.length === cap) ring.shift();
    ring.push({ text, seq, start, end });
    return match;
  });
}

describe('CopyIndex: the same answers as the plain reference, with its memory grown on demand', () => {
  it.each([
    // [K, cap, look-back (readings), alphabet, readings]
    [3, 50, 100_000, 3, 600], // many repeats, the ring full: oldest windows dropped
    [3, 1000, 40, 3, 800], // the look-back expires windows before the ring fills
    [4, 16, 100_000, 2, 300], // cap at the first capacity
    [5, 5, 100_000, 2, 200], // cap below the first capacity
    [10, 720, 100_000, 4, 1500], // the defaults' K and cap, grown 16 → 720
    [2, 3000, 100_000, 60, 3000], // few repeats, a large table
  ])('K %i, cap %i, look-back %i readings, alphabet %i, %i readings', (k, cap, lookback, alphabet, n) => {
    const xs = values(n, alphabet, k * 7919 + cap);
    const index = new CopyIndex(k, cap, 1);
    const lookbackMs = lookback * 30 * S;
    const got = xs.map((x, i) => index.add(at(i, x), lookbackMs));
    expect(got).toEqual(reference(xs, k, cap, lookbackMs));
    expect(index.indexed).toBeLessThanOrEqual(cap);
  });

  it('a source that has just started holds a few hundred bytes; a full index about 24 KB at the defaults', () => {
    const index = new CopyIndex(10, 720, 1);
    const fresh = index.bytes;
    expect(fresh).toBeLessThan(300);
    // Distinct windows: a ramp never repeats.
    for (let i = 0; i < 3000; i++) index.add(at(i, i), 86_400_000);
    expect(index.indexed).toBe(720);
    expect(index.bytes).toBeLessThanOrEqual(720 * 28 + 2048 * 2 + fresh);
  });
});
