/**
 * Turns rule findings into alerts and officers' actions into alert changes: one open alert per
 * (source, factor, rule), persisted with its history in the state store, each change announced
 * to listeners (the realtime hub, the notifier). The transitions themselves are pure
 * (alert-transition.ts); this class decides suppression, writes, and tells.
 */
import {
  alertKey,
  limitOf,
  OFFLINE_FACTOR,
  OFFLINE_RULE,
  SYSTEM_ACTOR,
  type Alert,
  type AlertHistoryEntry,
  type Finding,
  type HistoryDetail,
  type HistoryKind,
} from '../domain/alert';
import type { AlertEventKind } from '../domain/events';
import { EventBus } from '../domain/internal-events';
import type { Logger } from '../logger';
import type { AlertQuery, StateStore } from '../storage/state-store';
import { act, escalate, transition, type FindingChange, type OfficerAction } from './alert-transition';
import { suppressionFor } from './suppression';
import { SuppressionService, type SilenceInput } from './suppression-service';

export interface AlertServiceOptions {
  /** A critical alert unacknowledged this long after it was recorded is escalated. */
  escalateAfterMs: number;
  now: () => number;
  suppressions?: SuppressionService;
  /** Announces `alert:changed` (and, through the suppressions, `suppression:changed`). */
  events?: EventBus;
  /**
   * Called for each notifiable change (a new unsuppressed alert, an escalation) inside the
   * transaction that records it, so a notification queued in the same store is never lost.
   */
  notify?: (event: 'opened' | 'escalated', alert: Alert) => void;
}

/** The result of an officer's action: the alert, or why it was refused. */
export type ActionResult = { ok: true; alert: Alert } | { ok: false; reason: 'not_found' | 'closed' };

const HISTORY_OF_ACTION: Record<OfficerAction['kind'], HistoryKind> = {
  acknowledge: 'acknowledged',
  assign: 'assigned',
  resolve: 'resolved',
  silence: 'silenced',
};

export class AlertService {
  /** Open alerts by key (mirrors the store: the hot path never reads it). */
  private readonly open = new Map<string, Alert>();
  private readonly events: EventBus;
  private readonly escalateAfterMs: number;
  private readonly now: () => number;
  private readonly notify: NonNullable<AlertServiceOptions['notify']>;
  readonly suppressions: SuppressionService;

  constructor(
    private readonly store: StateStore,
    private readonly log: Logger,
    options: Partial<AlertServiceOptions> = {},
  ) {
    this.escalateAfterMs = options.escalateAfterMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
    this.events = options.events ?? new EventBus();
    this.suppressions = options.suppressions ?? new SuppressionService(store, this.now, this.events);
    this.notify = options.notify ?? (() => undefined);
    for (const a of store.alerts.open()) this.open.set(alertKey(a), a);
  }

  apply(findings: readonly Finding[], enterpriseId: string): void {
    for (const finding of findings) {
      // The common case, a normal value with nothing open, needs no lookup.
      if (finding.type === 'normal' && this.open.size === 0) continue;
      const key = alertKey(finding);
      const now = this.now();
      const change = transition(this.open.get(key), finding, {
        enterpriseId,
        now,
        suppression: () => this.suppressionOf(enterpriseId, finding),
      });
      if (change) this.record(key, change, now);
    }
  }

  private suppressionOf(enterpriseId: string, f: Finding) {
    const facts = this.suppressions.facts(enterpriseId, f.mn, f.ts);
    const offlineKey = alertKey({ mn: f.mn, factor: OFFLINE_FACTOR, rule: OFFLINE_RULE });
    const offline = alertKey(f) !== offlineKey && this.open.get(offlineKey)?.state === 'active';
    return suppressionFor({ mn: f.mn, enterpriseId, factor: f.factor, rule: f.rule }, f.ts, this.now(), { ...facts, offline });
  }

  private record(key: string, change: NonNullable<FindingChange>, now: number): void {
    const entries: Omit<AlertHistoryEntry, 'id' | 'alertId'>[] = [];
    const note = (kind: HistoryKind, detail: HistoryDetail) =>
      entries.push({ mn: change.alert.mn, kind, at: now, actor: SYSTEM_ACTOR, note: null, detail });
    const a = change.alert;
    const measured: HistoryDetail = { code: 'measured', value: a.value, unit: a.unit, limit: limitOf(a), suppressed: a.suppressed };
    const alert = this.store.transaction(() => {
      let saved: Alert;
      if (change.kind === 'opened') {
        saved = this.store.alerts.insert(change.alert);
        note('opened', measured);
        if (saved.suppressed === null) this.notify('opened', saved);
      } else {
        saved = change.alert;
        this.store.alerts.update(saved);
        if (change.kind === 'reactivated') note('reactivated', measured);
        if (change.newPeak) note('peak', { code: 'peak', value: a.peak, unit: a.unit });
        if (change.kind === 'cleared') note('cleared', { code: 'cleared', value: a.value, unit: a.unit });
        if (change.kind === 'cleared' && saved.closedAt !== null) note('resolved', { code: 'closedAfterAcknowledged' });
      }
      for (const e of entries) this.store.history.append({ ...e, alertId: saved.id });
      return saved;
    });
    if (alert.closedAt === null) this.open.set(key, alert);
    else this.open.delete(key);
    if (change.kind === 'opened' || change.kind === 'cleared') {
      this.log.info(
        { alertId: alert.id, mn: alert.mn, factor: alert.factor, rule: alert.rule, value: alert.value, suppressed: alert.suppressed },
        `alert ${change.kind}`,
      );
    }
    const kind: AlertEventKind =
      change.kind === 'opened' ? (alert.suppressed ? 'updated' : 'opened') : change.kind === 'cleared' ? 'cleared' : 'updated';
    this.emit(kind, alert);
  }

