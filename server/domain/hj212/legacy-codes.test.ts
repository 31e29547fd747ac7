import { describe, expect, it } from 'vitest';
import { normaliseFactorCode } from './legacy-codes';

describe('factor codes: HJ 212-2005 legacy codes map to 2017 codes', () => {
  it.each([
    ['01', 'a34013', true],
    ['02', 'a21026', true],
    ['03', 'a21002', true],
    ['04', 'a21005', true],
    ['10', 'a21001', true],
    ['B02', 'a00000', true],
    ['b02', 'a00000', true],
    ['S01', 'a19001', true],
    ['S03', 'a01012', true],
    ['06', 'a21018', true],
    ['08', 'a21024', true],
    ['S04', 'a01017', true],
    ['s04', 'a01017', true],
    ['S07', 'a01016', true],
    ['O3', 'a05024', false],
    ['o3', 'a05024', false],
    ['a21026', 'a21026', false],
    ['A21026', 'a21026', false],
    ['w01018', 'w01018', false],
    ['x99001', 'x99001', false],
    ['99', '99', false],
    ['avr01', 'avr01', false],
  ])('%s → %s (legacy: %s)', (sent, code, legacy) => {
    expect(normaliseFactorCode(sent)).toEqual({ code, legacy });
  });
});
