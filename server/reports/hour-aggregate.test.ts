import { describe, expect, it } from 'vitest';
import type { DataFlag } from '../domain/reading';
import type { StoredRecord } from '../storage/telemetry-store';
import { aggregateFlag, aggregateHour, coveredIntervals, statsFromRealtime } from './hour-aggregate';

const H = Date.parse('2026-07-01T10:00:00+08:00');
const MIN = 60_000;
const NO_O2 = { o2Ref: undefined, o2Cap: 19, intervalS: 30 };

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
    const h = aggregateHour('MN', H, recs, [], { o2Ref: 6, o2Cap: 19, intervalS: 30 });
    expect(h.factors.a21002).toEqual({ n: 3, nValid: 2, sum: 60, nZs: 2, sumZs: 95, flag: 'D' }); // 2 of 3 N: not > 75 %
    expect(h.factors.a19001?.nZs).toBe(0); // O2 itself is not converted
  });

  // The hour: NOx 40 with O2 flagged D (reading 0, or 20.5 capped at 19) became a valid 28.6 or 300.
  it.each([
    { name: 'O2 N at 11 %', o2: { avg: 11, flag: 'N' }, zs: undefined, nZs: 60, sumZs: 60 * 60 },
    { name: 'O2 flagged D at 0 %', o2: { avg: 0, flag: 'D' }, zs: undefined, nZs: 0, sumZs: 0 },
    { name: 'O2 flagged D at 20.5 %', o2: { avg: 20.5, flag: 'D' }, zs: undefined, nZs: 0, sumZs: 0 },
    { name: 'O2 flagged C', o2: { avg: 11, flag: 'C' }, zs: undefined, nZs: 0, sumZs: 0 },
    { name: 'O2 flagged M', o2: { avg: 11, flag: 'M' }, zs: undefined, nZs: 0, sumZs: 0 },
    { name: 'O2 N above the 19 % cap: capped (DOMAIN §5)', o2: { avg: 19.5, flag: 'N' }, zs: undefined, nZs: 60, sumZs: 60 * 300 },
    { name: 'O2 N at the cap', o2: { avg: 19, flag: 'N' }, zs: undefined, nZs: 60, sumZs: 60 * 300 },
    { name: 'logger zs is used as sent (DOMAIN §5)', o2: { avg: 0, flag: 'D' }, zs: 28.6, nZs: 60, sumZs: 60 * 28.6 },
    { name: 'logger zs, no O2 in the record', o2: undefined, zs: 50, nZs: 60, sumZs: 60 * 50 },
    { name: 'no O2, no zs', o2: undefined, zs: undefined, nZs: 0, sumZs: 0 },
  ] as const)('converts only with valid O2: $name', ({ o2, zs, nZs, sumZs }) => {
    const recs: StoredRecord[] = Array.from({ length: 60 }, (_, i) => ({
      ts: H + i * MIN,
      factors: { a21002: { avg: 40, flag: 'N', ...(zs !== undefined ? { zs } : {}) }, ...(o2 ? { a19001: { ...o2 } } : {}) },
    }));
    const s = aggregateHour('MN', H, recs, [], { o2Ref: 6, o2Cap: 19, intervalS: 30 }).factors.a21002;
    expect(s).toMatchObject({ n: 60, nValid: 60, sum: 2400, nZs });
    expect(s?.sumZs).toBeCloseTo(sumZs, 6);
  });

  it('real-time minutes: a converted minute mean needs > 75 % of its values converted', () => {
    const rt: StoredRecord[] = [];
    // Minutes of 4 values (15 s); minutes 0–29 all O2 N, minutes 30–59 one value of four with O2 flagged D.
    for (let m = 0; m < 60; m++) {
      for (let k = 0; k < 4; k++) {
        const o2Flag = m >= 30 && k === 0 ? 'D' : 'N';
        rt.push({ ts: H + m * MIN + k * 15_000, factors: { a21002: { rtd: 30, flag: 'N' }, a19001: { rtd: 11, flag: o2Flag } } });
      }
    }
    const s = statsFromRealtime(rt, { o2Ref: 6, o2Cap: 19, intervalS: 30 }).a21002;
    expect(s).toMatchObject({ n: 60, nValid: 60, nZs: 30, sumZs: 30 * 45 });
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
    expect(aggregateHour('MN', H, [], [], NO_O2)).toEqual({
      mn: 'MN',
      hour: H,
      basis: null,
      records: 0,
      validRecords: 0,
      intervalS: 30,
      intervals: 0,
      validIntervals: 0,
      factors: {},
    });
    // What the full computation would give of no record (the empty hour is built directly).
    expect(coveredIntervals(H, 30, [], [])).toEqual({ intervals: 0, validIntervals: 0 });
    expect(statsFromRealtime([], NO_O2)).toEqual({});
  });
});

/** Records every `everyS` seconds from `fromS` to `toS` (seconds into the hour), all N unless `bad` says. */
const every = (everyS: number, fromS = 0, toS = 3600, bad: (i: number) => boolean = () => false): StoredRecord[] =>
  Array.from({ length: Math.ceil((toS - fromS) / everyS) }, (_, i) => ({
    ts: H + (fromS + i * everyS) * 1000,
    factors: { a21002: { rtd: 1, avg: 1, flag: bad(i) ? 'D' : 'N' } },
  }));

describe('transmission: intervals covered, not records (DOMAIN §4)', () => {
  it.each([
    { name: 'real-time every 30 s, registered 30 s', intervalS: 30, minutes: [], rt: every(30), intervals: 120, valid: 120 },
    { name: 'complete minute data only, registered 30 s', intervalS: 30, minutes: every(60), rt: [], intervals: 120, valid: 120 },
    { name: 'complete minute data only, registered 60 s', intervalS: 60, minutes: every(60), rt: [], intervals: 60, valid: 60 },
    { name: 'every 10 s for 15 minutes, registered 30 s', intervalS: 30, minutes: [], rt: every(10, 0, 900), intervals: 30, valid: 30 },
    {
      name: 'every 30 s, every 4th flagged D',
      intervalS: 30,
      minutes: [],
      rt: every(30, 0, 3600, (i) => i % 4 === 0),
      intervals: 120,
      valid: 90,
    },
    {
      name: 'a D record and an N record in one interval: valid',
      intervalS: 30,
      minutes: [],
      rt: [...every(30, 0, 3600, () => true), ...every(30, 10)],
      intervals: 120,
      valid: 120,
    },
    { name: 'minute records, registered 120 s: 30 intervals', intervalS: 120, minutes: every(60), rt: [], intervals: 30, valid: 30 },
    { name: 'registered 7 s: 515 intervals, the last one short', intervalS: 7, minutes: [], rt: every(7), intervals: 515, valid: 515 },
    { name: 'nothing', intervalS: 30, minutes: [], rt: [], intervals: 0, valid: 0 },
  ])('$name → $intervals received, $valid valid', ({ intervalS, minutes: m, rt, intervals, valid }) => {
    expect(coveredIntervals(H, intervalS, m, rt)).toEqual({ intervals, validIntervals: valid });
    expect(aggregateHour('MN', H, m, rt, { ...NO_O2, intervalS })).toMatchObject({ intervalS, intervals, validIntervals: valid });
  });
});
