/**
 * Alerts as the duty officer sees them, and what keeps them quiet (silences, maintenance windows).
 *
 * An alert has two independent axes plus an end:
 *   state        active | cleared — the condition: does the rule still find it?
 *   acknowledged acknowledgedAt/By — has an officer seen it?
 *   closed       closedAt/By — its life is over: an officer resolved it, or it was both cleared
 *                and acknowledged. Only open (not closed) alerts are deduplicated: one per
 *                (source, factor, rule). Open and unacknowledged = needs attention, even cleared.
 * The transitions and their truth tables are in server/alerts/alert-transition.ts.
 */
import { FLAG_RULES, RULE_IDS } from './rule-ids';

export const SEVERITIES = ['info', 'warning', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATES = ['active', 'cleared'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Why an alert was recorded without being announced. */
export const SUPPRESSIONS = ['silence', 'maintenance', 'inhibited'] as const;
export type Suppression = (typeof SUPPRESSIONS)[number];

/** Factor and rule of the alert that inhibits the other alerts of its source while active. */
export const OFFLINE_FACTOR = '*';
export const OFFLINE_RULE = RULE_IDS.offline;

export interface Alert {
  id: number;
  mn: string;
  enterpriseId: string;
  /** Factor code the alert is about (`*` for the whole source, e.g. offline). */
  factor: string;
  /** The rule that raised it, e.g. `limit`. */
  rule: string;
  severity: Severity;
  /** The condition: active while the rule finds it, cleared once a normal value came. */
  state: AlertState;
  /** Latest value compared (converted to reference O2 where the limit says so). */
  value: number;
  /** Worst value seen while open. */
  peak: number;
  limit: number;
  unit: string;
  /** How many exceeding readings this alert has absorbed. */
  count: number;
  /** Epoch ms of the reading that opened it, the latest exceeding one, and the normal one that cleared it. */
  openedAt: number;
  lastSeenAt: number;
  clearedAt: number | null;
  /** Server time the alert was recorded; escalation counts from here. */
  raisedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  /** Username of the officer handling it. */
  assignee: string | null;
  /** Server time a critical alert left unacknowledged was escalated (severity stays). */
  escalatedAt: number | null;
  /** Server time and who ended it ('system' when it ended by clearing after acknowledgement). */
  closedAt: number | null;
  closedBy: string | null;
  /** Recorded but not announced (no `alert:opened`, no notification), and why. */
  suppressed: Suppression | null;
  /** The rule's proof, from the finding that opened or last updated it. */
  evidence: Evidence | null;
}

export const isOpen = (a: Pick<Alert, 'closedAt'>): boolean => a.closedAt === null;
/** Open and not yet acknowledged, whether or not the condition is still there. */
export const needsAttention = (a: Pick<Alert, 'closedAt' | 'acknowledgedAt'>): boolean => a.closedAt === null && a.acknowledgedAt === null;

/** What happened to an alert, in its history. */
export const HISTORY_KINDS = [
  'opened',
  'reactivated',
  'peak',
  'cleared',
  'acknowledged',
  'assigned',
  'commented',
  'resolved',
  'escalated',
  'silenced',
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export interface AlertHistoryEntry {
  id: number;
  alertId: number;
  mn: string;
  kind: HistoryKind;
  /** Server time (epoch ms). */
  at: number;
  /** Username, or 'system' for what the server did by itself. */
  actor: string;
  /** What a person wrote: the comment, the silence's reason, an acknowledgement's note. */
  note: string | null;
  /** A comment for the bureau only (never sent to the enterprise); false or absent: visible to it. */
  internal?: boolean;
  /**
   * What the server recorded, as a code and its parameters (localized by the dashboard). Rows
   * written before this field existed have none: their `note` holds the server's English text.
   */
  detail?: HistoryDetail | null;
}

/** A history entry's facts as data: `{code: 'escalated', minutes: 15}`; the dashboard words them. */
export type HistoryDetail =
  /** opened, reactivated: the value compared, and its limit (null: a flag or state, no limit). */
  | { code: 'measured'; value: number; unit: string; limit: number | null; suppressed: Suppression | null }
  | { code: 'peak'; value: number; unit: string }
  | { code: 'cleared'; value: number; unit: string }
  /** Closed by the system: it cleared after it was acknowledged, or was acknowledged after it cleared. */
  | { code: 'closedAfterAcknowledged' }
  | { code: 'closedAfterCleared' }
  | { code: 'assigned'; assignee: string | null }
  | { code: 'silenced'; silenceId: number; endsAt: number }
  | { code: 'escalated'; minutes: number }
  /**
   * A step of the escalation chain (issue 21): step N (from 1), `minutes` unacknowledged, sent to
   * whoever held the position (or the named user) — `user` is their display name, null when nobody
   * held it — through these channels (none: the person has no contact the server can reach).
   */
  | {
      code: 'escalationStep';
      step: number;
      minutes: number;
      to: 'primary' | 'backup' | 'user';
      user: string | null;
      channels: ('email' | 'sms')[];
    };
export type HistoryDetailCode = HistoryDetail['code'];
export const HISTORY_DETAIL_CODES = [
  'measured',
  'peak',
  'cleared',
  'closedAfterAcknowledged',
  'closedAfterCleared',
  'assigned',
  'silenced',
  'escalated',
  'escalationStep',
] as const satisfies readonly HistoryDetailCode[];

/**
 * An alert raised on a data flag or a device state (FLAG_RULES, rule-ids.ts) rather than against a
 * limit: its `limit` is meaningless (0) and never shown. An alert whose evidence carries the data
 * `flag` is one too.
 */
export { FLAG_RULES } from './rule-ids';
export const isFlagAlert = (a: Pick<Alert, 'rule' | 'evidence'>): boolean =>
  FLAG_RULES.includes(a.rule) || typeof a.evidence?.['flag'] === 'string';
/** The limit an alert was judged against, or null when it has none. */
export const limitOf = (a: Pick<Alert, 'rule' | 'evidence' | 'limit'>): number | null => (isFlagAlert(a) ? null : a.limit);

/**
 * The duty officer's order: open before closed, then the most severe, then unacknowledged, then the
 * newest (id breaks ties). `attention` is the wall's default; `newest` is by opening time only.
 */
export const ALERT_SORTS = ['attention', 'newest'] as const;
export type AlertSort = (typeof ALERT_SORTS)[number];
export function byAttention(a: Alert, b: Alert): number {
  const closed = Number(a.closedAt !== null) - Number(b.closedAt !== null);
  if (closed !== 0) return closed;
  const severity = SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity);
  if (severity !== 0) return severity;
  const acked = Number(a.acknowledgedAt !== null) - Number(b.acknowledgedAt !== null);
  return acked !== 0 ? acked : b.openedAt - a.openedAt || b.id - a.id;
}

export const SYSTEM_ACTOR = 'system';

/** Keeps matching alerts quiet until `endsAt`; null fields match anything (at least one is set). */
export interface Silence {
  id: number;
  mn: string | null;
  factor: string | null;
  rule: string | null;
  reason: string;
  createdBy: string;
  createdAt: number;
  endsAt: number;
}

/**
 * Where a declared maintenance window stands: pending (declared by an enterprise, waiting for an
 * officer), approved (in effect: by an officer, or short and for named outlets), rejected.
 */
export const MAINTENANCE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

/** A declared maintenance period of one source (mn) or a whole enterprise (mn null). Only approved windows quiet alerts. */
export interface MaintenanceWindow {
  id: number;
  enterpriseId: string;
  mn: string | null;
  from: number;
  to: number;
  reason: string;
  declaredBy: string;
  createdAt: number;
  status: MaintenanceStatus;
  /** Who decided and when (an officer; 'system' for a short window approved as declared), and the officer's note or reason. */
  reviewedBy: string | null;
  reviewedAt: number | null;
  reviewNote: string | null;
  /** Who ended it early, and when (its `to` is then that time). */
  endedBy: string | null;
  endedAt: number | null;
}

/** One field of a rule's proof. */
export type EvidenceScalar = string | number | boolean | null;
/** A table in a rule's proof, rows of scalar fields: a hotspot's hours, the sources near it. */
export type EvidenceRows = Record<string, EvidenceScalar>[];
/** What a rule shows the officer as proof: a flat-line's window and samples, an efficiency's rates, a hotspot's sources… */
export type Evidence = Record<string, EvidenceScalar | EvidenceRows>;

/** What a rule concludes about one (source, factor): the alert service turns these into alerts. */
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

/** Someone alerts can be assigned to: an enabled officer or administrator (GET /api/assignees). */
export interface Assignee {
  id: number;
  username: string;
  displayName: string;
}

/** GET /api/alerts/:id: the alert, its history and (of those) its comments. */
export interface AlertDetail {
  alert: Alert;
  history: AlertHistoryEntry[];
  comments: AlertHistoryEntry[];
}

/** GET /api/alerts: one page of the filtered list; nextOffset null on the last page. */
export interface AlertPage {
  items: Alert[];
  total: number;
  limit: number;
  offset: number;
  nextOffset: number | null;
}

/** Why one id of a bulk action was refused: the code the single action would answer. */
export const BULK_REFUSALS = ['not_found', 'conflict'] as const;
/** One id's outcome of a bulk acknowledgement (POST /api/alerts/acknowledge → {results}). */
export type BulkResult = { id: number; ok: true; alert: Alert } | { id: number; ok: false; error: (typeof BULK_REFUSALS)[number] };
