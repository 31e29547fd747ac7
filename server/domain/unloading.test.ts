import { describe, expect, it } from 'vitest';
import { DEFAULT_UNLOADING, detectUnloading, inDaytime } from './unloading';

const M = 60_000;
const T = Date.parse('2026-07-02T10:00:00+08:00');
/** One sample a minute from T: the pressures given. */
const series = (pa: number[], start = T) => pa.map((v, i) => ({ ts: start + i * M, pa: v }));
const run = (n: number, v: number) => Array<number>(n).fill(v);

describe('detectUnloading: tank pressure ≥ 300 Pa for ≥ 10 min', () => {
  it.each<[string, { ts: number; pa: number }[], [number, number, number, boolean][]]>([
    ['fuelling only: a slight vacuum', series(run(30, -120)), []],
    ['an unloading of 20 minutes', series([...run(5, -50), ...run(21, 650), ...run(5, 20)]), [[5, 25, 650, false]]],
    ['the peak is kept', series([...run(3, 0), 320, 900, ...run(10, 400), 0]), [[3, 14, 900, false]]],
    ['9 minutes is too short', series([...run(3, 0), ...run(10, 500), ...run(3, 0)]), []],
    ['exactly 10 minutes counts', series([...run(3, 0), ...run(11, 500), ...run(3, 0)]), [[3, 13, 500, false]]],
    ['still above at the last sample: ongoing', series([...run(3, 0), ...run(15, 500)]), [[3, 17, 500, true]]],
    ['a dip below ends the run', series([...run(8, 500), 100, ...run(8, 500)]), []],
    ['a gap of more than 5 minutes ends the run', [...series(run(6, 500)), ...series(run(6, 500), T + 12 * M)], []],
    [
      'two unloadings',
      series([...run(12, 500), 0, ...run(12, 700), 0]),
      [
        [0, 11, 500, false],
        [13, 24, 700, false],
      ],
    ],
  ])('%s', (_what, points, events) => {
    expect(detectUnloading(points, DEFAULT_UNLOADING).map((e) => [(e.from - T) / M, (e.to - T) / M, e.peakPa, e.ongoing])).toEqual(events);
  });
});

describe('inDaytime: outside 20:00–06:00 China time', () => {
  const at = (hhmm: string, day = '2026-07-02') => Date.parse(`${day}T${hhmm}:00+08:00`);
  it.each<[string, number, number, boolean]>([
    ['10:00–10:30', at('10:00'), at('10:30'), true],
    ['21:00–21:40: at night', at('21:00'), at('21:40'), false],
    ['05:30–06:10: runs into the day', at('05:30'), at('06:10'), true],
    ['19:50–20:30: starts in the day', at('19:50'), at('20:30'), true],
    ['23:40–00:20: across midnight, at night', at('23:40'), at('00:20', '2026-07-03'), false],
  ])('%s', (_what, from, to, day) => {
    expect(inDaytime({ from, to }, DEFAULT_UNLOADING.night, 480)).toBe(day);
  });
});
