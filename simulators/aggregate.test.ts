import { describe, expect, it } from 'vitest';
import type { DataFlag } from '../server/domain/reading';
import { aggregate, sampleInputs, WindowAccumulator, type AggregateInput } from './aggregate';
import { chinaTime } from './test-registry';
import { MINUTE_MS } from './time';

const input = (avg: number, flag: DataFlag = 'N'): AggregateInput => ({ avg, min: avg, max: avg, flag });

describe('aggregate', () => {
  it.each([
    // flags of the inputs, expected flag, expected avg (of the N values when valid, else of all)
    ['all N', ['N', 'N', 'N', 'N'], 'N', 2.5],
    ['> 75 % N: N, the M value left out', ['N', 'N', 'N', 'N', 'M'], 'N', 2.5],
    ['exactly 75 % N is not enough', ['N', 'N', 'N', 'M'], 'M', 2.5],
    ['mostly maintenance', ['M', 'M', 'M', 'N'], 'M', 2.5],
    ['fault beats calibration by count', ['D', 'D', 'C', 'N'], 'D', 2.5],
  ] as Array<[string, DataFlag[], DataFlag, number]>)('%s', (_name, flags, flag, avg) => {
    const out = aggregate(flags.map((f, i) => input(i + 1, f)));
    expect(out.flag).toBe(flag);
    expect(out.avg).toBe(avg);
  });

  it('takes min of mins, max of maxes, the mean zs and the sum of cou', () => {
    const out = aggregate([
      { avg: 2, min: 1, max: 3, zs: 4, cou: 10, flag: 'N' },
      { avg: 4, min: 3, max: 7, zs: 6, cou: 5, flag: 'N' },
    ]);
    expect(out).toEqual({ avg: 3, min: 1, max: 7, zs: 5, cou: 15, flag: 'N' });
  });

  it('derives cou from flow: m³ for a00000, kg for pollutants (mg/m³ × m³/s × s × 10⁻⁶)', () => {
    const inputs = sampleInputs(
      { a00000: { rtd: 100, flag: 'N' }, a21002: { rtd: 30, zs: 32, flag: 'N' }, a19001: { rtd: 7, flag: 'N' } },
      5,
    );
    expect(inputs.a00000!.cou).toBe(500);
    expect(inputs.a21002!.cou).toBeCloseTo(30 * 100 * 5 * 1e-6, 12);
    expect(inputs.a21002!.zs).toBe(32);
    expect(inputs.a19001!.cou).toBeUndefined();
  });
});

describe('WindowAccumulator', () => {
  it('closes a minute when time passes it, stamped with the minute start', () => {
    const acc = new WindowAccumulator(MINUTE_MS);
    const t0 = chinaTime('2026-07-01T10:00');
    for (let s = 0; s < 60; s += 5) {
      expect(acc.roll(t0 + s * 1000)).toBeUndefined();
      acc.add(t0 + s * 1000, { a21001: input(s) });
    }
    const closed = acc.roll(t0 + 60_000);
    expect(closed?.start).toBe(t0);
    expect(closed?.factors.a21001).toMatchObject({ avg: 27.5, min: 0, max: 55, flag: 'N' });
    expect(acc.roll(t0 + 65_000)).toBeUndefined();
  });

  it('stamps a partial first minute with its start too', () => {
    const acc = new WindowAccumulator(MINUTE_MS);
    const t0 = chinaTime('2026-07-01T10:00');
    acc.add(t0 + 42_000, { a21001: input(1) });
    expect(acc.roll(t0 + 61_000)?.start).toBe(t0);
  });
});