  acknowledge(id: number, actor: string, note: string | null = null): ActionResult {
    return this.perform(id, { kind: 'acknowledge' }, actor, note);
  }

  assign(id: number, actor: string, assignee: string | null, note: string | null = null): ActionResult {
    return this.perform(id, { kind: 'assign', assignee }, actor, note, { code: 'assigned', assignee });
  }

  /** Closes the alert ("resolve" in the officer's words). */
  resolve(id: number, actor: string, note: string | null = null): ActionResult {
    return this.perform(id, { kind: 'resolve' }, actor, note);
  }

  /** Silences this alert's (source, factor, rule) until `endsAt` and marks the alert quiet. */
  silence(id: number, actor: string, input: Pick<SilenceInput, 'reason' | 'endsAt'>): ActionResult {
    const current = this.store.alerts.get(id);
    if (!current) return { ok: false, reason: 'not_found' };
    if (current.closedAt !== null) return { ok: false, reason: 'closed' };
    const silence = this.suppressions.createSilence({ mn: current.mn, factor: current.factor, rule: current.rule, ...input }, actor);
    return this.perform(id, { kind: 'silence' }, actor, input.reason, { code: 'silenced', silenceId: silence.id, endsAt: input.endsAt });
  }

  /** A comment (an officer's note, an enterprise's explanation); allowed on closed alerts too. `internal`: for the bureau only. */
  comment(id: number, actor: string, text: string, internal = false): ActionResult & { entry?: AlertHistoryEntry } {
    const alert = this.store.alerts.get(id);
    if (!alert) return { ok: false, reason: 'not_found' };
    const at = this.now();
    const comment = { alertId: id, mn: alert.mn, kind: 'commented' as const, at, actor, note: text };
    const entry = this.store.history.append(internal ? { ...comment, internal } : comment);
    this.emit('updated', alert);
    return { ok: true, alert, entry };
  }

  private perform(
    id: number,
    action: OfficerAction,
    actor: string,
    note: string | null,
    detail: HistoryDetail | null = null,
  ): ActionResult {
    const current = this.store.alerts.get(id);
    if (!current) return { ok: false, reason: 'not_found' };
    const now = this.now();
    const outcome = act(current, action, actor, now);
    if (!outcome.ok) return outcome;
    if (!outcome.changed) return { ok: true, alert: current };
    const alert = outcome.alert;
    this.store.transaction(() => {
      this.store.alerts.update(alert);
      this.store.history.append({ alertId: id, mn: alert.mn, kind: HISTORY_OF_ACTION[action.kind], at: now, actor, note, detail });
      if (action.kind === 'acknowledge' && alert.closedAt !== null) {
        const detail: HistoryDetail = { code: 'closedAfterCleared' };
        this.store.history.append({ alertId: id, mn: alert.mn, kind: 'resolved', at: now, actor, note: null, detail });
      }
    });
    const key = alertKey(alert);
    if (alert.closedAt === null) this.open.set(key, alert);
    else this.open.delete(key);
    this.log.info({ alertId: id, action: action.kind, actor }, 'alert action');
    this.emit('updated', alert);
    return { ok: true, alert };
  }

  /** Escalates the critical alerts left unacknowledged too long; driven by a timer (or a test). */
  tick(now: number = this.now()): Alert[] {
    const escalated: Alert[] = [];
    for (const [key, open] of this.open) {
      const alert = escalate(open, now, this.escalateAfterMs);
      if (!alert) continue;
      this.store.transaction(() => {
        this.store.alerts.update(alert);
        const minutes = Math.round((now - alert.raisedAt) / 60_000);
        const detail: HistoryDetail = { code: 'escalated', minutes };
        this.store.history.append({ alertId: alert.id, mn: alert.mn, kind: 'escalated', at: now, actor: SYSTEM_ACTOR, note: null, detail });
        this.notify('escalated', alert);
      });
      this.open.set(key, alert);
      this.log.warn({ alertId: alert.id, mn: alert.mn, factor: alert.factor }, 'critical alert escalated');
      escalated.push(alert);
    }
    for (const a of escalated) this.emit('escalated', a);
    return escalated;
  }

  private emit(kind: AlertEventKind, alert: Alert): void {
    this.events.emit('alert:changed', { kind, alert });
  }

  /** Open alerts whose condition is still there, newest first (what makes a source "exceeding"). */
  active(): Alert[] {
    return this.openAlerts().filter((a) => a.state === 'active');
  }

  /** Every open alert (active, or cleared but not yet acknowledged), newest first. */
  openAlerts(): Alert[] {
    return [...this.open.values()].sort((a, b) => b.id - a.id);
  }

  list(q: AlertQuery): { items: Alert[]; total: number } {
    return { items: this.store.alerts.list(q), total: this.store.alerts.count(q) };
  }

  get(id: number): Alert | undefined {
    return this.store.alerts.get(id);
  }

  history(id: number): AlertHistoryEntry[] {
    return this.store.history.forAlert(id);
  }

  sourceHistory(mn: string, limit: number, before?: number): AlertHistoryEntry[] {
    return this.store.history.forSource(mn, limit, before);
  }
}
