import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { FactorValue, Reading } from '../domain/reading';
import { hourWindowStep, hourWindowTick, type ClosedHour, type HourState } from './hour-window';
import { judgeHour } from './limit-hour-rule';
import type { RuleContext } from './rule-context';
import { AMMONIA, CEMS, ctx, HOUR, MIN, reading, S, T0, v } from './test-kit';

const START: HourState = { window: null, closedUntil: 0 };

/** Minute readings of the hour starting at T0 (index = minute), then closes it with a reading of the next hour. */
function hourOf(minutes: (Reading['factors'] | null)[], c: RuleContext, extra: Reading[] = []): { closed: ClosedHour | null; findings: Finding[] } {
  let state = START;
  const src = c.source;
  const inputs = [
    ...minutes.flatMap((f, i) => (f ? [reading(src, '2051', T0 + i * MIN, f)] : [])),
    ...extra,
    reading(src, '2011', T0 + HOUR + 5 * S, {}),
  ];
  let closed: ClosedHour | null = null;
  for (const r of inputs) {
    const step = hourWindowStep(state, r, c);
    state = step.state;
    closed = step.closed ?? closed;
  }
  return { closed, findings: closed ? judgeHour(closed, c) : [] };
}

const nh3 = (x: number, flag: FactorValue['flag'] = 'N') => ({ a21001: v(x, flag) });
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const summary = (fs: Finding[]) => fs.map((f) => `${f.type} ${f.value.toFixed(2)}`).join(',') || 'no judgement';

describe('limit-hour', () => {
  it.each([
    ['45 valid minutes at 9 → a valid hour, exceeded', times(45, () => nh3(9)), 'exceeded 9.00'],
    ['44 valid minutes at 9 → not a valid hour: no judgement', times(44, () => nh3(9)), 'no judgement'],
    ['44 valid + 16 flagged M at 20 → no judgement', [...times(44, () => nh3(9)), ...times(16, () => nh3(20, 'M'))], 'no judgement'],
    ['60 valid minutes at 7 → normal', times(60, () => nh3(7)), 'normal 7.00'],
    ['50 valid (30 at 6, 20 at 12) → mean 8.4 exceeded', [...times(30, () => nh3(6)), ...times(20, () => nh3(12))], 'exceeded 8.40'],
    ['D-flagged minutes are not valid data: 40 N + 20 D → no judgement', [...times(40, () => nh3(7)), ...times(20, () => nh3(99, 'D'))], 'no judgement'],
    ['gaps do not matter, only the count: every other minute ×30 → no judgement', times(60, (i) => (i % 2 ? nh3(9) : null)), 'no judgement'],
  ])('%s', (_n, minutes, expected) => {
    expect(summary(hourOf(minutes, ctx(AMMONIA)).findings)).toBe(expected);
  });

  it('minValidMinutes is configurable: 40 makes 44 valid', () => {
    expect(summary(hourOf(times(44, () => nh3(9)), ctx(AMMONIA, { limitHour: { minValidMinutes: 40 } })).findings)).toBe('exceeded 9.00');
  });

  it('a re-sent minute is not counted twice', () => {
    const dup = reading(AMMONIA, '2051', T0 + 10 * MIN, nh3(9));
    expect(summary(hourOf(times(44, () => nh3(9)), ctx(AMMONIA), [dup]).findings)).toBe('no judgement');
  });

  it('the hourly mean is converted to reference O2 (DOMAIN §5: 40 at 10.5 % → 57.14 > 50)', () => {
    const { findings } = hourOf(times(45, () => ({ a21002: v(40), a19001: v(10.5) })), ctx(CEMS));
    expect(findings).toEqual([expect.objectContaining({ type: 'exceeded', rule: 'limit-hour', factor: 'a21002', limit: 50, severity: 'major', ts: T0 })]);
    expect(findings[0]?.value).toBeCloseTo(57.142857, 5);
    expect(findings[0]).toMatchObject({ evidence: { windowStart: T0, windowEnd: T0 + HOUR, validMinutes: 45, o2Converted: true } });
  });

  const hourly = (f: FactorValue) => reading(AMMONIA, '2061', T0, { a21001: f });
  it.each([
    ['an hour with only the logger’s hourly avg, flagged N, is judged', [], v(9), 'exceeded 9.00'],
    ['an hourly value flagged M is not judged', [], v(9, 'M'), 'no judgement'],
    ['an hour with 44 minutes is not rescued by the logger’s hourly value', times(44, () => nh3(9)), v(9), 'no judgement'],
    ['an hour with minutes is judged on the minutes, not the logger', times(45, () => nh3(7)), v(9), 'normal 7.00'],
  ] as const)('%s', (_n, minutes, hourValue, expected) => {
    const c = ctx(AMMONIA, { limitHour: { minValidMinutes: 45 } });
    expect(summary(hourOf([...minutes], c, [hourly(hourValue)]).findings)).toBe(expected);
  });

  it('an hour-only CEMS source is judged on the logger’s ZsAvg when sent', () => {
    const r = reading(CEMS, '2061', T0, { a21002: v(60, 'N', { zs: 45 }), a19001: v(6) });
    expect(summary(hourOf([], ctx(CEMS), [r]).findings)).toBe('normal 45.00');
  });

  it.each([
    ['before end + grace: still open', HOUR + 299 * S, false],
    ['at end + grace (5 min): closed by tick', HOUR + 300 * S, true],
  ] as const)('tick: %s', (_n, at, closes) => {
    let state = START;
    for (let i = 0; i < 45; i++) state = hourWindowStep(state, reading(AMMONIA, '2051', T0 + i * MIN, nh3(9)), ctx(AMMONIA)).state;
    const step = hourWindowTick(state, T0 + at, ctx(AMMONIA));
    expect(step.closed !== null).toBe(closes);
    if (!step.closed) return;
    // A minute of the closed hour arriving late is ignored: it opens nothing.
    const late = hourWindowStep(step.state, reading(AMMONIA, '2051', T0 + 50 * MIN, nh3(9)), ctx(AMMONIA));
    expect(late.state).toEqual(step.state);
  });
});
