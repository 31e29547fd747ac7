/**
 * Co-located sources (several outlets of one plant at the same or nearly the same coordinates)
 * would hide one another on the map. They are spread instead, in screen space at the current zoom:
 * markers closer than `spacingPx` form a site, drawn around the site's centre on a ring (up to six)
 * or a sunflower spiral (more), each with its own screen offset (ECharts `symbolOffset`). A spread
 * site that would now touch another is merged with it and laid out again, until no two markers are
 * closer than the spacing. Zooming in separates sites again. Members are placed in the order of
 * their MNs, so a marker never jumps when a status (and with it its series) changes.
 *
 * Chosen over a cluster marker that expands: every outlet stays visible in its own status colour
 * (an exceeding outlet is never folded into a cluster of normal ones) and clickable at once.
 */

export interface ScreenPoint {
  mn: string;
  /** The source's own position on screen, px. */
  x: number;
  y: number;
}

export interface Spread {
  /** Screen offset from the source's own position, px ([right, down]). */
  offset: [number, number];
  /** How many sources share the site (1: alone). */
  siteSize: number;
}

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
const RING_MAX = 6;
const tenth = (x: number): number => Math.round(x * 10) / 10;

/** Offset of the i-th of n markers of one site from the site's centre, px. */
export function siteOffset(i: number, n: number, spacingPx: number): [number, number] {
  if (n <= 1) return [0, 0];
  if (n <= RING_MAX) {
    const radius = spacingPx / (2 * Math.sin(Math.PI / n));
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  }
  const radius = 0.75 * spacingPx * Math.sqrt(i + 0.5);
  return [radius * Math.cos(i * GOLDEN_ANGLE), radius * Math.sin(i * GOLDEN_ANGLE)];
}

/** Index pairs of points closer than `d` (a grid of d-sized cells: near-linear for spread-out maps). */
function closePairs(at: readonly (readonly [number, number])[], d: number): [number, number][] {
  const cells = new Map<string, number[]>();
  const pairs: [number, number][] = [];
  at.forEach(([x, y], i) => {
    const [cx, cy] = [Math.floor(x / d), Math.floor(y / d)];
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of cells.get(`${cx + dx}:${cy + dy}`) ?? []) {
          const [qx, qy] = at[j] as readonly [number, number];
          if (Math.hypot(qx - x, qy - y) < d) pairs.push([j, i]);
        }
      }
    }
    const key = `${cx}:${cy}`;
    cells.set(key, [...(cells.get(key) ?? []), i]);
  });
  return pairs;
}

/** Pairs of markers (screen positions, px) whose centres are closer than `minPx`: hidden ones. */
export const markerOverlaps = (at: readonly (readonly [number, number])[], minPx: number): number => closePairs(at, minPx).length;

/** Each source's offset so that no two markers are closer than `spacingPx`. */
export function spreadSites(points: readonly ScreenPoint[], spacingPx = 16): Map<string, Spread> {
  const sorted = [...points].sort((a, b) => (a.mn < b.mn ? -1 : a.mn > b.mn ? 1 : 0));
  const parent = sorted.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  const union = ([a, b]: [number, number]): void => {
    parent[find(a)] = find(b);
  };
  closePairs(
    sorted.map((p) => [p.x, p.y]),
    spacingPx,
  ).forEach(union);
  for (;;) {
    const placed = layout(sorted, find, spacingPx);
    const touching = closePairs(placed.at, spacingPx - 0.5).filter(([a, b]) => find(a) !== find(b));
    if (touching.length === 0) return placed.spread;
    touching.forEach(union);
  }
}

/** Markers of each site around its centre, in MN order. */
function layout(
  sorted: readonly ScreenPoint[],
  find: (i: number) => number,
  spacingPx: number,
): { at: [number, number][]; spread: Map<string, Spread> } {
  const sites = new Map<number, number[]>();
  sorted.forEach((_, i) => sites.set(find(i), [...(sites.get(find(i)) ?? []), i]));
  const at: [number, number][] = sorted.map((p) => [p.x, p.y]);
  const spread = new Map<string, Spread>();
  for (const members of sites.values()) {
    const cx = members.reduce((s, i) => s + (sorted[i] as ScreenPoint).x, 0) / members.length;
    const cy = members.reduce((s, i) => s + (sorted[i] as ScreenPoint).y, 0) / members.length;
    members.forEach((m, k) => {
      const p = sorted[m] as ScreenPoint;
      if (members.length === 1) {
        spread.set(p.mn, { offset: [0, 0], siteSize: 1 });
        return;
      }
      const [ox, oy] = siteOffset(k, members.length, spacingPx);
      const offset: [number, number] = [tenth(cx + ox - p.x), tenth(cy + oy - p.y)];
      at[m] = [p.x + offset[0], p.y + offset[1]];
      spread.set(p.mn, { offset, siteSize: members.length });
    });
  }
  return { at, spread };
}

/** Whether two spreads place every source alike (then the chart need not be drawn again). */
export function sameSpread(a: ReadonlyMap<string, Spread>, b: ReadonlyMap<string, Spread>): boolean {
  if (a.size !== b.size) return false;
  for (const [mn, s] of a) {
    const t = b.get(mn);
    if (!t || t.siteSize !== s.siteSize || t.offset[0] !== s.offset[0] || t.offset[1] !== s.offset[1]) return false;
  }
  return true;
}
