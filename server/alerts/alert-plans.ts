/**
 * What the alert service writes for each kind of change (pure): the history entries and the
 * notifications of a finding's transition, an officer's action and an escalation, built on the
 * alert as stored, so a write that lost a race is planned again the same way (alert-writes.ts).
 */
import { limitOf, SYSTEM_ACTOR, type Alert, type HistoryDetail, type HistoryKind } from '../domain/alert';
import type { HistoryInput } from '../storage/sql/alert-store';
import type { NewOutboxItem } from '../storage/sql/outbox-store';
import type { ActionOutcome, FindingChange, OfficerAction } from './alert-transition';
import type { AlertWrite } from './alert-writes';

/** The result of an officer's action: the alert, or why it was refused. */
export type ActionResult = { ok: true; alert: Alert } | { ok: false; reason: 'not_found' | 'closed' };

type NotifyOf = (event: 'opened' | 'escalated', alert: Alert) => readonly NewOutboxItem[];

const HISTORY_OF_ACTION: Record<OfficerAction['kind'], HistoryKind> = {
  acknowledge: 'acknowledged',
  assign: 'assigned',
  resolve: 'resolved',
  silence: 'silenced',
};

/**
 * A finding's change as written: the alert, its history (opened, reactivated, peak, cleared,
 * resolved) and, when it opens unsuppressed, its notifications.
 */
export function findingWrite(
  change: FindingChange,
  now: number,
  notify: NotifyOf,
): { kind: NonNullable<FindingChange>['kind']; write: AlertWrite } | null {
  if (!change) return null;
  const a = change.alert;
  const entries: HistoryInput[] = [];
  const note = (kind: HistoryKind, detail: HistoryDetail) =>
    entries.push({ mn: a.mn, kind, at: now, actor: SYSTEM_ACTOR, note: null, detail });
  const measured: HistoryDetail = { code: 'measured', value: a.value, unit: a.unit, limit: limitOf(a), suppressed: a.suppressed };
  if (change.kind === 'opened') {
    note('opened', measured);
    const write = { alert: a, entries, ...(a.suppressed === null ? { notify: (saved: Alert) => notify('opened', saved) } : {}) };
    return { kind: 'opened', write };
  }
  if (change.kind === 'reactivated') note('reactivated', measured);
  if (change.newPeak) note('peak', { code: 'peak', value: a.peak, unit: a.unit });
  if (change.kind === 'cleared') note('cleared', { code: 'cleared', value: a.value, unit: a.unit });
  if (change.kind === 'cleared' && a.closedAt !== null) note('resolved', { code: 'closedAfterAcknowledged' });
  return { kind: change.kind, write: { alert: a, entries } };
}

export interface ActionFacts {
  kind: OfficerAction['kind'];
  actor: string;
  note: string | null;
  detail: HistoryDetail | null;
  now: number;
}

/**
 * An officer's action as written (its history entry; an acknowledgement that closes a cleared alert
 * says so too), or its result when nothing is to be written.
 */
export function actionWrite(
  current: Alert,
  outcome: ActionOutcome,
  f: ActionFacts,
): { write: AlertWrite } | { write: null; result: ActionResult } {
  if (!outcome.ok) return { write: null, result: outcome };
  if (!outcome.changed) return { write: null, result: { ok: true, alert: current } };
  const { alert } = outcome;
  const entries: HistoryInput[] = [
    { mn: alert.mn, kind: HISTORY_OF_ACTION[f.kind], at: f.now, actor: f.actor, note: f.note, detail: f.detail },
  ];
  if (f.kind === 'acknowledge' && alert.closedAt !== null)
    entries.push({ mn: alert.mn, kind: 'resolved', at: f.now, actor: f.actor, note: null, detail: { code: 'closedAfterCleared' } });
  return { write: { alert, entries } };
}

/** An escalation as written: its history entry and its notifications. */
export function escalationWrite(alert: Alert | null | undefined, now: number, notify: NotifyOf): AlertWrite | null {
  if (!alert) return null;
  const minutes = Math.round((now - alert.raisedAt) / 60_000);
  const detail: HistoryDetail = { code: 'escalated', minutes };
  return {
    alert,
    entries: [{ mn: alert.mn, kind: 'escalated', at: now, actor: SYSTEM_ACTOR, note: null, detail }],
    notify: (saved) => notify('escalated', saved),
  };
}
