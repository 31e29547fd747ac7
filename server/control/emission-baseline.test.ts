import { describe, expect, it } from 'vitest';
import { compareWithBaseline, emissionRateKgH, hourlyRates, hoursOfDay } from './emission-baseline';

const H = 3_600_000;
const D = 24 * H;
const OFF = 480;
/** 2026-07-10 00:00 China time. */
const DAY = Date.UTC(2026, 6, 10) - 8 * H;

describe('emission rate (DOMAIN §4)', () => {
  it.each([
    [100, 50, 18], // 100 mg/m³ × 50 m³/s × 3600 × 1e-6
    [60, 50, 10.8],
    [35, 200, 25.2],
    [0, 80, 0],
  ])('%d mg/m³ at %d m³/s → %d kg/h', (c, q, kgh) => {
    expect(emissionRateKgH(c, q)).toBeCloseTo(kgh, 9);
  });

  it('pairs concentration and flow hour by hour', () => {
    const rates = hourlyRates(
      new Map([
        [DAY, 100],
        [DAY + H, 100],
      ]),
      new Map([
        [DAY, 50],
        [DAY + 2 * H, 50],
      ]),
    );
    expect([...rates]).toEqual([[DAY, 18]]);
  });

  it('hours of day of a window, all 24 once it spans a day', () => {
    expect([...hoursOfDay(DAY + 9 * H, DAY + 12 * H, OFF)]).toEqual([9, 10, 11]);
    expect([...hoursOfDay(DAY + 22 * H, DAY + 26 * H, OFF)]).toEqual([22, 23, 0, 1]);
    expect(hoursOfDay(DAY, DAY + 3 * D, OFF).size).toBe(24);
  });
});

describe('campaign hours against the same hours of the previous 7 days', () => {
  // Campaign 09:00–12:00 on DAY; baseline: 09:00–12:00 on each of the 7 days before.
  const window = { from: DAY + 9 * H, to: DAY + 12 * H };
  const build = (baseline: number, current: number, opts: { otherHours?: number; baseDays?: number } = {}) => {
    const rates = new Map<number, number>();
    for (let d = 1; d <= (opts.baseDays ?? 7); d++) {
      for (let h = 0; h < 24; h++) rates.set(DAY - d * D + h * H, h >= 9 && h < 12 ? baseline : (opts.otherHours ?? baseline));
    }
    for (let h = 9; h < 12; h++) rates.set(DAY + h * H, current);
    return rates;
  };
  const compare = (rates: Map<number, number>, targetPct = 20, minHours = 1) =>
    compareWithBaseline({ rates, window, baselineDays: 7, targetPct, minHours, offsetMin: OFF });

  it.each<[string, number, number, number, string, number | null]>([
    ['reduced by 40 % ≥ 20 %', 18, 10.8, 20, 'reduced', 40],
    ['reduced by exactly the target', 10, 8, 20, 'reduced', 20],
    ['reduced by 5 % < 20 %', 18, 17.1, 20, 'not_reduced', 5],
    ['increased', 10, 12, 20, 'not_reduced', -20],
    ['a 30 % target', 10, 7.5, 30, 'not_reduced', 25],
  ])('%s', (_what, baseline, current, target, status, pct) => {
    const r = compare(build(baseline, current), target);
    expect(r.status).toBe(status);
    expect(r.reductionPct).toBeCloseTo(pct as number, 9);
    expect(r).toMatchObject({ baselineHours: 21, currentHours: 3 });
  });

  it('only the same hours of day count for the baseline (night hours are left out)', () => {
    const r = compare(build(10, 7, { otherHours: 1000 }));
    expect(r).toMatchObject({ baselineKgH: 10, currentKgH: 7, status: 'reduced' });
  });

  it('days before the baseline period do not count', () => {
    const rates = build(10, 7);
    rates.set(DAY - 8 * D + 10 * H, 1_000_000);
    expect(compare(rates).baselineKgH).toBe(10);
  });

  it.each<[string, Map<number, number>, number]>([
    ['no baseline hours', new Map([[DAY + 9 * H, 5]]), 1],
    ['no campaign hours', build(10, 7).set(DAY + 9 * H, 0) && new Map([[DAY - D + 9 * H, 10]]), 1],
    ['fewer hours than minHours', build(10, 7), 4],
  ])('%s → nodata', (_what, rates, minHours) => {
    expect(compare(rates, 20, minHours)).toMatchObject({ status: 'nodata', reductionPct: null });
  });

  it('a zero baseline is met only by zero emissions', () => {
    expect(compare(build(0, 0)).status).toBe('reduced');
    expect(compare(build(0, 1)).status).toBe('not_reduced');
  });
});
