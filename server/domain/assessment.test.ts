import { describe, expect, it } from 'vitest';
import { ASSESSED, assessDays, checkTargets, minValidDays, percentileHj663, yearOnYear, type AssessmentDay } from './assessment';
import { requiredPath } from './assessment-path';
import { autumnWinterOf, parsePeriod, yearBefore } from './assessment-period';

/** A day with an AQI (null: not every index valid) and the daily values given (the rest null). */
const day = (date: string, aqi: number | null, values: Partial<AssessmentDay['values']> = {}): AssessmentDay => ({
  date,
  aqi,
  values: { ...Object.fromEntries(ASSESSED.map((p) => [p, null])), ...values } as AssessmentDay['values'],
});
const date = (i: number) => `2026-10-${String(i + 1).padStart(2, '0')}`;

describe('percentile (HJ 663: k = 1 + (n − 1) p / 100, linear between X(s) and X(s + 1))', () => {
  it.each([
    // 1 … 10, p95: k = 1 + 9 × 0.95 = 9.55 → 9 + (10 − 9) × 0.55
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 9.55],
    // p90: k = 9.1 → 9.1
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90, 9.1],
    // 100 120 160 180 200, p90: k = 1 + 4 × 0.9 = 4.6 → 180 + 20 × 0.6 = 192
    [[160, 100, 120, 200, 180], 90, 192],
    // CO 0.8 1.2 1.5 2.1, p95: k = 1 + 3 × 0.95 = 3.85 → 1.5 + 0.6 × 0.85 = 2.01
    [[2.1, 0.8, 1.5, 1.2], 95, 2.01],
    [[42], 90, 42],
    [[3, 5], 100, 5],
    [[3, 5], 0, 3],
  ])('%j p%d → %d', (xs, p, want) => {
    expect(percentileHj663(xs, p)).toBeCloseTo(want, 9);
  });
  it('is null without values', () => expect(percentileHj663([], 95)).toBeNull());
});

describe('valid days a statistic needs (HJ 663 table 2; the year’s share elsewhere)', () => {
  it.each([
    [365, { kind: 'year' as const }, 324],
    [28, { kind: 'month' as const, month: 2 }, 25],
    [30, { kind: 'month' as const, month: 11 }, 27],
    [30, undefined, 27], // ⌈30 × 324 / 365⌉ = ⌈26.63⌉
    [182, undefined, 162], // ⌈161.56⌉
    [1, undefined, 1],
  ])('%d days %j → %d', (days, cal, want) => expect(minValidDays(days, cal)).toBe(want));
});

