import { describe, expect, it } from 'vitest';
import { quarterMean } from './imported-power-hour';

const H = Date.parse('2026-12-02T10:00:00+08:00');
const Q = 15 * 60_000;
const p = (quarter: number, avg: number | undefined, flag = 'N') => ({ ts: H + quarter * Q, ...(avg !== undefined && { avg }), flag });

describe('quarterMean: an imported hour of power from its 15-min points', () => {
  it.each<[string, ReturnType<typeof p>[], number | undefined]>([
    ['four quarters', [p(0, 300), p(1, 300), p(2, 280), p(3, 320)], 300],
    ['three of four (≥ 75 %)', [p(0, 4), p(1, 4), p(3, 7)], 5],
    ['two of four: not enough', [p(0, 300), p(1, 300)], undefined],
    [
      'a point off the quarter hour (a logger’s minute) is not the file’s',
      [p(0, 8), p(1, 8), p(2, 8), { ts: H + 60_000, avg: 900, flag: 'N' }],
      8,
    ],
    ['the next hour’s first quarter is not this hour’s', [p(1, 10), p(2, 10), p(3, 10), p(4, 900)], 10],
    ['a value not flagged N does not count', [p(0, 10), p(1, 10), p(2, 10, 'D'), p(3, 10, 'M')], undefined],
    ['a point without avg does not count', [p(0, 10), p(1, 10), p(2, 10), p(3, undefined)], 10],
  ])('%s', (_what, points, mean) => {
    expect(quarterMean(points, H, 0.75)).toBe(mean);
  });
});
