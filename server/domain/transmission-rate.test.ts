import type { TransmissionRow } from './report';
import { describe, expect, it } from 'vitest';
import { isFirstDay, meanEffectiveRate, rateOfDays, transmissionRate, type DayRates } from './transmission-rate';

/** A row as GET /api/reports/transmission answers it (rates are fractions). */
const row = (over: Partial<TransmissionRow> = {}): TransmissionRow => ({
  mn: 'A',
  name: 'A',
  enterpriseId: 'e',
  kind: 'cems',
  enterpriseName: 'E',
  date: '2026-07-01',
  expected: 1440,
  received: 1440,
  valid: 1440,
  transmissionRate: 1,
  validityRate: 1,
  effectiveRate: 1,
  pass: true,
  ...over,
});
describe("transmission rate (the overview's figure)", () => {
  it.each([
    { name: 'no rows', rows: [], expected: null },
    {
      name: 'the newest day only',
      rows: [
        row({ mn: 'A', date: '2026-07-01', effectiveRate: 0.5 }),
        row({ mn: 'A', date: '2026-07-02', effectiveRate: 0.9 }),
        row({ mn: 'B', date: '2026-07-02', effectiveRate: 0.8 }),
      ],
      expected: 0.85,
    },
  ])('mean effective rate: $name', ({ rows, expected }) => {
    const r = meanEffectiveRate(rows);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toBeCloseTo(expected);
  });

  it.each([
    {
      name: 'yesterday had data',
      rows: [row({ date: '2026-07-01', received: 10 }), row({ date: '2026-07-02', received: 5 })],
      firstDay: false,
    },
    {
      name: 'one source had data yesterday',
      rows: [
        row({ mn: 'A', date: '2026-07-01', received: 0 }),
        row({ mn: 'B', date: '2026-07-01', received: 3 }),
        row({ date: '2026-07-02', effectiveRate: 0.4 }),
      ],
      firstDay: false,
    },
    {
      name: 'nothing received yesterday (installed today)',
      rows: [row({ date: '2026-07-01', received: 0, effectiveRate: 0 }), row({ date: '2026-07-02', effectiveRate: 0.4 })],
      firstDay: true,
    },
    { name: 'no rows of yesterday', rows: [row({ date: '2026-07-02', effectiveRate: 0.4 })], firstDay: true },
    { name: 'no rows at all', rows: [], firstDay: false },
  ])('first day after install: $name → $firstDay', ({ rows, firstDay }) => {
    expect(isFirstDay(rows, '2026-07-02')).toBe(firstDay);
  });

  it('the figure: the newest day, its sources, not the first day', () => {
    const rows = [
      row({ date: '2026-07-01', received: 3 }),
      row({ mn: 'A', date: '2026-07-02', effectiveRate: 0.9 }),
      row({ mn: 'B', date: '2026-07-02', effectiveRate: 0.7 }),
    ];
    expect(transmissionRate(rows, '2026-07-02')).toEqual({
      date: '2026-07-02',
      rate: expect.closeTo(0.8) as number,
      sources: 2,
      firstDay: false,
    });
    expect(transmissionRate([], '2026-07-02')).toEqual({ date: null, rate: null, sources: 0, firstDay: false });
  });

  /** The rows summed per day, as the server sums them while it reads the days. */
  const daysOf = (rows: readonly TransmissionRow[]): DayRates[] => {
    const days = new Map<string, DayRates>();
    for (const r of rows) {
      const d = days.get(r.date) ?? { date: r.date, sources: 0, effectiveSum: 0, received: false };
      days.set(r.date, {
        ...d,
        sources: d.sources + 1,
        effectiveSum: d.effectiveSum + r.effectiveRate,
        received: d.received || r.received > 0,
      });
    }
    return [...days.values()];
  };

  it.each([
    { name: 'no rows', rows: [] },
    { name: 'today only, nothing before', rows: [row({ date: '2026-07-02', received: 0, effectiveRate: 0 })] },
    {
      name: 'yesterday and today',
      rows: [
        row({ mn: 'A', date: '2026-07-01', received: 3, effectiveRate: 0.4 }),
        row({ mn: 'A', date: '2026-07-02', effectiveRate: 0.9 }),
        row({ mn: 'B', date: '2026-07-02', effectiveRate: 0.6 }),
      ],
    },
    { name: 'yesterday only (today not begun)', rows: [row({ date: '2026-07-01', effectiveRate: 0.7 })] },
    { name: 'nothing received yesterday', rows: [row({ date: '2026-07-01', received: 0 }), row({ date: '2026-07-02', received: 2 })] },
  ])('summed per day, the same figure as from the rows: $name', ({ rows }) => {
    expect(rateOfDays(daysOf(rows), '2026-07-02')).toEqual(transmissionRate(rows, '2026-07-02'));
    // A day summed with no sources has no rows.
    expect(rateOfDays([...daysOf(rows), { date: '2026-07-03', sources: 0, effectiveSum: 0, received: false }], '2026-07-02')).toEqual(
      transmissionRate(rows, '2026-07-02'),
    );
  });
});
