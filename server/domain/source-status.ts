/**
 * A source's status, computed in one place for the server (the directory, the source list, the
 * snapshot) and the dashboard (the overview's finer status):
 *   nodata     never reported (no latest value);
 *   offline    the latest value is older than `offlineAfterIntervals` reporting intervals;
 *   exceeding  it has an active alert;
 *   normal     none of these.
 * The overview refines it with what the dashboard knows of the alerts and maintenance windows
 * (`overviewStatus`). Pure.
 */
import { OFFLINE_RULE, type Alert } from './alert';
import type { SourceStatusKind } from './events';

export interface StatusInput {
  /** The source's reporting interval, seconds (registry intervalS). */
  intervalS: number;
  /** Epoch ms of its latest real-time value; null: none. */
  latestTs: number | null;
  /** An active alert is open for it. */
  exceeding: boolean;
}

/** The status of a source at `now` (see the file's head). */
export function sourceStatus(s: StatusInput, now: number, offlineAfterIntervals: number): SourceStatusKind {
  if (s.latestTs === null) return 'nodata';
  if (now - s.latestTs > s.intervalS * 1000 * offlineAfterIntervals) return 'offline';
  return s.exceeding ? 'exceeding' : 'normal';
}

/** The status after a new real-time value arrived: a source that reports is no longer offline or without data. */
export function statusAfterReading(said: SourceStatusKind): SourceStatusKind {
  return said === 'offline' || said === 'nodata' ? 'normal' : said;
}

/**
 * The status the server last said, kept honest by the alerts between two of its snapshots: a
 * reporting source is exceeding exactly while it has an active alert (`activeAlert` null: the
 * alert list is not in sync yet, keep what was said).
 */
export function statusWithAlerts(said: SourceStatusKind, activeAlert: boolean | null): SourceStatusKind {
  if (said === 'offline' || said === 'nodata' || activeAlert === null) return said;
  return activeAlert ? 'exceeding' : 'normal';
}

export const OVERVIEW_STATUSES = ['normal', 'exceeding', 'offline', 'maintenance', 'fault', 'nodata'] as const;
export type OverviewStatus = (typeof OVERVIEW_STATUSES)[number];

export const FAULT_RULE = 'instrument-fault';
export const MAINTENANCE_FLAG_RULE = 'maintenance-flag';
/** Rules that report on the equipment (logger offline, instrument fault, maintenance flag), not on an emission: not exceedances. */
export const EQUIPMENT_RULES: readonly string[] = [OFFLINE_RULE, FAULT_RULE, MAINTENANCE_FLAG_RULE];

/**
 * The overview's status of an outlet, the first that applies:
 *   offline      an active `offline` alert, or the status says offline;
 *   maintenance  a declared window covers it now, or an active `maintenance-flag` alert;
 *   nodata       never reported;
 *   fault        an active `instrument-fault` alert;
 *   exceeding    any other active alert;
 *   normal       none of these.
 * (An offline logger's other alerts are inhibited; alerts inside maintenance are expected.)
 */
export function overviewStatus(
  status: SourceStatusKind,
  activeAlerts: readonly Pick<Alert, 'rule' | 'state' | 'closedAt'>[],
  inMaintenanceWindow: boolean,
): OverviewStatus {
  const rules = new Set(activeAlerts.filter((a) => a.state === 'active' && a.closedAt === null).map((a) => a.rule));
  if (rules.has(OFFLINE_RULE) || status === 'offline') return 'offline';
  if (inMaintenanceWindow || rules.has(MAINTENANCE_FLAG_RULE)) return 'maintenance';
  if (status === 'nodata') return 'nodata';
  if (rules.has(FAULT_RULE)) return 'fault';
  if (rules.size > 0) return 'exceeding';
  return 'normal';
}
