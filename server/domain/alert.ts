/** Alerts as the duty officer sees them. */
export const SEVERITIES = ['info', 'warning', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATES = ['active', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface Alert {
  id: number;
  mn: string;
  enterpriseId: string;
  /** Factor code the alert is about. */
  factor: string;
  /** The rule that raised it, e.g. `limit`. */
  rule: string;
  severity: Severity;
  state: AlertState;
  /** Latest value compared (converted to reference O2 where the limit says so). */
  value: number;
  /** Highest value seen while open. */
  peak: number;
  limit: number;
  unit: string;
  /** How many exceeding readings this alert has absorbed. */
  count: number;
  /** Epoch ms of the reading that opened it, the latest one, and the one that resolved it. */
  openedAt: number;
  lastSeenAt: number;
  resolvedAt: number | null;
}

/** What a rule concludes about one (source, factor): the alert service turns these into alerts. */
/** What a rule shows the officer as proof: a flat-line's window and samples, an efficiency's rates… */
export type Evidence = Record<string, string | number | boolean | null>;

export type Finding =
  | {
      type: 'exceeded';
      mn: string;
      factor: string;
      rule: string;
      severity: Severity;
      value: number;
      limit: number;
      unit: string;
      ts: number;
      evidence?: Evidence;
    }
  | { type: 'normal'; mn: string; factor: string; rule: string; value: number; ts: number };

export const alertKey = (a: { mn: string; factor: string; rule: string }): string => `${a.mn}|${a.factor}|${a.rule}`;
