import { describe, expect, it } from 'vitest';
import type { DataFlag } from './reading';
import { aggregateFlag, EMPTY_TALLY, minuteFromTally, tallyAddInto, type ValueTally } from './value-tally';

const tallyAdd = (t: ValueTally, flag: DataFlag, v: number, zs: number | undefined): ValueTally =>
  tallyAddInto({ ...EMPTY_TALLY }, t, flag, v, zs);

/** A minute of real-time values: [flag, value, converted value or undefined]. */
const minute = (inputs: [DataFlag, number, number | undefined][]) =>
  minuteFromTally(inputs.reduce((t, [flag, v, zs]) => tallyAdd(t, flag, v, zs), EMPTY_TALLY));

describe('value tally (DOMAIN §4: an aggregate is N only if more than 75 % of its inputs were)', () => {
  it.each([
    [
      'two N values: their mean',
      [
        ['N', 8, 10],
        ['N', 10, 12],
      ],
      { mean: 9, meanZs: 11 },
    ],
    [
      '4 N of 5 (80 %): valid, mean of the N values',
      [
        ['N', 8, 8],
        ['N', 8, 8],
        ['N', 8, 8],
        ['N', 8, 8],
        ['M', 99, 99],
      ],
      { mean: 8, meanZs: 8 },
    ],
    [
      '3 N of 4 (75 %, not more): not valid',
      [
        ['N', 8, 8],
        ['N', 8, 8],
        ['N', 8, 8],
        ['D', 8, 8],
      ],
      { mean: null, meanZs: null },
    ],
    [
      'all N, half without valid O2: valid measured, not valid converted',
      [
        ['N', 8, 10],
        ['N', 8, undefined],
      ],
      { mean: 8, meanZs: null },
    ],
    [
      'all N, 4 of 5 converted: both valid, converted mean of the converted ones',
      [
        ['N', 8, 10],
        ['N', 8, 10],
        ['N', 8, 10],
        ['N', 8, 14],
        ['N', 8, undefined],
      ],
      { mean: 8, meanZs: 11 },
    ],
    ['nothing: not valid', [], { mean: null, meanZs: null }],
  ] as const)('%s', (_n, inputs, expected) => {
    expect(minute(inputs.map((i) => [...i]) as [DataFlag, number, number | undefined][])).toEqual(expected);
  });

  it('ignores the value and converted value of an input not flagged N', () => {
    expect(tallyAdd(EMPTY_TALLY, 'T', 500, 600)).toEqual({ n: 1, nValid: 0, sum: 0, nZs: 0, sumZs: 0 });
  });

  it.each([
    [{ N: 4, M: 1 }, 'N'],
    [{ N: 3, D: 1 }, 'D'],
    [{ N: 2, M: 1, C: 2 }, 'C'],
    [{}, 'N'],
  ] as const)('aggregateFlag(%o) = %s', (counts, flag) => {
    expect(aggregateFlag(counts)).toBe(flag);
  });
});
