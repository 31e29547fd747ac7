/** Durable application state: alerts and their history, silences, maintenance windows, the notification outbox. */
import type {
  Alert,
  AlertHistoryEntry,
  AlertSort,
  AlertState,
  MaintenanceStatus,
  MaintenanceWindow,
  Severity,
  Silence,
} from '../domain/alert';
import type { DeliveryState } from '../domain/notify-target';

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
  factor?: string;
  assignee?: string;
  /** openedAt in [from, to). */
  from?: number;
  to?: number;
  /** Text in the MN, enterprise, factor, rule or assignee. */
  q?: string;
  /** `newest` (by opening, the default) or `attention` (the wall's order, see byAttention). */
  sort?: AlertSort;
  limit: number;
  offset?: number;
}

export interface AlertTable {
  /** Alerts matching the query, newest first (or in `q.sort` order). */
  list(q: AlertQuery): Alert[];
  /** How many match, ignoring limit and offset. */
  count(q: AlertQuery): number;
  get(id: number): Alert | undefined;
  /** Every open (not closed) alert. */
  open(): Alert[];
  insert(a: Omit<Alert, 'id'>): Alert;
  update(a: Alert): void;
}

export interface AlertHistoryTable {
  append(e: Omit<AlertHistoryEntry, 'id'>): AlertHistoryEntry;
  /** Oldest first. */
  forAlert(alertId: number): AlertHistoryEntry[];
  /** Newest first, entries with id below `before` when given. */
  forSource(mn: string, limit: number, before?: number): AlertHistoryEntry[];
}

export interface SilenceQuery {
  /** Only silences in force at this time. */
  activeAt?: number;
  limit: number;
}

export interface SilenceTable {
  insert(s: Omit<Silence, 'id'>): Silence;
  update(s: Silence): void;
  get(id: number): Silence | undefined;
  /** Newest first. */
  list(q: SilenceQuery): Silence[];
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

export interface MaintenanceTable {
  insert(w: Omit<MaintenanceWindow, 'id'>): MaintenanceWindow;
  update(w: MaintenanceWindow): void;
  get(id: number): MaintenanceWindow | undefined;
  /** Pending first, then newest first. */
  list(q: MaintenanceQuery): MaintenanceWindow[];
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

export interface OutboxTable {
  enqueue(items: readonly Omit<OutboxItem, 'id' | 'attempts' | 'lastError'>[]): void;
  /** Pending items whose next attempt is due, oldest first; none of a target while an older one of it waits. */
  due(now: number, limit: number): OutboxItem[];
  delivered(id: number, at: number): void;
  /** A failed attempt made at `at`: retried at `nextAttemptAt`. */
  retryLater(id: number, attempts: number, nextAttemptAt: number, error: string, at?: number): void;
  /** A failed attempt made at `at`, and the item given up. */
  abandon(id: number, at: number, error: string): void;
  /** Gives up every pending item of a target (it was deleted) without an attempt; returns how many. */
  abandonTarget(target: string, at: number, reason: string): number;
  /** Per target (the outbox's `target` key): counts, the last error and when, the last delivery. */
  deliveryStats(): Map<string, DeliveryState>;
  /** Items neither delivered nor abandoned. */
  pending(): number;
}

export interface StateStore {
  readonly alerts: AlertTable;
  readonly history: AlertHistoryTable;
  readonly silences: SilenceTable;
  readonly maintenance: MaintenanceTable;
  readonly outbox: OutboxTable;
  /** Runs `fn` in one transaction (all of it is written, or none). */
  transaction<T>(fn: () => T): T;
  close(): void;
}
