import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { ClosedHour } from './hour-window';
import { addHourToDay, dayCloseByReading, dayCloseByTick, type DayState } from './limit-day-rule';
import { AMMONIA, ctx, DAY, DAY0, HOUR, MIN } from './test-kit';

const c = ctx(AMMONIA);
const hour = (i: number, mean: number): ClosedHour => ({
  start: DAY0 + i * HOUR,
  end: DAY0 + (i + 1) * HOUR,
  means: { a21001: { mean, meanC: mean, validMinutes: 60, validMinutesC: 60, basis: 'minute' } },
});

function day(means: number[]): { state: DayState; findings: Finding[] } {
  let state: DayState = { window: null, closedUntil: 0 };
  const findings: Finding[] = [];
  means.forEach((m, i) => {
    const r = addHourToDay(state, hour(i, m), c);
    state = r.state;
    findings.push(...r.findings);
  });
  return { state, findings };
}
const summary = (fs: readonly Finding[]) => fs.map((f) => `${f.type} ${f.value.toFixed(2)}`).join(',') || 'no judgement';

describe('limit-day', () => {
  it.each([
    ['20 valid hours at 9 → a valid day, exceeded', Array(20).fill(9), 'exceeded 9.00'],
    ['19 valid hours → not a valid day: no judgement', Array(19).fill(9), 'no judgement'],
    ['24 hours, 12 at 6 and 12 at 9 → mean 7.5, normal', [...Array(12).fill(6), ...Array(12).fill(9)], 'normal 7.50'],
  ])('%s', (_n, means, expected) => {
    const { state, findings } = day(means);
    expect(findings).toEqual([]); // nothing until the day closes
    expect(summary(dayCloseByReading(state, DAY0 + DAY + 5 * MIN, c).findings)).toBe(expected);
  });

  it('the first hour of the next day closes the day', () => {
    const { state } = day(Array(20).fill(9));
    const r = addHourToDay(state, hour(24, 3), c);
    expect(r.findings).toEqual([
      expect.objectContaining({
        type: 'exceeded',
        rule: 'limit-day',
        ts: DAY0,
        evidence: expect.objectContaining({ validHours: 20, o2Converted: false }),
      }),
    ]);
    expect(r.state.window?.start).toBe(DAY0 + DAY);
  });

  it.each([
    [
      'a reading of the same day does not close it',
      () => dayCloseByReading(day(Array(20).fill(9)).state, DAY0 + 23 * HOUR, c),
      'no judgement',
    ],
    // The day's last hour takes late data (its hour record) until its end + grace: so does the day.
    [
      'a reading of the next day before end + grace does not close it',
      () => dayCloseByReading(day(Array(20).fill(9)).state, DAY0 + DAY + 4 * MIN, c),
      'no judgement',
    ],
    [
      'tick before end + grace does not close it',
      () => dayCloseByTick(day(Array(20).fill(9)).state, DAY0 + DAY + 4 * MIN, c),
      'no judgement',
    ],
    ['tick at end + grace closes it', () => dayCloseByTick(day(Array(20).fill(9)).state, DAY0 + DAY + 5 * MIN, c), 'exceeded 9.00'],
  ])('%s', (_n, act, expected) => {
    expect(summary(act().findings)).toBe(expected);
  });
});
