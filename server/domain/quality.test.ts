/** Periods of the data-quality page and the HJ 75 comparison judgement (config/rules/quality.yaml's bands). */
import { describe, expect, it } from 'vitest';
import { judgeComparison, parseQualityPeriod, qualityRulesSchema, type CriterionBand } from './quality';

describe('parseQualityPeriod (China time)', () => {
  it.each([
    ['2026-11', 'month', '2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z'],
    ['2026-12', 'month', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
    ['2026-Q4', 'quarter', '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
    ['2026-Q1', 'quarter', '2025-12-31T16:00:00.000Z', '2026-03-31T16:00:00.000Z'],
  ])('%s → %s [%s, %s)', (text, kind, from, to) => {
    const p = parseQualityPeriod(text, 480);
    expect(p).toEqual({ text, kind, from: Date.parse(from), to: Date.parse(to) });
  });

  it.each(['2026-13', '2026-Q5', '2026-1', '26-11', '2026-11-01', ''])('%j is no period', (text) => {
    expect(parseQualityPeriod(text, 480)).toBeNull();
  });
});

// HJ 75-2017 SO2 in mg/m³ (1 µmol/mol = 2.86 mg/m³): ≥ 715 relative 15 %; 143–715 absolute 57;
// 57–143 relative 30 %; < 57 absolute 17.
const SO2: CriterionBand[] = [
  { from: 715, relativePct: 15 },
  { from: 143, absolute: 57 },
  { from: 57, relativePct: 30 },
  { from: 0, absolute: 17 },
];

describe('judgeComparison: the band by the reference mean, relative or absolute error', () => {
  it.each([
    [
      'high range, online 10 % above: passes on relative error',
      800,
      880,
      { errorKind: 'relative', error: 10, allowed: 15, bandFrom: 715, pass: true },
    ],
    ['high range, online 20 % above: fails', 800, 960, { errorKind: 'relative', error: 20, allowed: 15, bandFrom: 715, pass: false }],
    [
      'mid range, 50 mg/m³ off: passes on absolute error',
      300,
      250,
      { errorKind: 'absolute', error: -50, allowed: 57, bandFrom: 143, pass: true },
    ],
    ['mid range, 60 mg/m³ off: fails', 300, 360, { errorKind: 'absolute', error: 60, allowed: 57, bandFrom: 143, pass: false }],
    ['low-mid range, 25 % below: passes', 100, 75, { errorKind: 'relative', error: -25, allowed: 30, bandFrom: 57, pass: true }],
    [
      'ultra-low, 20 mg/m³ against 10: absolute 10 off, passes',
      10,
      20,
      { errorKind: 'absolute', error: 10, allowed: 17, bandFrom: 0, pass: true },
    ],
    ['ultra-low, 30 against 10: fails', 10, 30, { errorKind: 'absolute', error: 20, allowed: 17, bandFrom: 0, pass: false }],
    [
      'exactly at a band edge (143): the upper band',
      143,
      190,
      { errorKind: 'absolute', error: 47, allowed: 57, bandFrom: 143, pass: true },
    ],
  ])('%s', (_n, reference, online, expected) => {
    expect(judgeComparison(reference, online, SO2)).toEqual(expected);
  });

  it('a relative band at a reference of 0: only 0 matches', () => {
    expect(judgeComparison(0, 0, [{ from: 0, relativePct: 15 }])).toMatchObject({ pass: true, error: 0 });
    expect(judgeComparison(0, 1, [{ from: 0, relativePct: 15 }])).toMatchObject({ pass: false });
  });

  it('no criterion for the factor: not judged', () => {
    expect(judgeComparison(10, 12, undefined)).toBeNull();
  });

  it('the rules refuse a band with both errors and a factor without a band from 0', () => {
    const base = { transmission: { passRate: 0.9, elevatedStackM: 45 }, comparison: { maxSpanH: 24 } };
    expect(qualityRulesSchema.safeParse({ ...base, comparison: { maxSpanH: 24, criteria: { a21026: SO2 } } }).success).toBe(true);
    const both = { ...base, comparison: { maxSpanH: 24, criteria: { a21026: [{ from: 0, relativePct: 1, absolute: 1 }] } } };
    expect(qualityRulesSchema.safeParse(both).success).toBe(false);
    const noZero = { ...base, comparison: { maxSpanH: 24, criteria: { a21026: [{ from: 10, absolute: 1 }] } } };
    expect(qualityRulesSchema.safeParse(noZero).success).toBe(false);
  });
});
