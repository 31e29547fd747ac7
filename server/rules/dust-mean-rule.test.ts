import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { parseRulePack, type RuleOverrides } from '../domain/rule-pack';
import { quarterStartOf } from './dust-mean-rule';
import { RuleEngine, type RuleSubject } from './rule-engine';
import { HOUR, MIN, reading, S, source, subject, T0, v } from './test-kit';

const DUST = source({ mn: '370300YCJC00000000000101', kind: 'dust' });
const AMBIENT = source({ mn: '370300AQS000000000000101', kind: 'ambient' });

/** Runs minute readings (index = minute from T0; null = none) of a source through the engine, then ticks past the hour's grace. */
function run(src: typeof DUST, minutes: (Reading['factors'] | null)[], overrides?: RuleOverrides): Finding[] {
  const subj: RuleSubject = subject(src, overrides);
  const engine = new RuleEngine(parseRulePack({}), (mn) => (mn === src.mn ? subj : undefined), T0);
  const out: Finding[] = [];
  minutes.forEach((f, i) => {
    if (f) out.push(...engine.onReading(reading(src, '2051', T0 + i * MIN, f), T0 + i * MIN + S));
  });
  const end = T0 + Math.ceil(minutes.length / 60) * HOUR;
  for (let t = T0; t <= end + 10 * MIN; t += MIN) out.push(...engine.tick(t));
  return out.filter((f) => f.rule === 'dust-mean');
}

const pm10 = (x: number) => ({ a34002: v(x) });
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
/** `type factor value window` per finding, e.g. `exceeded a34002 160 15`. */
const summary = (fs: Finding[]) =>
  fs
    .map((f) => [f.type, f.factor, Math.round(f.value), (f.type === 'exceeded' ? f.evidence?.windowMinutes : undefined) ?? '-'].join(' '))
    .join(', ') || 'none';

describe('dust-mean', () => {
  it.each([
    ['a 15-min PM10 mean of 160 (> 150) raises', times(15, () => pm10(160)), 'exceeded a34002 160 15'],
    ['look-alike: a 15-min mean of 150 is not above 150', times(15, () => pm10(150)), 'normal a34002 150 -'],
    ['11 valid minutes at 300 are no valid 15-min mean: no judgement', times(11, () => pm10(300)), 'none'],
    ['look-alike: spikes of 400 in 3 minutes of 15 average 136', times(15, (i) => pm10(i < 3 ? 400 : 70)), 'normal a34002 136 -'],
    ['TSP above its 15-min threshold (800)', times(15, () => ({ a34001: v(900) })), 'exceeded a34001 900 15'],
  ])('%s', (_n, minutes, expected) => {
    expect(summary(run(DUST, minutes))).toBe(expected);
  });

  it('an hourly mean of 120 (> 100) raises though no quarter is above 150; the next hour below clears it', () => {
    const fs = run(DUST, [...times(60, () => pm10(120)), ...times(60, () => pm10(80))]);
    expect(summary(fs)).toBe(
      [
        'normal a34002 120 -', // quarters 1–3: below 150, no hour high yet
        'normal a34002 120 -',
        'normal a34002 120 -',
        'exceeded a34002 120 60', // the hour closes above 100 (at 11:05, with its last quarter)
        // its last quarter and hour 2's first three are below 150 but the latest hour is high: nothing
        'normal a34002 80 -', // hour 2 closes below 100
        'normal a34002 80 -', // and its last quarter
      ].join(', '),
    );
    const raised = fs.find((f) => f.type === 'exceeded');
    expect(raised).toMatchObject({
      ts: T0,
      limit: 100,
      unit: 'µg/m³',
      evidence: { windowMinutes: 60, windowStart: T0, windowEnd: T0 + HOUR, mean: 120, threshold: 100, validMinutes: 60 },
    });
  });

  it('a high quarter stays raised across an hour closing below, until a quarter closes below', () => {
    const fs = run(DUST, [...times(30, () => pm10(60)), ...times(15, () => pm10(200)), ...times(15, () => pm10(60))]);
    // hour mean (45×60 + 15×200)/60 = 95 ≤ 100 while the third quarter is high: not cleared by the hour.
    expect(summary(fs)).toBe(['normal a34002 60 -', 'normal a34002 60 -', 'exceeded a34002 200 15', 'normal a34002 60 -'].join(', '));
  });

  it('thresholds are configurable per source; null is not judged', () => {
    expect(
      summary(
        run(
          DUST,
          times(15, () => pm10(160)),
          { dustMean: { pm10QuarterMax: 200 } },
        ),
      ),
    ).toBe('normal a34002 160 -');
    expect(
      summary(
        run(
          DUST,
          times(15, () => pm10(160)),
          { dustMean: { pm10QuarterMax: null } },
        ),
      ),
    ).toBe('none');
  });

  it('judges dust sites only: an ambient station’s PM10 of 300 is not construction dust', () => {
    expect(
      summary(
        run(
          AMBIENT,
          times(60, () => pm10(300)),
        ),
      ),
    ).toBe('none');
  });

  it('quarters are local quarters of the hour', () => {
    expect(quarterStartOf(T0 + 14 * MIN + 59 * S, 480)).toBe(T0);
    expect(quarterStartOf(T0 + 15 * MIN, 480)).toBe(T0 + 15 * MIN);
    expect(quarterStartOf(T0 + 59 * MIN, 480)).toBe(T0 + 45 * MIN);
  });
});
