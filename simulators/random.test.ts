import { describe, expect, it } from 'vitest';
import { chance, clamp, createRng, deriveSeed, hashString, hashUnit, normal, uniform } from './random';

describe('seeded PRNG', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
  });

  it('stays in [0, 1) with a mean near 0.5', () => {
    const rng = createRng(7);
    const xs = Array.from({ length: 10_000 }, rng);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });

  it('derives per-key seeds that differ by key and by fleet seed', () => {
    expect(deriveSeed(1, 'A')).toBe(deriveSeed(1, 'A'));
    expect(deriveSeed(1, 'A')).not.toBe(deriveSeed(1, 'B'));
    expect(deriveSeed(1, 'A')).not.toBe(deriveSeed(2, 'A'));
    expect(hashString('a21001')).toBe(hashString('a21001'));
    expect(hashUnit('day-1')).toBe(hashUnit('day-1'));
  });

  it.each([
    ['uniform', (r: () => number) => uniform(r, 2, 3), 2, 3],
    ['clamp', () => clamp(5, 0, 1), 0, 1],
  ])('%s stays within its bounds', (_name, draw, lo, hi) => {
    const rng = createRng(3);
    for (let i = 0; i < 1000; i += 1) {
      const x = draw(rng);
      expect(x).toBeGreaterThanOrEqual(lo);
      expect(x).toBeLessThanOrEqual(hi);
    }
  });

  it('draws normal deviates with the requested mean and spread, and chances at their rate', () => {
    const rng = createRng(11);
    const xs = Array.from({ length: 20_000 }, () => normal(rng, 10, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
    const hits = Array.from({ length: 10_000 }, () => chance(rng, 0.3)).filter(Boolean).length;
    expect(hits / 10_000).toBeCloseTo(0.3, 1);
  });
});
