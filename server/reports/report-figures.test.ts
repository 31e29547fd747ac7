import { describe, expect, it } from 'vitest';
import type { FactorHourStats } from '../storage/hourly-rollup';
import { dayFigure, exceedingHours, expectedIntervals, hourFigure, transmissionRates, type MeanFigure } from './report-figures';

const stats = (n: number, nValid: number, flag: FactorHourStats['flag'] = 'N', value = 10, zs?: number): FactorHourStats => ({
  n,
  nValid,
  sum: nValid * value,
  nZs: zs === undefined ? 0 : nValid,
  sumZs: zs === undefined ? 0 : nValid * zs,
  flag,
});
const hour = (valid: boolean, value: number | null, flag: MeanFigure['flag'] = 'N'): MeanFigure => ({
  value,
  measured: value,
  converted: false,
  validInputs: valid ? 60 : 10,
  inputs: 60,
  valid,
  flag,
});

describe('hour figure (DOMAIN §4: ≥ 45 valid minute means)', () => {
  it.each([
    { validMinutes: 60, valid: true },
    { validMinutes: 45, valid: true },
    { validMinutes: 44, valid: false },
    { validMinutes: 0, valid: false },
  ])('$validMinutes valid minutes → valid $valid', ({ validMinutes, valid }) => {
    expect(hourFigure(stats(60, validMinutes, validMinutes > 45 ? 'N' : 'M'), 45, false).valid).toBe(valid);
  });

  it('honours the rule pack count, not a constant', () => {
    expect(hourFigure(stats(60, 40), 40, false).valid).toBe(true);
  });

  it.each([
    { convert: false, zs: 14, value: 10, converted: false },
    { convert: true, zs: 14, value: 14, converted: true },
    { convert: true, zs: undefined, value: null, converted: true }, // nothing to convert with: no value, never the measured one
  ])('convert $convert, zs $zs → $value (converted $converted)', ({ convert, zs, value, converted }) => {
    expect(hourFigure(stats(60, 50, 'N', 10, zs), 45, convert)).toMatchObject({ value, converted, measured: 10 });
  });

  // 60 valid minutes, of which nZs had valid O2 (or a logger zs): the converted hour counts those only.
  it.each([
    { nZs: 60, valid: true, value: 45 },
    { nZs: 45, valid: true, value: 45 },
    { nZs: 44, valid: false, value: 45 },
    { nZs: 0, valid: false, value: null },
  ])('converted hour with $nZs converted minutes of 60 valid → valid $valid', ({ nZs, valid, value }) => {
    const s: FactorHourStats = { n: 60, nValid: 60, sum: 60 * 30, nZs, sumZs: nZs * 45, flag: 'N' };
    expect(hourFigure(s, 45, true)).toMatchObject({ valid, value, validInputs: nZs, measured: 30, converted: true });
    expect(hourFigure(s, 45, false)).toMatchObject({ valid: true, value: 30, validInputs: 60, converted: false });
  });

  it('an hour without data has no value and no flag', () => {
    expect(hourFigure(undefined, 45, false)).toEqual({
      value: null,
      measured: null,
      converted: false,
      validInputs: 0,
      inputs: 0,
      valid: false,
      flag: null,
    });
  });
});

