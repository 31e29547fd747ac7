import { describe, expect, it } from 'vitest';
import { clusterPoints, clusterSize, type MapPoint } from './cluster-points';

const p = (mn: string, lon: number, lat: number, status: MapPoint['status'] = 'normal'): MapPoint => ({ mn, lon, lat, status });

describe('map points clustered on a grid', () => {
  it.each<[string, MapPoint[], number, { count: number; status: string; mn: string | null }[]]>([
    ['no points, no marks', [], 0.1, []],
    ['one outlet stands alone, named', [p('A', 118.01, 36.81)], 0.1, [{ count: 1, status: 'normal', mn: 'A' }]],
    ['two in one cell: one mark of two', [p('A', 118.01, 36.81), p('B', 118.02, 36.82)], 0.1, [{ count: 2, status: 'normal', mn: null }]],
    [
      'smaller cells part them',
      [p('A', 118.01, 36.81), p('B', 118.02, 36.82)],
      0.005,
      [
        { count: 1, status: 'normal', mn: 'A' },
        { count: 1, status: 'normal', mn: 'B' },
      ],
    ],
    [
      'the most pressing status shows',
      [p('A', 118.01, 36.81, 'offline'), p('B', 118.02, 36.82, 'exceeding'), p('C', 118.03, 36.83)],
      0.1,
      [{ count: 3, status: 'exceeding', mn: null }],
    ],
    [
      'offline outranks maintenance and no data',
      [p('A', 118.01, 36.81, 'nodata'), p('B', 118.02, 36.82, 'offline'), p('C', 118.03, 36.83, 'maintenance')],
      0.1,
      [{ count: 3, status: 'offline', mn: null }],
    ],
  ])('%s', (_, points, cell, expected) => {
    expect(clusterPoints(points, cell).map(({ count, status, mn }) => ({ count, status, mn }))).toEqual(expected);
  });

  it('a cluster sits at its outlets’ mean position', () => {
    const [c] = clusterPoints([p('A', 118.01, 36.81), p('B', 118.05, 36.85)], 0.1);
    expect(c?.lon).toBeCloseTo(118.03);
    expect(c?.lat).toBeCloseTo(36.83);
  });

  it('20,000 outlets over a province make at most one mark per cell', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => p(`S${i}`, 117.8 + (i % 200) / 200, 36.5 + Math.floor(i / 200) / 200));
    const marks = clusterPoints(many, 0.05);
    expect(marks.reduce((n, c) => n + c.count, 0)).toBe(20_000);
    expect(marks.length).toBeLessThanOrEqual(21 * 21);
  });

  it.each([
    [1, 10],
    [10, 16],
    [1000, 28],
  ])('a cluster of %i is drawn %i px', (count, px) => expect(clusterSize(count)).toBe(px));
});
