/**
 * Seeded pseudo-random numbers for the simulators. Every kind function and scenario takes an
 * `Rng` so that a test (or a reproducible demo) can pass a seeded one; nothing here reads
 * Math.random or the clock.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: small, fast and good enough for plausible telemetry. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a 32-bit hash of a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seed for one logger (or one purpose) derived from the fleet seed, independent of order. */
export function deriveSeed(seed: number, key: string): number {
  return (hashString(key) ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
}

/** A stable number in [0, 1) for a key: per-day or per-source variation without state. */
export function hashUnit(key: string): number {
  return createRng(hashString(key))();
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** Normal deviate (Box–Muller). */
export function normal(rng: Rng, mean: number, sd: number): number {
  const u = Math.max(rng(), Number.EPSILON);
  const v = rng();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}
