import { describe, expect, it } from 'vitest';
import {
  categoryOf,
  parseScorecardPeriod,
  rankScorecards,
  scorecard,
  transmissionParts,
  unionHours,
  type ScorecardAlert,
  type ScorecardInput,
} from './scorecard';

const H = 3_600_000;
const OFFSET = 480;
const NOV = parseScorecardPeriod('2026-11', OFFSET)!;

describe('parseScorecardPeriod', () => {
  it.each([
    ['2026', 'year', Date.UTC(2025, 11, 31, 16), Date.UTC(2026, 11, 31, 16)],
    ['2026-Q4', 'quarter', Date.UTC(2026, 8, 30, 16), Date.UTC(2026, 11, 31, 16)],
    ['2026-11', 'month', Date.UTC(2026, 9, 31, 16), Date.UTC(2026, 10, 30, 16)],
  ])('%s', (text, kind, from, to) => {
    expect(parseScorecardPeriod(text, OFFSET)).toEqual({ text, kind, from, to });
  });
  it.each(['2026-13', '2026-Q5', '26', '2026-1', 'x'])('refuses %s', (text) => {
    expect(parseScorecardPeriod(text, OFFSET)).toBeNull();
  });
  it.each([
    ['2026', ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']],
    ['2026-Q2', ['2026-Q2']],
    ['2026-05', ['2026-05']],
  ])('%s is figured over %j', (text, parts) => {
    expect(transmissionParts(parseScorecardPeriod(text, OFFSET)!)).toEqual(parts);
  });
});

describe('categoryOf', () => {
  it.each([
    ['limit-hour', 'exceedance'],
    ['limit-day', 'exceedance'],
    ['limit', 'exceedance'],
    ['dust-mean', 'exceedance'],
    ['limit-instant', 'earlyWarning'],
    ['zs-mismatch', 'falsification'],
    ['relay', 'falsification'],
    ['no-raw-hj212', 'falsification'],
    ['flat-line', 'falsification'],
    ['offline', 'offline'],
    ['treatment-off', 'facility'],
    ['instrument-fault', 'instrument'],
    ['over-range', 'instrument'],
    ['hotspot', 'other'],
  ])('%s → %s', (rule, category) => {
    expect(categoryOf(rule)).toBe(category);
  });
});

describe('unionHours', () => {
  it.each([
    ['one interval', [[0, 2 * H]], 0, 10 * H, 2],
    [
      'overlaps counted once',
      [
        [0, 2 * H],
        [H, 3 * H],
      ],
      0,
      10 * H,
      3,
    ],
    [
      'apart',
      [
        [0, H],
        [5 * H, 6.5 * H],
      ],
      0,
      10 * H,
      2.5,
    ],
    [
      'clipped to the period',
      [
        [-5 * H, H],
        [9 * H, 20 * H],
      ],
      0,
      10 * H,
      2,
    ],
    ['none', [], 0, 10 * H, 0],
  ] as const)('%s', (_n, intervals, from, to, hours) => {
    expect(unionHours(intervals, from, to)).toBe(hours);
  });
});

const alert = (rule: string, openedAt: number, clearedAt: number | null, mn = 'A1', factor = 'a21002'): ScorecardAlert => ({
  mn,
  factor,
  rule,
  openedAt,
  clearedAt,
  closedAt: null,
});

const base = (over: Partial<ScorecardInput> = {}): ScorecardInput => ({
  enterprise: { id: 'e1', name: '甲厂', district: '临淄区' },
  period: NOV,
  now: NOV.to + H,
  alerts: [],
  transmission: [],
  passRate: 0.9,
  cases: [],
  ...over,
});

describe('scorecard', () => {
  it('counts alerts by category and rule, hours over a limit once per outlet and factor, falsification alerts', () => {
    const t = NOV.from + 10 * H;
    const card = scorecard(
      base({
        alerts: [
          alert('limit-hour', t, t + 2 * H),
          alert('limit-day', t + H, t + 4 * H), // overlaps: 4 h in all for A1 a21002
          alert('limit-hour', t, t + H, 'A1', 'a21026'), // another factor: +1 h
          alert('limit-instant', t, t + H),
          alert('zs-mismatch', t, null),
          alert('relay', t, null),
          alert('limit-hour', NOV.from - 5 * H, NOV.from + H), // opened before: not counted
        ],
      }),
    );
    expect(card.alerts.total).toBe(6);
    expect(card.alerts.byCategory).toMatchObject({ exceedance: 3, earlyWarning: 1, falsification: 2, offline: 0 });
    expect(card.alerts.byRule[0]).toEqual({ rule: 'limit-hour', count: 2 });
    expect(card.exceedance).toEqual({ alerts: 3, hours: 5 });
    expect(card.falsification.alerts).toBe(2);
    expect(card.measures).toEqual({ noncompliance: 0 });
    expect(card.complete).toBe(true);
  });

  it.each([
    ['no outlets', [], null, null, 0],
    ['all valid', [{ mn: 'A1', expected: 100, received: 100, valid: 100 }], 1, true, 0],
    [
      'together, one failing',
      [
        { mn: 'A1', expected: 100, received: 100, valid: 100 },
        { mn: 'A2', expected: 100, received: 80, valid: 70 },
      ],
      0.85,
      false,
      1,
    ],
  ] as const)('transmission: %s', (_n, transmission, rate, pass, failing) => {
    expect(scorecard(base({ transmission })).transmission).toMatchObject({ effectiveRate: rate, pass, failing });
  });

  it('counts cases opened and closed in the period, open and overdue now', () => {
    const inNov = NOV.from + H;
    const card = scorecard(
      base({
        cases: [
          { status: 'open', createdAt: inNov, closedAt: null, overdue: true },
          { status: 'closed', createdAt: NOV.from - 100 * H, closedAt: inNov, overdue: false },
          { status: 'submitted', createdAt: NOV.from - 100 * H, closedAt: null, overdue: false },
          { status: 'closed', createdAt: NOV.to + 1, closedAt: NOV.to + 2, overdue: false },
        ],
      }),
    );
    expect(card.cases).toEqual({ opened: 1, closed: 1, open: 2, overdue: 1 });
  });

  it('a running period counts hours up to now', () => {
    const now = NOV.from + 10 * H;
    const card = scorecard(base({ now, alerts: [alert('limit-hour', NOV.from + 8 * H, null)] }));
    expect(card).toMatchObject({ complete: false, exceedance: { hours: 2 } });
  });
});

describe('rankScorecards', () => {
  const card = (name: string, over: Partial<ScorecardInput>) => scorecard(base({ enterprise: { id: name, name, district: '' }, ...over }));
  const t = NOV.from + H;
  it('ranks the cleanest first; falsification outweighs measures not carried out, which outweigh exceedance; equal records share a rank', () => {
    const ranked = rankScorecards([
      card('造假厂', { alerts: [alert('copied-data', t, null)] }),
      card('超标厂', { alerts: [alert('limit-hour', t, t + 3 * H)] }),
      card('未落实厂', { alerts: [alert('measure-noncompliance', t, null), alert('measure-noncompliance', t + H, null)] }),
      card('甲清洁厂', {}),
      card('乙清洁厂', {}),
      card('传输差厂', { transmission: [{ mn: 'X', expected: 100, received: 50, valid: 50 }] }),
    ]);
    expect(ranked.map((c) => [c.enterpriseName, c.rank])).toEqual([
      ['甲清洁厂', 1],
      ['乙清洁厂', 1],
      ['传输差厂', 3],
      ['超标厂', 4],
      ['未落实厂', 5], // measures not carried out outweigh exceedances, not falsification
      ['造假厂', 6],
    ]);
    expect(ranked.find((c) => c.enterpriseName === '未落实厂')?.measures).toEqual({ noncompliance: 2 });
  });
});
