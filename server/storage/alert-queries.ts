/** The queries over the alert state (server/storage/sql/alert-store.ts and its siblings) and the outbox's item. */
import type { AlertSort, AlertState, MaintenanceStatus, Severity } from '../domain/alert';

export interface AlertQuery {
  state?: AlertState;
  /** true: acknowledged; false: not. */
  acknowledged?: boolean;
  /** true: not closed; false: closed. */
  open?: boolean;
  /** Open and unacknowledged (active or cleared). */
  attention?: boolean;
  suppressed?: boolean;
  severity?: readonly Severity[];
  mn?: string;
  /** Only these sources' alerts (a department's sites); empty: none. */
  mns?: readonly string[];
  enterpriseId?: string;
  rule?: string;
  /** true: an exceedance (any rule but the equipment's, EQUIPMENT_RULES); false: an equipment alert. */
  exceedance?: boolean;
  factor?: string;
  assignee?: string;
  /** openedAt in [from, to). */
  from?: number;
  to?: number;
  /** Text in the MN, enterprise, factor, rule or assignee. */
  q?: string;
  /** With `q`: an alert of these sources, or of these factors, matches too (their names matched the text). */
  qMns?: readonly string[];
  qFactors?: readonly string[];
  /** `newest` (by opening, the default) or `attention` (the wall's order, see byAttention). */
  sort?: AlertSort;
  limit: number;
  offset?: number;
}

/** How many alerts one source opened under one rule (AlertStore.countByRule). */
export interface AlertRuleCount {
  mn: string;
  rule: string;
  count: number;
}

export interface SilenceQuery {
  /** Only silences in force at this time. */
  activeAt?: number;
  limit: number;
}

export interface MaintenanceQuery {
  enterpriseId?: string;
  mn?: string;
  /** Only windows whose [from, to) contains this time. */
  activeAt?: number;
  /** Only windows ending after this time. */
  endingAfter?: number;
  status?: MaintenanceStatus;
  limit: number;
}

/** One notification to one webhook target, kept until delivered (or given up after a max age). */
export interface OutboxItem {
  id: number;
  target: string;
  /** 'opened' or 'escalated'. */
  event: string;
  alertId: number;
  /** The request body, formatted for the target when enqueued. */
  body: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}
