import { describe, expect, it } from 'vitest';
import { atLeast, changeOf, decimalsOf, signed, targetsMet, unitOf } from './assessment-format';

describe('assessment figures as shown', () => {
  it.each([
    ['goodDays', 'pct', 2, true],
    ['heavyDays', 'pct', 2, false],
    ['pm25', 'ug', 0, false],
    ['co', 'mg', 1, false],
    ['o3', 'ug', 0, false],
  ] as const)('%s: %s, %d decimals, at least %s', (k, unit, decimals, least) => {
    expect([unitOf(k), decimalsOf(k), atLeast(k)]).toEqual([unit, decimals, least]);
  });

  it('year on year: points for ratios, % for statistics; none without a previous period', () => {
    const change = { goodPct: 33.33, heavyPct: -1.5, heavyDays: 0, stats: { pm25: 3.3, pm10: null, so2: 0, no2: 1, co: 25, o3: 20 } };
    expect(changeOf({ change }, 'goodDays')).toEqual({ value: 33.33, unit: 'pp' });
    expect(changeOf({ change }, 'pm25')).toEqual({ value: 3.3, unit: 'pct' });
    expect(changeOf({ change }, 'pm10')).toBeNull();
    expect(changeOf({ change: null }, 'pm25')).toBeNull();
    expect([signed(3.3, 1), signed(-1.5, 2), signed(0, 1)]).toEqual(['+3.3', '−1.50', '0.0']);
  });

  it('targets met of all', () => {
    const checks = [
      { key: 'goodDays' as const, target: 85, actual: 90, pass: true },
      { key: 'pm25' as const, target: 60, actual: 70, pass: false },
      { key: 'co' as const, target: 4, actual: 1, pass: null },
    ];
    expect(targetsMet({ checks })).toEqual({ met: 1, all: 3 });
  });
});
