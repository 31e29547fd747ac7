/**
 * Retention and downsampling (issue 20): how long each HJ 212 data kind is kept, and which
 * resolution a series request over a range is answered at. Pure: the config schema, the cut-off of
 * each kind at an instant, and the resolution of a range; the stores and the series route apply them.
 *
 * What is kept how long:
 *   2011 real-time  `realtimeDays` (default 90)      — InfluxDB RP `o3s_realtime`, SQLite pruned
 *   2051 minute     `minuteDays` (default 1,095: 3 y) — InfluxDB RP `o3s_minute`,   SQLite pruned
 *   2061 hour, 2031 day, the reports' hourly rollup: for good (InfluxDB: the database's default RP)
 *   raw HJ 212 frames: `hj212.archiveRetentionDays` (their own period, server/ingest)
 */
import { z } from 'zod';
import { DAY_MS } from './local-time';
import type { DataKind } from './reading';

export const retentionConfigSchema = z
  .object({
    /** Real-time data (2011) kept this many days; 0 = for good. */
    realtimeDays: z.number().int().min(0).max(36_500),
    /** Minute data (2051) kept this many days; 0 = for good. */
    minuteDays: z.number().int().min(0).max(36_500),
    /** InfluxDB 1.x: create retention policies per data kind and write/read through them (false on 2.x/3.x). */
    influxPolicies: z.boolean(),
    /** How often the product's own pruning runs (SQLite; on InfluxDB only for points an upgrade left in the default RP). */
    pruneIntervalMin: z.number().int().min(1).max(1_440),
    /** Rows deleted in one slice at most; a slice that took longer than sliceMs halves it. */
    sliceRows: z.number().int().min(10).max(1_000_000),
    /** The time one slice should take at most (the event loop is blocked meanwhile). */
    sliceMs: z.number().int().min(1).max(10_000),
    /** Pause between slices, so ingest and requests go first. */
    pauseMs: z.number().int().min(0).max(60_000),
  })
  .strict()
  .refine((r) => r.realtimeDays === 0 || r.minuteDays === 0 || r.minuteDays >= r.realtimeDays, {
    message: 'minuteDays must be at least realtimeDays (minute data outlives real-time data)',
    path: ['minuteDays'],
  });

export type RetentionConfig = z.infer<typeof retentionConfigSchema>;

export const DEFAULT_RETENTION: RetentionConfig = {
  realtimeDays: 90,
  minuteDays: 1_095,
  influxPolicies: true,
  pruneIntervalMin: 60,
  sliceRows: 5_000,
  sliceMs: 50,
  pauseMs: 20,
};

/** The data kinds the product prunes; hour (2061) and day (2031) data are kept for good. */
export const PRUNED_KINDS = ['2011', '2051'] as const satisfies readonly DataKind[];
export type PrunedKind = (typeof PRUNED_KINDS)[number];

/** Days a data kind is kept (0 = for good). */
export function keepDays(cn: DataKind, r: Pick<RetentionConfig, 'realtimeDays' | 'minuteDays'>): number {
  if (cn === '2011') return r.realtimeDays;
  if (cn === '2051') return r.minuteDays;
  return 0;
}

/** Points of this kind older than the returned instant may go; null: the kind is kept for good. */
export function cutoffOf(cn: DataKind, r: Pick<RetentionConfig, 'realtimeDays' | 'minuteDays'>, now: number): number | null {
  const days = keepDays(cn, r);
  return days === 0 ? null : now - days * DAY_MS;
}

/**
 * A problem with the periods against the rest of the configuration, or null. The reports' hourly
 * rollup of an hour is computed from its real-time or minute records, and late data up to
 * `ingest.maxPastAgeH` recomputes its hour: the raw data must outlive that window.
 */
export function retentionProblem(r: Pick<RetentionConfig, 'realtimeDays' | 'minuteDays'>, maxPastAgeH: number): string | null {
  const needDays = Math.ceil(maxPastAgeH / 24) + 1;
  for (const [key, days] of [
    ['realtimeDays', r.realtimeDays],
    ['minuteDays', r.minuteDays],
  ] as const) {
    if (days !== 0 && days < needDays) {
      return `retention.${key}: ${days} days is shorter than late data may arrive (ingest.maxPastAgeH ${maxPastAgeH} h); keep at least ${needDays}`;
    }
  }
  return null;
}

export * from './series-resolution';
