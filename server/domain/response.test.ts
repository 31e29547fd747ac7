import { describe, expect, it } from 'vitest';
import { hourApplies, responseForEnterprise, summarise, type ReductionResponse } from './response';

const H = 3_600_000;
const OFFSET = 480;
const T0 = Date.parse('2026-12-01T10:00:00+08:00');

describe('hourApplies', () => {
  const period = { startAt: T0, endAt: T0 + 10 * H };
  it.each<[string, number, { startAt: number; endAt: number | null }, { from: string; to: string } | undefined, boolean]>([
    ['the first whole hour', T0, period, undefined, true],
    ['the hour before the start', T0 - H, period, undefined, false],
    ['a part hour at the start', T0 - H, { startAt: T0 - H / 2, endAt: null }, undefined, false],
    ['the last whole hour', T0 + 9 * H, period, undefined, true],
    ['the hour the response ended in', T0 + 9 * H, { startAt: T0, endAt: T0 + 9 * H + H / 2 }, undefined, false],
    ['open-ended', T0 + 100 * H, { startAt: T0, endAt: null }, undefined, true],
    ['10:00 inside 09:00–17:00', T0, period, { from: '09:00', to: '17:00' }, true],
    ['17:00 outside 09:00–17:00', T0 + 7 * H, period, { from: '09:00', to: '17:00' }, false],
    ['23:00 inside 22:00–06:00', T0 + 13 * H, { startAt: T0, endAt: null }, { from: '22:00', to: '06:00' }, true],
    ['12:00 outside 22:00–06:00', T0 + 2 * H, period, { from: '22:00', to: '06:00' }, false],
  ])('%s', (_what, hour, p, window, expected) => {
    expect(hourApplies(hour, p, window, OFFSET)).toBe(expected);
  });
});

describe('summarise', () => {
  const h = (i: number, verdict: 'pass' | 'fail' | 'nodata') => ({ hour: T0 + i * H, verdict, checks: [] });
  it.each<[string, ('pass' | 'fail' | 'nodata')[], { passed: number; failed: number; nodata: number; streak: number }]>([
    ['none', [], { passed: 0, failed: 0, nodata: 0, streak: 0 }],
    ['two fails', ['fail', 'fail'], { passed: 0, failed: 2, nodata: 0, streak: 2 }],
    ['a pass resets', ['fail', 'pass', 'fail'], { passed: 1, failed: 2, nodata: 0, streak: 1 }],
    ['nodata holds', ['fail', 'nodata', 'fail'], { passed: 0, failed: 2, nodata: 1, streak: 2 }],
  ])('%s', (_what, verdicts, expected) => {
    const s = summarise(
      'e1',
      verdicts.map((v, i) => h(i, v)),
    );
    expect(s).toMatchObject({ entryId: 'e1', judged: verdicts.length, ...expected });
    expect(s.lastVerdict).toBe(verdicts[verdicts.length - 1] ?? null);
  });
});

describe('responseForEnterprise', () => {
  const part = (id: string) => ({
    enterpriseId: id,
    name: id,
    grade: 'C' as const,
    list: null,
    measures: [],
    required: 0,
    acknowledged: null,
    verification: [],
  });
  const r: ReductionResponse = {
    id: 1,
    warningId: 1,
    level: 'orange',
    districts: ['a'],
    status: 'active',
    startAt: T0,
    endAt: null,
    enterprises: [part('ent-a'), part('ent-b')],
    withoutList: ['ent-b'],
    city: [{ pollutant: 'nox', expectedKgH: 1, cityKgH: 10, sharePct: 10, targetPct: 20, pass: false }],
    history: [],
    judgedUntil: T0,
    version: 1,
  };
  it('an enterprise in scope sees its own part only, without the others or the city check', () => {
    expect(responseForEnterprise(r, 'ent-a')).toMatchObject({ enterprises: [{ enterpriseId: 'ent-a' }], withoutList: [], city: [] });
  });
  it('an enterprise out of scope sees nothing', () => {
    expect(responseForEnterprise(r, 'ent-c')).toBeNull();
  });
});
