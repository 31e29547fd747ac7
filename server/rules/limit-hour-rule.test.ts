import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { FactorValue, Reading } from '../domain/reading';
import { hourWindowStep, hourWindowTick, type ClosedHour, type HourState } from './hour-window';
import { judgeHour } from './limit-hour-rule';
import type { RuleContext } from './rule-context';
import { AMMONIA, CEMS, ctx, HOUR, MIN, reading, S, T0, v } from './test-kit';

const START: HourState = { window: null, prev: null, closedUntil: 0 };

/** Minute readings of the hour starting at T0 (index = minute), then closes it with a reading of the next hour past the grace. */
function hourOf(
  minutes: (Reading['factors'] | null)[],
  c: RuleContext,
  extra: Reading[] = [],
): { closed: ClosedHour | null; findings: Finding[] } {
  let state = START;
  const src = c.source;
  const inputs = [
    ...minutes.flatMap((f, i) => (f ? [reading(src, '2051', T0 + i * MIN, f)] : [])),
    ...extra,
    reading(src, '2011', T0 + HOUR + 300 * S, {}),
  ];
  let closed: ClosedHour | null = null;
  for (const r of inputs) {
    const step = hourWindowStep(state, r, c);
    state = step.state;
    closed = step.closed[0] ?? closed;
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
    [
      'D-flagged minutes are not valid data: 40 N + 20 D → no judgement',
      [...times(40, () => nh3(7)), ...times(20, () => nh3(99, 'D'))],
      'no judgement',
    ],
    [
      'gaps do not matter, only the count: every other minute ×30 → no judgement',
      times(60, (i) => (i % 2 ? nh3(9) : null)),
      'no judgement',
    ],
  ])('%s', (_n, minutes, expected) => {
    expect(summary(hourOf(minutes, ctx(AMMONIA)).findings)).toBe(expected);
  });

  it('minValidMinutes is configurable: 40 makes 44 valid', () => {
    expect(
      summary(
        hourOf(
          times(44, () => nh3(9)),
          ctx(AMMONIA, { limitHour: { minValidMinutes: 40 } }),
        ).findings,
      ),
    ).toBe('exceeded 9.00');
  });

  it('a re-sent minute is not counted twice', () => {
    const dup = reading(AMMONIA, '2051', T0 + 10 * MIN, nh3(9));
    expect(
      summary(
        hourOf(
          times(44, () => nh3(9)),
          ctx(AMMONIA),
          [dup],
        ).findings,
      ),
    ).toBe('no judgement');
  });

  it('the hourly mean is converted to reference O2 (DOMAIN §5: 40 at 10.5 % → 57.14 > 50)', () => {
    const { findings } = hourOf(
      times(45, () => ({ a21002: v(40), a19001: v(10.5) })),
      ctx(CEMS),
    );
    expect(findings).toEqual([
      expect.objectContaining({ type: 'exceeded', rule: 'limit-hour', factor: 'a21002', limit: 50, severity: 'major', ts: T0 }),
    ]);
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
    expect(step.closed.length === 1).toBe(closes);
    if (step.closed.length === 0) return;
    // A minute of the closed hour arriving late is ignored: it opens nothing.
    const late = hourWindowStep(step.state, reading(AMMONIA, '2051', T0 + 50 * MIN, nh3(9)), ctx(AMMONIA));
    expect(late.state).toEqual(step.state);
  });
});

/** Readings through the hour window, in order; the hours they close, judged. */
function through(readings: Reading[], c: RuleContext): { closed: ClosedHour[]; findings: Finding[] } {
  let state = START;
  const closed: ClosedHour[] = [];
  for (const r of readings) {
    const step = hourWindowStep(state, r, c);
    state = step.state;
    closed.push(...step.closed);
  }
  return { closed, findings: closed.flatMap((h) => judgeHour(h, c)) };
}

