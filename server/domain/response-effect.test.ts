import { describe, expect, it } from 'vitest';
import type { LevelMeasure, ResolvedMeasure } from './reduction-list';
import type { ReductionResponse, ResponseEnterprisePart } from './response';
import { responseEffect, responseEffectForEnterprise, type HourRate, type OutletRates, type ResponseEffectInput } from './response-effect';

const H = 3_600_000;
const T10 = Date.parse('2026-12-02T10:00:00+08:00');
const OFF = 480;

const measure = (entryId: string, m: Partial<LevelMeasure>, obligation: ResolvedMeasure['obligation'] = 'required'): ResolvedMeasure => ({
  entryId,
  name: entryId,
  obligation,
  measure: { action: 'limit', limitToPct: 50, indicators: [], expectedKgH: {}, ...m },
  fromLevel: 'orange',
  policy: 'as-listed',
});
const part = (id: string, measures: ResolvedMeasure[], acked = false): ResponseEnterprisePart => ({
  enterpriseId: id,
  name: `${id} 公司`,
  grade: 'C',
  list: { year: 2026, version: 1 },
  measures,
  required: measures.filter((m) => m.obligation === 'required').length,
  acknowledged: acked ? { username: id, at: T10 } : null,
  verification: [],
});
const response = (enterprises: ResponseEnterprisePart[], startAt = T10, endAt: number | null = T10 + 2 * H): ReductionResponse => ({
  id: 7,
  warningId: 3,
  level: 'orange',
  districts: ['临淄区'],
  status: endAt === null ? 'active' : 'ended',
  startAt,
  endAt,
  enterprises,
  withoutList: [],
  city: [],
  history: [],
  judgedUntil: startAt,
  version: 1,
});
const hours = (...xs: [number, number, number | null][]): ReadonlyMap<number, HourRate> =>
  new Map(xs.map(([h, current, baseline]) => [h, { current, baseline }]));
const input = (r: ReductionResponse, outlets: Record<string, string[]>, rates: Record<string, OutletRates>, until = T10 + 2 * H) =>
  ({
    response: r,
    outletsOf: (_e, entryId) => outlets[entryId] ?? [],
    ratesOf: (mn) => rates[mn] ?? {},
    until,
    utcOffsetMinutes: OFF,
    ambient: { available: false, reason: 'not-lifted' },
  }) satisfies ResponseEffectInput;
const of = (e: ReturnType<typeof responseEffect>, enterpriseId: string, pollutant: string) =>
  e.rows.find((r) => r.enterpriseId === enterpriseId)?.reductions.find((x) => x.pollutant === pollutant);

