/**
 * Map points clustered on a grid of `cellDeg`-degree cells: at a province's 20,000 outlets the
 * overview's map draws one mark per occupied cell (its count written on it), coloured by the most
 * pressing status among its outlets, at its outlets' mean position. Zooming in makes the cells
 * smaller (the caller sets cellDeg from the pixels per degree), until each outlet stands alone.
 */
import type { OverviewStatus } from '../../stores/source-status';

export interface MapPoint {
  mn: string;
  lon: number;
  lat: number;
  status: OverviewStatus;
}

export interface PointCluster {
  lon: number;
  lat: number;
  count: number;
  status: OverviewStatus;
  /** The outlet of a cluster of one (null for more). */
  mn: string | null;
}

/** Which status a cluster shows: the first of these among its outlets. */
export const STATUS_PRECEDENCE: readonly OverviewStatus[] = ['exceeding', 'fault', 'offline', 'maintenance', 'nodata', 'normal'];
const rank = new Map(STATUS_PRECEDENCE.map((s, i) => [s, i]));

interface Cell {
  lon: number;
  lat: number;
  count: number;
  status: OverviewStatus;
  mn: string;
}

export function clusterPoints(points: readonly MapPoint[], cellDeg: number): PointCluster[] {
  const cells = new Map<string, Cell>();
  for (const p of points) {
    const key = `${Math.floor(p.lon / cellDeg)}:${Math.floor(p.lat / cellDeg)}`;
    const c = cells.get(key);
    if (!c) {
      cells.set(key, { lon: p.lon, lat: p.lat, count: 1, status: p.status, mn: p.mn });
      continue;
    }
    c.lon += p.lon;
    c.lat += p.lat;
    c.count += 1;
    if ((rank.get(p.status) ?? 0) < (rank.get(c.status) ?? 0)) c.status = p.status;
  }
  return [...cells.values()].map((c) => ({
    lon: c.lon / c.count,
    lat: c.lat / c.count,
    count: c.count,
    status: c.status,
    mn: c.count === 1 ? c.mn : null,
  }));
}

/** Mark size, px: 10 for one outlet, growing with the count's logarithm. */
export const clusterSize = (count: number): number => Math.round(10 + 6 * Math.log10(count));