describe('period figures', () => {
  // AQI 40 80 100 | 101 150 | 201 250 300 | incomplete | 60: 9 valid days, good 4, heavy 3.
  const aqis = [40, 80, 100, 101, 150, 201, 250, 300, null, 60];
  const pm25 = [20, 50, 75, 80, 100, 160, 200, 250, null, 30];
  const co = [0.8, 1.2, 1.5, 2.1, null, null, null, null, null, null];
  const o3 = [160, 100, 120, 200, 180, null, null, null, null, null];
  const days = aqis.map((a, i) => day(date(i), a, { pm25: pm25[i] ?? null, co: co[i] ?? null, o3: o3[i] ?? null }));

  it('ratios of the valid days, means and percentiles at HJ 663 precision, validity by count', () => {
    const f = assessDays(days, 5);
    expect(f).toMatchObject({ days: 10, validDays: 9, goodDays: 4, heavyDays: 3, minValidDays: 5 });
    expect(f.goodPct).toBe(44.44); // 4 / 9
    expect(f.heavyPct).toBe(33.33); // 3 / 9
    // (20 + 50 + 75 + 80 + 100 + 160 + 200 + 250 + 30) / 9 = 965 / 9 = 107.2 → 107
    expect(f.stats.pm25).toEqual({ value: 107, validDays: 9, valid: true });
    expect(f.stats.co).toEqual({ value: 2.0, validDays: 4, valid: false }); // 2.01 → 2.0; 4 < 5 days
    expect(f.stats.o3).toEqual({ value: 192, validDays: 5, valid: true });
    expect(f.stats.so2).toEqual({ value: null, validDays: 0, valid: false });
  });

  it('against targets: the ratios on the day counts', () => {
    const f = assessDays(days, 5);
    const checks = checkTargets(f, { goodDaysPct: 85, heavyDaysPct: 0.65, pm25: 60, co: 4, o3: 200 });
    expect(checks).toEqual([
      { key: 'goodDays', target: 85, actual: 44.44, pass: false },
      { key: 'heavyDays', target: 0.65, actual: 33.33, pass: false },
      { key: 'pm25', target: 60, actual: 107, pass: false },
      { key: 'co', target: 4, actual: 2.0, pass: null }, // not valid: too few days
      { key: 'o3', target: 200, actual: 192, pass: true },
    ]);
  });

  it.each([
    // 17 good of 20 valid = 85 % exactly: met
    [20, 17, 0, 'goodDays', true],
    [20, 16, 0, 'goodDays', false],
    // 1 heavy of 154 = 0.649 %: met; of 153 = 0.654 %: not
    [154, 154, 1, 'heavyDays', true],
    [153, 153, 1, 'heavyDays', false],
  ] as const)('%d valid days, %d good, %d heavy: %s %s', (valid, good, heavy, key, pass) => {
    const ds = Array.from({ length: valid }, (_, i) => day(`d${i}`, i < heavy ? 250 : i < heavy + good ? 50 : 150));
    const check = checkTargets(assessDays(ds, 1), { goodDaysPct: 85, heavyDaysPct: 0.65 }).find((c) => c.key === key);
    expect(check?.pass).toBe(pass);
  });

  it('no valid day: ratios unknown, targets undecided', () => {
    const f = assessDays([day(date(0), null)], 1);
    expect(f).toMatchObject({ validDays: 0, goodPct: null, heavyPct: null });
    expect(checkTargets(f, { goodDaysPct: 85, heavyDaysPct: 0.65 }).map((c) => c.pass)).toEqual([null, null]);
  });

  it('year on year: points, days and % change', () => {
    const cur = assessDays(days, 5);
    const prev = assessDays([day('a', 50, { pm25: 100, o3: 160 }), day('b', 210, { pm25: 100, o3: 160 })], 1);
    const y = yearOnYear(cur, prev);
    expect(y.goodPct).toBe(-5.56); // 44.44 − 50
    expect(y.heavyPct).toBe(-16.67); // 33.33 − 50
    expect(y.heavyDays).toBe(2); // 3 − 1
    expect(y.stats.pm25).toBe(7); // (107 − 100) / 100
    expect(y.stats.o3).toBe(20); // (192 − 160) / 160
    expect(y.stats.so2).toBeNull();
  });
});

describe('periods', () => {
  it.each([
    ['2026', { kind: 'year', from: '2026-01-01', to: '2026-12-31' }],
    ['2028-02', { kind: 'month', from: '2028-02-01', to: '2028-02-29' }],
    ['2026-11', { kind: 'month', from: '2026-11-01', to: '2026-11-30' }],
    ['aw-2026', { kind: 'autumn-winter', from: '2026-10-01', to: '2027-03-31' }],
    ['2026-10-01..2026-12-04', { kind: 'range', from: '2026-10-01', to: '2026-12-04' }],
  ])('%s', (text, want) => expect(parsePeriod(text)).toEqual({ id: text, ...want }));
  it.each(['2026-13', 'aw2026', '2026-10-05..2026-10-01', '2025-01-01..2026-12-31', '2026-02-30..2026-03-01', 'x'])(
    '%s is refused',
    (text) => expect(parsePeriod(text)).toBeNull(),
  );
  it('a year earlier; the autumn–winter period of a date', () => {
    expect(yearBefore('2028-02-29')).toBe('2027-02-28');
    expect(yearBefore('2026-10-01')).toBe('2025-10-01');
    expect(autumnWinterOf('2027-01-15')?.id).toBe('aw-2026');
    expect(autumnWinterOf('2026-10-01')?.id).toBe('aw-2026');
    expect(autumnWinterOf('2026-06-01')).toBeNull();
  });
});