describe('responseEffect: reductions achieved against expected', () => {
  it('a hand-computed case: a limit to 50 % for 10:00–12:00 at one outlet', () => {
    // Rates (kg/h = mg/m³ × m³/s × 0.0036): baselines 10:00 NOx 19.8, SO2 7.2, PM 1.8; 11:00 NOx 14.4, SO2 7.2, PM 3.6;
    // observed 10:00 NOx 8.64, SO2 2.88, PM 0.72; 11:00 NOx 7.2, SO2 3.6, PM 1.44.
    const r = response([part('qilu', [measure('e1', { expectedKgH: { nox: 4, so2: 2, pm: 0.5 } })], true)]);
    const e = responseEffect(
      input(
        r,
        { e1: ['M1'] },
        {
          M1: {
            nox: hours([T10, 8.64, 19.8], [T10 + H, 7.2, 14.4]),
            so2: hours([T10, 2.88, 7.2], [T10 + H, 3.6, 7.2]),
            pm: hours([T10, 0.72, 1.8], [T10 + H, 1.44, 3.6]),
          },
        },
      ),
    );
    // NOx: expected 4 × 2 = 8 kg; achieved (19.8 − 8.64) + (14.4 − 7.2) = 11.16 + 7.2 = 18.36 kg → 229.5 %.
    expect(of(e, 'qilu', 'nox')).toEqual({
      pollutant: 'nox',
      expectedKg: 8,
      achievedKg: 18.36,
      outletHours: 2,
      measuredHours: 2,
      achievedPct: 229.5,
    });
    // SO2: 2 × 2 = 4; (7.2 − 2.88) + (7.2 − 3.6) = 4.32 + 3.6 = 7.92 → 198 %.
    expect(of(e, 'qilu', 'so2')).toMatchObject({ expectedKg: 4, achievedKg: 7.92, achievedPct: 198 });
    // PM: 0.5 × 2 = 1; (1.8 − 0.72) + (3.6 − 1.44) = 1.08 + 2.16 = 3.24 → 324 %.
    expect(of(e, 'qilu', 'pm')).toMatchObject({ expectedKg: 1, achievedKg: 3.24, achievedPct: 324 });
    // VOCs: neither expected nor monitored.
    expect(of(e, 'qilu', 'vocs')).toEqual({
      pollutant: 'vocs',
      expectedKg: 0,
      achievedKg: null,
      outletHours: 2,
      measuredHours: 0,
      achievedPct: null,
    });
    expect(e.rows[0]).toMatchObject({ acknowledged: true, required: 1, compliant: 0, failed: 0, unverified: 1 });
    expect(e.city?.reductions.find((x) => x.pollutant === 'nox')).toMatchObject({ expectedKg: 8, achievedKg: 18.36 });
    expect(e.period).toEqual({ from: T10, to: T10 + 2 * H });
  });

  const nox = (...xs: [number, number, number | null][]): OutletRates => ({ nox: hours(...xs) });
  it.each<
    [
      string,
      ReductionResponse,
      Record<string, string[]>,
      Record<string, OutletRates>,
      number,
      { expectedKg: number; achievedKg: number | null; outletHours: number; measuredHours: number },
    ]
  >([
    [
      'a voluntary measure (grade A) counts in neither figure',
      response([part('a', [measure('e1', { expectedKgH: { nox: 4 } }, 'voluntary')])]),
      { e1: ['M1'] },
      { M1: nox([T10, 1, 5]) },
      T10 + 2 * H,
      { expectedKg: 0, achievedKg: null, outletHours: 0, measuredHours: 0 },
    ],
    [
      'an hour without a baseline or an observed rate is not measured',
      response([part('a', [measure('e1', { expectedKgH: { nox: 4 } })])]),
      { e1: ['M1'] },
      { M1: nox([T10, 1, null]) },
      T10 + 2 * H,
      { expectedKg: 8, achievedKg: null, outletHours: 2, measuredHours: 0 },
    ],
    [
      'a daily window: only its hours (10:00–11:00)',
      response([part('a', [measure('e1', { expectedKgH: { nox: 4 }, window: { from: '10:00', to: '11:00' } })])]),
      { e1: ['M1'] },
      { M1: nox([T10, 1, 5], [T10 + H, 1, 5]) },
      T10 + 2 * H,
      { expectedKg: 4, achievedKg: 4, outletHours: 1, measuredHours: 1 },
    ],
    [
      'a part hour at the start is the enterprise’s time to act (10:30 → from 11:00)',
      response([part('a', [measure('e1', { expectedKgH: { nox: 4 } })])], T10 + H / 2),
      { e1: ['M1'] },
      { M1: nox([T10, 1, 5], [T10 + H, 2, 5]) },
      T10 + 2 * H,
      { expectedKg: 4, achievedKg: 3, outletHours: 1, measuredHours: 1 },
    ],
    [
      'while it runs: the closed hours only',
      response([part('a', [measure('e1', { expectedKgH: { nox: 4 } })])], T10, null),
      { e1: ['M1'] },
      { M1: nox([T10, 1, 5], [T10 + H, 2, 5]) },
      T10 + H,
      { expectedKg: 4, achievedKg: 4, outletHours: 1, measuredHours: 1 },
    ],
    [
      'an outlet two entries name is counted once; both expectations count',
      response([part('a', [measure('e1', { expectedKgH: { nox: 4 } }), measure('e2', { action: 'stop', expectedKgH: { nox: 1 } })])]),
      { e1: ['M1'], e2: ['M1'] },
      { M1: nox([T10, 1, 5], [T10 + H, 1, 5]) },
      T10 + 2 * H,
      { expectedKg: 10, achievedKg: 8, outletHours: 2, measuredHours: 2 },
    ],
    [
      'emitting more than the baseline is a negative achievement',
      response([part('a', [measure('e1', { expectedKgH: { nox: 4 } })])]),
      { e1: ['M1'] },
      { M1: nox([T10, 7, 5], [T10 + H, 5, 5]) },
      T10 + 2 * H,
      { expectedKg: 8, achievedKg: -2, outletHours: 2, measuredHours: 2 },
    ],
  ])('%s', (_what, r, outlets, rates, until, expected) => {
    expect(of(responseEffect(input(r, outlets, rates, until)), 'a', 'nox')).toMatchObject(expected);
  });

  it('the city sums the enterprises (achieved over those measured)', () => {
    const r = response([
      part('a', [measure('e1', { expectedKgH: { nox: 4, so2: 1 } })]),
      part('b', [measure('e2', { action: 'stop', expectedKgH: { nox: 2 } })]),
    ]);
    const e = responseEffect(input(r, { e1: ['M1'], e2: ['M2'] }, { M1: nox([T10, 1, 5], [T10 + H, 1, 5]), M2: {} }));
    // Expected 4 × 2 + 2 × 2 = 12 kg; achieved 8 at M1 (M2 not measured) → 66.7 %.
    expect(e.city?.reductions.find((x) => x.pollutant === 'nox')).toEqual({
      pollutant: 'nox',
      expectedKg: 12,
      achievedKg: 8,
      outletHours: 4,
      measuredHours: 2,
      achievedPct: 66.7,
    });
    expect(e.city?.reductions.find((x) => x.pollutant === 'so2')).toMatchObject({ expectedKg: 2, achievedKg: null, achievedPct: null });
    expect(e.totals).toMatchObject({ enterprises: 2, required: 2 });
  });
});

describe('responseEffectForEnterprise: an enterprise user’s view', () => {
  const e = responseEffect({
    ...input(response([part('a', [measure('e1', { expectedKgH: { nox: 4 } })]), part('b', [])]), {}, {}),
    ambient: { available: true, days: [], means: { forecast: null, observed: null }, heavyHours: [], heavyHoursTotal: 0 },
  });
  it.each<[string, string, string[] | null]>([
    ['its own row only', 'b', ['b']],
    ['none for an enterprise not in the response', 'z', null],
  ])('%s', (_what, id, rows) => {
    const mine = responseEffectForEnterprise(e, id);
    expect(mine?.rows.map((r) => r.enterpriseId) ?? null).toEqual(rows);
    if (mine) expect([mine.city, mine.ambient, mine.totals.enterprises]).toEqual([null, { available: false, reason: 'not-shown' }, 1]);
  });
});
