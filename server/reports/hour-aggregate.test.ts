import { describe, expect, it } from 'vitest';
import type { DataFlag } from '../domain/reading';
import type { StoredRecord } from '../storage/telemetry-store';
import { aggregateFlag, aggregateHour, statsFromRealtime } from './hour-aggregate';

const H = Date.parse('2026-07-01T10:00:00+08:00');
const MIN = 60_000;
const NO_O2 = { o2Ref: undefined, o2Cap: 19 };

/** `count` minute records of NOx, the first `valid` flagged N and the rest `other`. */
function minutes(count: number, valid: number, other: DataFlag = 'M', nox = 40): StoredRecord[] {
  return Array.from({ length: count }, (_, i) => ({ ts: H + i * MIN, factors: { a21002: { avg: nox, flag: i < valid ? 'N' : other } } }));
}

describe('aggregate flag (N only if > 75 % of inputs were N)', () => {
  it.each([
    { counts: { N: 46, M: 14 }, flag: 'N' }, // 76.7 %
    { counts: { N: 45, M: 15 }, flag: 'M' }, // 75 %: not more
    { counts: { N: 10, D: 3, M: 5 }, flag: 'M' }, // most frequent other flag
    { counts: { N: 4 }, flag: 'N' },
  ] as const)('$counts → $flag', ({ counts, flag }) => {
    expect(aggregateFlag(counts)).toBe(flag);
  });
});

describe('hour from minute data (CN 2051)', () => {
  it.each([
    { count: 60, valid: 45, nValid: 45, flag: 'M' },
    { count: 60, valid: 44, nValid: 44, flag: 'M' },
    { count: 50, valid: 50, nValid: 50, flag: 'N' },
  ])('$valid of $count valid minutes', ({ count, valid, nValid, flag }) => {
    const h = aggregateHour('MN', H, minutes(count, valid), [], NO_O2);
    expect(h.basis).toBe('2051');
    expect(h.factors.a21002).toMatchObject({ n: count, nValid, sum: nValid * 40, flag });
  });

  it('converts to reference O2 from the record’s O2, or takes the logger’s zs', () => {
    const recs: StoredRecord[] = [
      { ts: H, factors: { a21002: { avg: 30, flag: 'N' }, a19001: { avg: 11, flag: 'N' } } }, // 30 × 15 / 10 = 45
      { ts: H + MIN, factors: { a21002: { avg: 30, zs: 50, flag: 'N' }, a19001: { avg: 11, flag: 'N' } } },
      { ts: H + 2 * MIN, factors: { a21002: { avg: 999, flag: 'D' }, a19001: { avg: 11, flag: 'N' } } },
    ];
    const h = aggregateHour('MN', H, recs, [], { o2Ref: 6, o2Cap: 19 });
    expect(h.factors.a21002).toEqual({ n: 3, nValid: 2, sum: 60, nZs: 2, sumZs: 95, flag: 'D' }); // 2 of 3 N: not > 75 %
    expect(h.factors.a19001?.nZs).toBe(0); // O2 itself is not converted
  });

  it('prefers minute data and still counts real-time records for the transmission rate', () => {
    const rt: StoredRecord[] = [
      { ts: H, factors: { a21002: { rtd: 1, flag: 'N' }, a19001: { rtd: 8, flag: 'N' } } },
      { ts: H + 30_000, factors: { a21002: { rtd: 1, flag: 'N' }, a19001: { rtd: 8, flag: 'D' } } },
    ];
    const h = aggregateHour('MN', H, minutes(60, 60), rt, NO_O2);
    expect(h).toMatchObject({ basis: '2051', records: 2, validRecords: 1 });
    expect(h.factors.a21002?.sum).toBe(2400);
  });
});

describe('hour from real-time data (CN 2011) when no minute data came', () => {
  it('builds minutes first: the mean of their N values, N when > 75 % of their values were', () => {
    const rt: StoredRecord[] = [];
    // 60 minutes × 2 values (30 s); minutes 0–44 both N (10 and 20), 45–59 one N and one M.
    for (let m = 0; m < 60; m++) {
      rt.push({ ts: H + m * MIN, factors: { a21002: { rtd: 10, flag: 'N' } } });
      rt.push({ ts: H + m * MIN + 30_000, factors: { a21002: { rtd: 20, flag: m < 45 ? 'N' : 'M' } } });
    }
    const s = statsFromRealtime(rt, NO_O2).a21002;
    expect(s).toMatchObject({ n: 60, nValid: 45, sum: 45 * 15, flag: 'M' });
    const h = aggregateHour('MN', H, [], rt, NO_O2);
    expect(h).toMatchObject({ basis: '2011', records: 120, validRecords: 105 });
  });

  it('an hour without records has no basis', () => {
    expect(aggregateHour('MN', H, [], [], NO_O2)).toEqual({ mn: 'MN', hour: H, basis: null, records: 0, validRecords: 0, factors: {} });
  });
});