describe('autumn–winter required path', () => {
  const dates = [0, 1, 2, 3].map(date);
  // Last period: PM2.5 40 60 80 100 (cumulative means 40 50 60 70); AQI 60 210 90 250 (heavy: cumulative 0 1 1 2).
  const previous = new Map(
    [40, 60, 80, 100].map((v, i) => {
      const d = yearBefore(date(i));
      return [d, day(d, [60, 210, 90, 250][i] as number, { pm25: v })];
    }),
  );
  // This period so far (through 10-02): PM2.5 36 62, AQI 50 220.
  const current = new Map([day(date(0), 50, { pm25: 36 }), day(date(1), 220, { pm25: 62 })].map((d) => [d.date, d]));

  it('follows last period’s course cut by the target', () => {
    const p = requiredPath({
      dates,
      through: date(1),
      current,
      previous,
      target: { pm25CutPct: 5, heavyDaysCut: 1 },
      fallback: { pm25: 60, heavyDaysPct: 0.65 },
    });
    expect(p).toMatchObject({ pm25Previous: 70, heavyDaysPrevious: 2, pm25Target: 66.5, heavyDaysTarget: 1 });
    // Required: 40 50 60 70 × 0.95; heavy allowed: 0 1 1 2 × 1 / 2. Actual: 36, (36 + 62) / 2 = 49; heavy 0, 1.
    expect(p.points).toEqual([
      { date: date(0), pm25Required: 38, pm25Actual: 36, heavyAllowed: 0, heavyActual: 0 },
      { date: date(1), pm25Required: 47.5, pm25Actual: 49, heavyAllowed: 0.5, heavyActual: 1 },
      { date: date(2), pm25Required: 57, pm25Actual: null, heavyAllowed: 0.5, heavyActual: null },
      { date: date(3), pm25Required: 66.5, pm25Actual: null, heavyAllowed: 1, heavyActual: null },
    ]);
    expect(p.behind).toEqual({ pm25: true, heavyDays: true });
    expect(p.behindSchedule).toBe(true);
  });

  it('on the path on the first day', () => {
    const p = requiredPath({
      dates,
      through: date(0),
      current,
      previous,
      target: { pm25CutPct: 5, heavyDaysCut: 1 },
      fallback: { heavyDaysPct: 0.65 },
    });
    expect(p.behind).toEqual({ pm25: false, heavyDays: false });
    expect(p.behindSchedule).toBe(false);
  });

  it('without last period’s data: the annual target, the heavy-day ratio’s share', () => {
    const p = requiredPath({
      dates,
      through: date(0),
      current,
      previous: new Map(),
      target: { pm25CutPct: 5, heavyDaysCut: 1 },
      fallback: { pm25: 60, heavyDaysPct: 30 },
    });
    // Heavy days: ⌊4 × 30 %⌋ = 1, spread 0.25 a day.
    expect(p).toMatchObject({ pm25Previous: null, heavyDaysPrevious: null, pm25Target: 60, heavyDaysTarget: 1 });
    expect(p.points.map((x) => [x.pm25Required, x.heavyAllowed])).toEqual([
      [60, 0.2], // 0.25 → 0.2 and 0.75 → 0.8 (GB/T 8170, half to even)
      [60, 0.5],
      [60, 0.8],
      [60, 1],
    ]);
    expect(p.behind).toEqual({ pm25: false, heavyDays: false });
  });

  it('nothing assessed yet', () => {
    const p = requiredPath({
      dates,
      through: null,
      current,
      previous,
      target: { pm25CutPct: 5, heavyDaysCut: 1 },
      fallback: { heavyDaysPct: 0.65 },
    });
    expect(p.behind).toEqual({ pm25: null, heavyDays: null });
    expect(p.points.every((x) => x.pm25Actual === null && x.heavyActual === null)).toBe(true);
  });
});