describe('limit-hour on converted values (issue 12, domain 2)', () => {
  // NOx 40 mg/m³ at O2 10 % (ref 6 %) is 40 × 15 / 11 = 54.55 converted; minutes without valid O2 cannot be converted.
  const nox = (o2: FactorValue | null): Reading['factors'] => (o2 ? { a21002: v(40), a19001: o2 } : { a21002: v(40) });
  it.each([
    [
      '30 minutes with O2, 30 without: 30 valid converted minutes → no judgement (was 47.27 “normal”)',
      [...times(30, () => nox(v(10))), ...times(30, () => nox(null))],
      'no judgement',
    ],
    [
      '30 with O2, 30 with O2 flagged D → no judgement',
      [...times(30, () => nox(v(10))), ...times(30, () => nox(v(10, 'D')))],
      'no judgement',
    ],
    [
      '45 with O2, 15 without → judged on the 45 converted minutes only: 54.55',
      [...times(45, () => nox(v(10))), ...times(15, () => nox(null))],
      'exceeded 54.55',
    ],
    ['60 with O2 → 54.55', times(60, () => nox(v(10))), 'exceeded 54.55'],
  ])('%s', (_n, minutes, expected) => {
    expect(summary(hourOf(minutes, ctx(CEMS)).findings)).toBe(expected);
  });

  it('the evidence says what was judged: converted minutes, the basis and the measured mean', () => {
    const { findings } = hourOf([...times(45, () => nox(v(10))), ...times(15, () => nox(null))], ctx(CEMS));
    const evidence = { o2Converted: true, validMinutes: 45, basis: 'minute', measuredMean: 40, fromLogger: false };
    expect(findings[0]).toMatchObject({ evidence });
  });

  it('a limit on measured values still counts every valid minute', () => {
    const c = { ...ctx(CEMS), limits: { a21002: { max: 35, o2Converted: false, severity: 'major' as const } } };
    expect(
      summary(
        hourOf(
          times(60, (i) => nox(i < 30 ? v(10) : null)),
          c,
        ).findings,
      ),
    ).toBe('exceeded 40.00');
  });

  it('a logger hour record without valid O2 or zs is not judged against a converted limit', () => {
    const r = reading(CEMS, '2061', T0, { a21002: v(60), a19001: v(6, 'D') });
    expect(summary(hourOf([], ctx(CEMS), [r]).findings)).toBe('no judgement');
  });
});

