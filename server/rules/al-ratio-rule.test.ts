import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { alRatioStep, alRatioTick } from './al-ratio-rule';
import type { AlDay } from './rule-state';
import { ctx, DAY, DAY0, HOUR, MIN, reading, run, v, VAPOUR } from './test-kit';

const EMPTY: AlDay = { start: null, closedUntil: 0, nozzles: {} };
const c = ctx(VAPOUR);

/** One day per entry: nozzle 1 fuels with that A/L (null: not fuelling, sends 0) at 09:00–09:02, then the next day closes it. */
function days(daily: (number | null)[]): { perDay: string[]; state: AlDay } {
  const rs: Reading[] = daily.flatMap((al, d) =>
    [0, 1, 2].map((m) => reading(VAPOUR, '2011', DAY0 + d * DAY + 9 * HOUR + m * MIN, { avr01: v(al ?? 0), avr02: v(0) })),
  );
  rs.push(reading(VAPOUR, '2011', DAY0 + daily.length * DAY + HOUR, { avr01: v(0) }));
  const { perInput, state } = run(EMPTY, rs, (s, r: Reading) => alRatioStep(s, r, c));
  const summary = (fs: readonly Finding[]) => fs.map((f) => (f.type === 'exceeded' ? `${f.severity}` : f.type)).join(',');
  // The findings of day d come with the first sample of day d + 1.
  const perDay = daily.map((_, d) => summary(perInput[(d + 1) * 3] ?? []) || '-');
  return { perDay, state };
}

describe('al-ratio', () => {
  it.each([
    ['A/L 0.95 three days running → warning on day 3', [0.95, 0.95, 0.95], ['-', '-', 'warning']],
    ['five days running → alarm (major)', [0.95, 1.3, 0.9, 0.95, 0.95], ['-', '-', 'warning', 'warning', 'major']],
    ['a day inside resets the count', [0.95, 0.95, 1.1, 0.95, 0.95], ['-', '-', '-', '-', '-']],
    ['inside after a warning clears it', [0.95, 0.95, 0.95, 1.1], ['-', '-', 'warning', 'normal']],
    ['a day without fuelling neither counts nor resets', [0.95, 0.95, null, 0.95], ['-', '-', '-', 'warning']],
    ['1.0 and 1.2 are inside the range', [1.0, 1.2, 1.0], ['-', '-', '-']],
  ])('%s', (_n, daily, expected) => {
    expect(days(daily).perDay).toEqual(expected);
  });

  it('the finding names the nozzle, its daily mean, the bound and the run of days', () => {
    const rs = [0, 1, 2].map((d) => reading(VAPOUR, '2011', DAY0 + d * DAY + 9 * HOUR, { avr01: v(0.95) }));
    const { state } = run(EMPTY, rs, (s, r: Reading) => alRatioStep(s, r, c));
    const { findings } = alRatioTick(state, DAY0 + 3 * DAY + 5 * MIN, c);
    expect(findings).toEqual([
      expect.objectContaining({
        type: 'exceeded',
        factor: 'avr01',
        rule: 'al-ratio',
        severity: 'warning',
        value: 0.95,
        limit: 1,
        unit: '',
        ts: DAY0 + 2 * DAY,
        evidence: expect.objectContaining({ consecutiveDays: 3 }),
      }),
    ]);
    expect(alRatioTick(state, DAY0 + 3 * DAY + 4 * MIN, c).findings).toEqual([]);
  });

  it('warnDays / alarmDays / range are configurable', () => {
    const strict = ctx(VAPOUR, { alRatio: { warnDays: 1, alarmDays: 2, range: { min: 0.9, max: 1.1, unit: '' } } });
    const rs = [0, 1, 2].map((d) => reading(VAPOUR, '2011', DAY0 + d * DAY + 9 * HOUR, { avr01: v(1.15) }));
    const { perInput } = run(EMPTY, rs, (s, r: Reading) => alRatioStep(s, r, strict));
    expect(perInput.map((fs) => fs.map((f) => (f.type === 'exceeded' ? f.severity : f.type)).join())).toEqual(['', 'warning', 'major']);
  });
});
