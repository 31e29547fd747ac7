/**
 * What the continuous rollup (continuous-rollup.ts) is built with, and the figures it reports to
 * /metrics.
 */
import type { Logger } from '../logger';
import type { HourlyRollupStore } from '../storage/hourly-rollup';
import type { TelemetryRecordReader } from '../storage/telemetry-store';
import type { ConversionSettings } from './hour-aggregate';

export interface ContinuousRollupOptions {
  records: TelemetryRecordReader;
  store: HourlyRollupStore;
  conversion: (mn: string) => ConversionSettings;
  /** The registered sources: a closing hour is written for each (of those `heardSince` names). */
  sources: () => readonly string[];
  /**
   * An ingest worker (`--role ingest`) closes the hours of the sources it owns only, and those it took
   * in the middle of an hour (its memory missed the beginning) from the raw records: since when it
   * has heard every reading of a source, null when it does not own it. Absent: every source, since start.
   */
  heardSince?: (mn: string) => number | null;
  utcOffsetMinutes: number;
  /** An hour closes once its end plus this has passed. */
  graceMs: () => number;
  settleMs: number;
  maxLateWaitMs: number;
  catchUpMs: number;
  /** The intake is behind (readings wait for the store): late hours wait to be read back from raw (late-hours.ts). */
  intakeBehind?: () => boolean;
  /**
   * After each raw read of the late recompute during which live readings came, a pause of this many
   * times the read's duration: the recompute then takes at most 1 / (1 + latePace) of the time,
   * leaving the rest to live data. Absent: no pause.
   */
  latePace?: number;
  /** How the late recompute pauses (default: a timer). */
  pause?: (ms: number) => Promise<unknown>;
  /** Raw queries in flight at once. */
  concurrency: number;
  now: () => number;
  log: Logger;
  /** A closed day was packed (its report figures can be built now). */
  onDayPacked?: (day: number) => void;
}

export interface RollupStats {
  /** Source-hours written as hours closed (from memory, empty, or from raw). */
  hoursWritten: number;
  /** Of those, computed from the raw records. */
  hoursFromRaw: number;
  /** Source-hours recomputed because late data reached them. */
  lateRecomputes: number;
  /** Source-hours held in memory, and the numbers in their state. */
  memoryEntries: number;
  memoryNumbers: number;
  /** Source-hours waiting for their late recompute. */
  lateQueued: number;
}
