import { describe, expect, it } from 'vitest';
import { markerOverlaps, sameSpread, siteOffset, spreadSites, type ScreenPoint } from './spread-sites';

const at = (mn: string, x: number, y: number): ScreenPoint => ({ mn, x, y });
const distance = (a: readonly [number, number], b: readonly [number, number]): number => Math.hypot(a[0] - b[0], a[1] - b[1]);
/** Where each marker is drawn: its own position plus its offset. */
const drawn = (points: ScreenPoint[], spacing = 16): [number, number][] => {
  const spread = spreadSites(points, spacing);
  return points.map((p) => {
    const s = spread.get(p.mn)!;
    return [p.x + s.offset[0], p.y + s.offset[1]];
  });
};

describe('spreading co-located sources', () => {
  it('leaves a source that hides nothing where it is', () => {
    const spread = spreadSites([at('A', 100, 100), at('B', 130, 100)]);
    expect([...spread.values()]).toEqual([
      { offset: [0, 0], siteSize: 1 },
      { offset: [0, 0], siteSize: 1 },
    ]);
  });

  it('spreads the outlets of one plant (same and near-same position) around their centre', () => {
    const plant = [at('P1', 200, 200), at('P2', 200, 200), at('P3', 201, 199), at('P4', 203, 202)];
    const spread = spreadSites([...plant, at('far', 400, 200)]);
    for (const p of plant) expect(spread.get(p.mn)?.siteSize).toBe(4);
    expect(markerOverlaps(drawn(plant), 16 - 0.2)).toBe(0);
    expect(spread.get('far')).toEqual({ offset: [0, 0], siteSize: 1 });
    // Around the centre of the site, not flung away.
    for (const d of drawn(plant)) expect(distance(d, [201, 200.25])).toBeLessThanOrEqual(16);
  });

  it('merges a spread site with a neighbour it would now touch, until no marker hides another', () => {
    // Two plants 20 px apart: alone they do not touch, spread they would.
    const points = [at('A1', 100, 100), at('A2', 100, 100), at('A3', 100, 100), at('B1', 120, 100), at('B2', 120, 100)];
    expect(markerOverlaps(drawn(points), 16 - 0.2)).toBe(0);
    expect(spreadSites(points).get('B1')?.siteSize).toBe(5);
  });

  it('lays out a crowded city (60 sources on a 40 px square) with none hidden', () => {
    const points = Array.from({ length: 60 }, (_, i) => at(`M${String(i).padStart(2, '0')}`, 300 + ((i * 7) % 40), 300 + ((i * 13) % 40)));
    expect(
      markerOverlaps(
        points.map((p) => [p.x, p.y]),
        12,
      ),
    ).toBeGreaterThan(0);
    expect(markerOverlaps(drawn(points), 16 - 0.2)).toBe(0);
  });

  it('places the same way whatever the order the sources come in (markers never jump)', () => {
    const points = Array.from({ length: 9 }, (_, i) => at(`M${i}`, 50 + (i % 3), 50));
    expect(sameSpread(spreadSites(points), spreadSites([...points].reverse()))).toBe(true);
    expect(sameSpread(spreadSites(points), spreadSites(points.slice(1)))).toBe(false);
  });

  it.each([2, 3, 5, 6, 7, 12, 30, 60])('keeps %i markers of one site at least the spacing apart', (n) => {
    const offsets = Array.from({ length: n }, (_, i) => siteOffset(i, n, 16));
    let least = Infinity;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) least = Math.min(least, distance(offsets[i]!, offsets[j]!));
    expect(least).toBeGreaterThanOrEqual(16 - 0.01);
    // …and close to the site: within a radius that grows with the square root of the count.
    for (const o of offsets) expect(Math.hypot(...o)).toBeLessThanOrEqual(16 * Math.sqrt(n) + 0.1);
  });
});

describe('markerOverlaps', () => {
  it.each([
    [
      [
        [0, 0],
        [0, 0],
      ],
      1,
    ],
    [
      [
        [0, 0],
        [11.9, 0],
        [100, 100],
      ],
      1,
    ],
    [
      [
        [0, 0],
        [12, 0],
        [0, 12],
      ],
      0,
    ],
    [
      [
        [5, 5],
        [5, 5],
        [5, 5],
      ],
      3,
    ],
  ] as [[number, number][], number][])('%j: %i pairs closer than 12 px', (points, n) => {
    expect(markerOverlaps(points, 12)).toBe(n);
  });
});
