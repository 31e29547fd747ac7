import { describe, expect, it } from 'vitest';
import { DATA_FLAGS, type DataFlag, type FactorValue } from '../domain/reading';
import type { StoredRecord } from '../storage/telemetry-store';
import { aggregateHour, type ConversionSettings } from './hour-aggregate';
import { HourAccumulator } from './hour-accumulator';

const H = Date.parse('2026-07-01T10:00:00+08:00');
const MIN = 60_000;

/** A small seeded generator (mulberry32), so a failing case can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  minutes: StoredRecord[];
  realtime: StoredRecord[];
  /** Both kinds interleaved as they arrive (each kind in its own order). */
  arrivals: { cn: '2011' | '2051'; r: StoredRecord }[];
  c: ConversionSettings;
}

/** Random readings of one hour: flags mostly N, some zs, an O2 factor with its own flag, values with many decimals. */
function randomCase(seed: number): Case {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const flag = (): DataFlag => (rnd() < 0.8 ? 'N' : pick(DATA_FLAGS));
  const factorsOf = (cn: '2011' | '2051'): Record<string, FactorValue> => {
    const out: Record<string, FactorValue> = {};
    for (const f of ['a21002', 'a21026', 'a34013']) {
      if (rnd() < 0.1) continue; // a factor missing from a record
      const v = Math.round(rnd() * 1e6) / 1e4;
      out[f] = {
        ...(cn === '2011' ? { rtd: v } : { avg: v, min: v / 2, max: v * 2 }),
        flag: flag(),
        ...(rnd() < 0.2 ? { zs: v * 1.3 } : {}),
      };
    }
    if (rnd() < 0.9) out.a19001 = { ...(cn === '2011' ? { rtd: rnd() * 22 } : { avg: rnd() * 22 }), flag: flag() };
    if (rnd() < 0.05) out.a01012 = { flag: 'N' }; // no value at all
    return out;
  };
  const instants = (count: number, spacing: number): number[] => {
    const set = new Set<number>();
    for (let i = 0; i < count; i++) set.add(H + Math.floor(rnd() * (3_600_000 / spacing)) * spacing);
    return [...set].sort((a, b) => a - b);
  };
  const withMinutes = rnd() < 0.4;
  const minutes = withMinutes ? instants(Math.floor(rnd() * 70), MIN).map((ts) => ({ ts, factors: factorsOf('2051') })) : [];
  const realtime = instants(Math.floor(rnd() * 400), pick([1_000, 5_000, 15_000, 30_000])).map((ts) => ({
    ts,
    factors: factorsOf('2011'),
  }));
  const arrivals: Case['arrivals'] = [];
  let [i, j] = [0, 0];
  while (i < minutes.length || j < realtime.length) {
    if (j >= realtime.length || (i < minutes.length && rnd() < 0.2)) arrivals.push({ cn: '2051', r: minutes[i++] as StoredRecord });
    else arrivals.push({ cn: '2011', r: realtime[j++] as StoredRecord });
  }
  const c = { o2Ref: pick([undefined, 6, 9, 11]), o2Cap: pick([19, 20]), intervalS: pick([5, 30, 60, 7, 3600]) };
  return { minutes, realtime, arrivals, c };
}

describe('a source-hour built as readings arrive equals the hour computed from the raw records', () => {
  it.each(Array.from({ length: 300 }, (_, seed) => ({ seed })))('seed $seed', ({ seed }) => {
    const { minutes, realtime, arrivals, c } = randomCase(seed);
    const acc = new HourAccumulator('MN', H, c);
    for (const a of arrivals) expect(acc.add(a.cn, a.r)).toBe(true);
    expect(acc.result()).toEqual(aggregateHour('MN', H, minutes, realtime, c));
  });

  it('gives the hour so far at any moment, and keeps accumulating after', () => {
    const { arrivals, c } = randomCase(7);
    const acc = new HourAccumulator('MN', H, c);
    const half = Math.floor(arrivals.length / 2);
    arrivals.slice(0, half).forEach((a) => acc.add(a.cn, a.r));
    const upTo = (k: number, cn: string) => arrivals.slice(0, k).flatMap((a) => (a.cn === cn ? [a.r] : []));
    expect(acc.result()).toEqual(aggregateHour('MN', H, upTo(half, '2051'), upTo(half, '2011'), c));
    arrivals.slice(half).forEach((a) => acc.add(a.cn, a.r));
    expect(acc.result()).toEqual(aggregateHour('MN', H, upTo(arrivals.length, '2051'), upTo(arrivals.length, '2011'), c));
  });

  it.each([
    { name: 'a repeat of the last instant', ts: [0, 30_000, 30_000] },
    { name: 'an earlier instant', ts: [0, 60_000, 30_000] },
  ])('refuses $name (the hour is then recomputed from the raw store)', ({ ts }) => {
    const acc = new HourAccumulator('MN', H, { o2Ref: 6, o2Cap: 19, intervalS: 30 });
    const answers = ts.map((t) => acc.add('2011', { ts: H + t, factors: { a21002: { rtd: 1, flag: 'N' } } }));
    expect(answers).toEqual([true, true, false]);
  });

  it('takes minute and real-time data in their own orders (a minute record may come after later real-time ones)', () => {
    const acc = new HourAccumulator('MN', H, { o2Ref: undefined, o2Cap: 19, intervalS: 30 });
    expect(acc.add('2011', { ts: H + 90_000, factors: { a21002: { rtd: 1, flag: 'N' } } })).toBe(true);
    expect(acc.add('2051', { ts: H, factors: { a21002: { avg: 1, flag: 'N' } } })).toBe(true);
  });
});
