import { describe, expect, it } from 'vitest';
import type { FactorValue } from './reading';
import { convertedValue, convertToReferenceO2 } from './o2-conversion';

const C = { o2Ref: 6, o2Cap: 19 };
const n = (avg: number, extra: Partial<FactorValue> = {}): FactorValue => ({ avg, flag: 'N', ...extra });

describe('conversion to reference O2 (DOMAIN §5)', () => {
  it.each([
    // 40 × (21 − 6) / (21 − 10) = 54.545…
    ['computed from valid O2', { a21002: n(40), a19001: n(10) }, C, { value: (40 * 15) / 11, fromLogger: false, o2: 10 }],
    ['the logger’s zs, with or without O2', { a21002: n(40, { zs: 45 }) }, C, { value: 45, fromLogger: true, o2: null }],
    ['O2 above the cap: capped at 19 %', { a21002: n(10), a19001: n(20.5) }, C, { value: 75, fromLogger: false, o2: 20.5 }],
    [
      'the cap from the rule pack: 20 %',
      { a21002: n(10), a19001: n(20.5) },
      { o2Ref: 6, o2Cap: 20 },
      { value: 150, fromLogger: false, o2: 20.5 },
    ],
    ['no O2: cannot be converted', { a21002: n(40) }, C, undefined],
    ['O2 flagged D: cannot be converted', { a21002: n(40), a19001: { avg: 10, flag: 'D' } }, C, undefined],
    ['O2 flagged C (calibration): cannot be converted', { a21002: n(40), a19001: { avg: 10, flag: 'C' } }, C, undefined],
    ['no reference O2 for the source: only a zs converts', { a21002: n(40), a19001: n(10) }, { o2Ref: undefined, o2Cap: 19 }, undefined],
  ] as const)('%s', (_n, factors, settings, expected) => {
    const got = convertedValue('2051', factors, 'a21002', factors.a21002.avg ?? 0, settings);
    if (expected === undefined) expect(got).toBeUndefined();
    else expect(got).toEqual({ ...expected, value: expect.closeTo(expected.value, 9) });
  });

  it('O2 itself is never converted', () => {
    expect(convertedValue('2011', { a19001: { rtd: 10, flag: 'N' } }, 'a19001', 10, C)).toBeUndefined();
  });

  it('the formula', () => {
    expect(convertToReferenceO2(40, 10.5, 6)).toBeCloseTo(57.142857, 6);
  });
});