describe('limit-hour from real-time data (issue 12, domain 3)', () => {
  /** NH3 real-time samples every 30 s through the hour from T0, then one past end + grace. */
  const realtime = (value: (i: number) => number, flag: (i: number) => FactorValue['flag'] = () => 'N') => [
    ...times(120, (i) => reading(AMMONIA, '2011', T0 + i * 30 * S, nh3(value(i), flag(i)))),
    reading(AMMONIA, '2011', T0 + HOUR + 300 * S, nh3(1)),
  ];
  it.each([
    ['a source sending only real-time data at 9 is judged: exceeded 9.00', realtime(() => 9), 'exceeded 9.00'],
    ['at 7: normal', realtime(() => 7), 'normal 7.00'],
    // A minute is valid when more than 75 % of its values are N: one N and one M out of two is not.
    [
      'every minute half M: no valid minute, no judgement',
      realtime(
        () => 9,
        (i) => (i % 2 ? 'M' : 'N'),
      ),
      'no judgement',
    ],
    [
      '16 minutes all M (44 valid left): no judgement',
      realtime(
        () => 9,
        (i) => (i < 32 ? 'M' : 'N'),
      ),
      'no judgement',
    ],
    [
      '15 minutes all M (45 valid left): judged',
      realtime(
        () => 9,
        (i) => (i < 30 ? 'M' : 'N'),
      ),
      'exceeded 9.00',
    ],
    ['a minute’s mean is the mean of its values: 8 and 10 → 9', realtime((i) => (i % 2 ? 10 : 8)), 'exceeded 9.00'],
  ])('%s', (_n, readings, expected) => {
    expect(summary(through(readings, ctx(AMMONIA)).findings)).toBe(expected);
  });

  it('a re-sent real-time sample is not counted twice', () => {
    const rs = realtime((i) => (i < 60 ? 9 : 7));
    const dup = rs[10] as Reading;
    const { findings } = through([...rs.slice(0, 11), { ...dup, factors: nh3(100) }, ...rs.slice(11)], ctx(AMMONIA));
    expect(summary(findings)).toBe('normal 8.00'); // counted twice, minute 5 would be (9 + 100 + 9) / 3 and the hour above 8
  });

  it('minute data wins over real-time data for the same hour', () => {
    const minutes = times(60, (i) => reading(AMMONIA, '2051', T0 + i * MIN, nh3(7)));
    expect(summary(through([...minutes, ...realtime(() => 9)], ctx(AMMONIA)).findings)).toBe('normal 7.00');
  });

  it('real-time CEMS samples without valid O2 are not valid converted samples', () => {
    const rs = [
      ...times(120, (i) => reading(CEMS, '2011', T0 + i * 30 * S, { a21002: v(40), a19001: v(10, i < 30 ? 'D' : 'N') })),
      reading(CEMS, '2011', T0 + HOUR + 300 * S, {}),
    ];
    expect(summary(through(rs, ctx(CEMS)).findings)).toBe('exceeded 54.55');
    expect(through(rs, ctx(CEMS)).findings[0]).toMatchObject({ evidence: { validMinutes: 45, basis: 'realtime' } });
    const fewer = rs.map((r, i) => (i < 64 ? { ...r, factors: { a21002: v(40), a19001: v(10, 'D') } } : r));
    expect(summary(through(fewer, ctx(CEMS)).findings)).toBe('no judgement');
  });
});

describe('late data of an ended hour (issue 12, domain 3)', () => {
  const rtNext = (s: number) => reading(AMMONIA, '2011', T0 + HOUR + s * S, nh3(1));
  const hourRecord = (x: number) => reading(AMMONIA, '2061', T0, nh3(x));
  it.each([
    [
      'the hour record after the next hour’s first reading is judged for its own hour',
      [rtNext(5), hourRecord(9), rtNext(300)],
      'exceeded 9.00',
    ],
    ['… also when the hour then closes by tick', [rtNext(5), hourRecord(9)], 'exceeded 9.00'],
    [
      'a logger resending its hour record after an outage: judged for its own hour',
      [rtNext(5), rtNext(300), hourRecord(9), rtNext(330)],
      'exceeded 9.00',
    ],
    ['a resent hour record of an hour already judged is ignored', [hourRecord(7), rtNext(300), hourRecord(9), rtNext(330)], 'normal 7.00'],
  ])('%s', (_n, readings, expected) => {
    const c = ctx(AMMONIA);
    const r = through(readings, c);
    let closed = r.closed;
    if (closed.length === 0) {
      let state = START;
      for (const x of readings) state = hourWindowStep(state, x, c).state;
      closed = hourWindowTick(state, T0 + HOUR + 300 * S, c).closed;
    }
    expect(summary(closed.flatMap((h) => judgeHour(h, c)).filter((f) => f.ts === T0))).toBe(expected);
  });

  it('the last minute of an hour arriving after the next hour’s first real-time reading still counts', () => {
    const minutes = times(60, (i) => reading(AMMONIA, '2051', T0 + i * MIN, nh3(9)));
    const c = ctx(AMMONIA, { limitHour: { minValidMinutes: 60 } });
    const { findings } = through([...minutes.slice(0, 59), rtNext(1), minutes[59] as Reading, rtNext(300)], c);
    expect(summary(findings.filter((f) => f.ts === T0))).toBe('exceeded 9.00');
  });
});