describe('day figure (DOMAIN §4: ≥ 20 valid hour means; N only if > 75 % of inputs N)', () => {
  const day = (validHours: number, invalidHours: number, invalidFlag: MeanFigure['flag'] = 'N') => [
    ...Array.from({ length: validHours }, (_, i) => hour(true, i % 2 === 0 ? 10 : 20)),
    ...Array.from({ length: invalidHours }, () => hour(false, 99, invalidFlag)),
  ];
  it.each([
    { validHours: 24, invalid: 0, flagOfInvalid: 'N' as const, valid: true, flag: 'N' },
    { validHours: 20, invalid: 4, flagOfInvalid: 'M' as const, valid: true, flag: 'N' }, // 20/24 = 83 % N
    { validHours: 19, invalid: 5, flagOfInvalid: 'N' as const, valid: false, flag: 'N' },
    { validHours: 18, invalid: 6, flagOfInvalid: 'M' as const, valid: false, flag: 'N' }, // 18/24 = 75 %: not more than 75 %
  ])('$validHours valid hours + $invalid others ($flagOfInvalid)', ({ validHours, invalid, flagOfInvalid, valid }) => {
    const f = dayFigure(day(validHours, invalid, flagOfInvalid), 20);
    expect(f.valid).toBe(valid);
    expect(f.validInputs).toBe(validHours);
    expect(f.inputs).toBe(validHours + invalid);
  });

  it.each([
    { n: 19, m: 5, flag: 'N' }, // 79 %
    { n: 18, m: 6, flag: 'M' }, // exactly 75 %: not N
    { n: 4, m: 0, flag: 'N' },
  ])('$n N hours and $m M hours → flag $flag', ({ n, m, flag }) => {
    const hours = [...Array.from({ length: n }, () => hour(true, 1)), ...Array.from({ length: m }, () => hour(false, 1, 'M'))];
    expect(dayFigure(hours, 20).flag).toBe(flag);
  });

  it('means only the valid hours', () => {
    expect(dayFigure([hour(true, 10), hour(true, 20), hour(false, 1000)], 2).value).toBe(15);
  });

  it('counts only valid hours over the limit', () => {
    expect(exceedingHours([hour(true, 60), hour(false, 60), hour(true, 40)], { max: 50 })).toBe(1);
    expect(exceedingHours([hour(true, 0.9), hour(true, 1.1)], { min: 1.0, max: 1.2 })).toBe(1);
    expect(exceedingHours([hour(true, 60)], undefined)).toBe(0);
  });
});

describe('transmission rates (DOMAIN §4)', () => {
  it('2,880 expected, 2,700 received, 2,650 valid', () => {
    const r = transmissionRates(2880, 2700, 2650);
    expect(r.transmissionRate).toBeCloseTo(0.9375, 6);
    expect(r.validityRate).toBeCloseTo(2650 / 2700, 6);
    expect(r.effectiveRate).toBeCloseTo(2650 / 2880, 6); // 92.0 %
    expect(r.pass).toBe(true);
  });

  it.each([
    { expected: 2880, received: 2880, valid: 2592, effective: 0.9, pass: true }, // exactly 90 %
    { expected: 2880, received: 2600, valid: 2590, effective: 2590 / 2880, pass: false },
    { expected: 2880, received: 3000, valid: 3000, effective: 1, pass: true }, // more than expected: capped
    { expected: 2880, received: 0, valid: 0, effective: 0, pass: false },
  ])('$received of $expected, $valid valid → $effective', ({ expected, received, valid, effective, pass }) => {
    const r = transmissionRates(expected, received, valid);
    expect(r.effectiveRate).toBeCloseTo(effective, 6);
    expect(r.pass).toBe(pass);
  });
});

describe('expected intervals (registry intervalS)', () => {
  const D = Date.parse('2026-07-01T00:00:00+08:00');
  const HOUR = 3_600_000;
  it.each([
    { name: 'a day at 30 s', to: D + 24 * HOUR, intervalS: 30, expected: 2880 },
    { name: 'a day at 60 s', to: D + 24 * HOUR, intervalS: 60, expected: 1440 },
    { name: 'a day at 7 s (515 per hour)', to: D + 24 * HOUR, intervalS: 7, expected: 24 * 515 },
    { name: '10:15 today at 30 s', to: D + 10.25 * HOUR, intervalS: 30, expected: 1230 },
    { name: '10:00:45 today at 30 s (one interval over)', to: D + 10 * HOUR + 45_000, intervalS: 30, expected: 1201 },
    { name: 'nothing yet', to: D, intervalS: 30, expected: 0 },
  ])('$name → $expected', ({ to, intervalS, expected }) => {
    expect(expectedIntervals(D, to, intervalS)).toBe(expected);
  });
});
