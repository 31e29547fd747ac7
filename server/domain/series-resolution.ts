/**
 * The resolution a source's series is answered at (retention.ts re-exports it): apart from the
 * retention's zod schema, so that the dashboard names it without loading zod.
 */
import { DAY_MS } from './local-time';
import type { DataKind, SeriesPoint } from './reading';

/** The resolution a series answer comes at: the stored points, or means per local hour or day from the hourly rollup. */
export const SERIES_RESOLUTIONS = ['raw', 'hour', 'day'] as const;
export type SeriesResolution = (typeof SERIES_RESOLUTIONS)[number];

/** GET /api/sources/:mn/series: the points and the resolution they come at. */
export interface SeriesAnswer {
  resolution: SeriesResolution;
  items: SeriesPoint[];
}

/** Ranges of real-time or minute data longer than this are answered from the hourly rollup. */
export const RAW_SERIES_MAX_MS = 7 * DAY_MS;
/** Ranges longer than this are answered with daily means. */
export const HOURLY_SERIES_MAX_MS = 366 * DAY_MS;

/**
 * The resolution a series request is answered at. Hour (2061) and day (2031) data are always the
 * stored points (small, kept for good); real-time and minute data over more than 7 days come as
 * hourly means of the rollup, over more than a year as daily means.
 */
export function seriesResolution(cn: DataKind, from: number, to: number): SeriesResolution {
  if (cn === '2061' || cn === '2031') return 'raw';
  const span = to - from;
  if (span <= RAW_SERIES_MAX_MS) return 'raw';
  return span <= HOURLY_SERIES_MAX_MS ? 'hour' : 'day';
}
