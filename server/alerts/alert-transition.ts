/**
 * How an alert moves: pure functions, with their truth tables here and, row by row, in
 * alert-transition.test.ts. "Open" means not closed; only open alerts are deduplicated.
 *
 * A finding against the open alert of its (source, factor, rule) — `transition`:
 *   open alert         | finding                          | result
 *   none               | exceeded                         | opened (count 1, peak = value, suppression decided now)
 *   none               | normal                           | nothing
 *   active             | exceeded                         | updated (count + 1, latest value, worst peak, last seen, evidence)
 *   cleared            | exceeded, not older than clear   | reactivated (active again, clearedAt null, count + 1; no new announcement)
 *   cleared            | exceeded, older than the clear   | updated (counted, peak; stays cleared)
 *   active, unacked    | normal, not older than last seen | cleared (needs attention until acknowledged)
 *   active, acked      | normal, not older than last seen | cleared and closed by 'system' (nothing left to do)
 *   active             | normal, older than last seen     | nothing (late data)
 *   cleared            | normal                           | nothing
 *
 * An officer's action — `act` (a closed alert refuses them all):
 *   action      | open alert          | result
 *   acknowledge | unacked, active     | acknowledged (stays open: the condition is still there)
 *   acknowledge | unacked, cleared    | acknowledged and closed by the officer
 *   acknowledge | acked               | unchanged
 *   assign      | any                 | assignee set (null unassigns); unchanged if the same
 *   resolve     | any                 | closed by the officer (a later exceedance opens a new alert)
 *   silence     | not suppressed      | suppressed = 'silence' (the silence itself is kept elsewhere)
 *   silence     | already suppressed  | unchanged
 *
 * The clock — `escalate`: an open, unacknowledged, unsuppressed critical alert not yet escalated,
 * recorded at least `afterMs` ago (active or cleared: it still wants an officer) → escalatedAt = now.
 */
import { SYSTEM_ACTOR, type Alert, type Finding, type Suppression } from '../domain/alert';

export interface FindingContext {
  enterpriseId: string;
  /** Server time. */
  now: number;
  /** Whether a new alert is recorded quietly, and why; asked only when one opens. */
  suppression: () => Suppression | null;
}

export type FindingChange =
  { kind: 'opened'; alert: Omit<Alert, 'id'> } | { kind: 'updated' | 'reactivated' | 'cleared'; alert: Alert; newPeak: boolean } | null;

export function transition(open: Alert | undefined, finding: Finding, ctx: FindingContext): FindingChange {
  if (finding.type === 'exceeded') {
    if (!open) {
      return {
        kind: 'opened',
        alert: {
          mn: finding.mn,
          enterpriseId: ctx.enterpriseId,
          factor: finding.factor,
          rule: finding.rule,
          severity: finding.severity,
          state: 'active',
          value: finding.value,
          peak: finding.value,
          limit: finding.limit,
          unit: finding.unit,
          count: 1,
          openedAt: finding.ts,
          lastSeenAt: finding.ts,
          clearedAt: null,
          raisedAt: ctx.now,
          acknowledgedAt: null,
          acknowledgedBy: null,
          assignee: null,
          escalatedAt: null,
          closedAt: null,
          closedBy: null,
          suppressed: ctx.suppression(),
          evidence: finding.evidence ?? null,
        },
      };
    }
    const above = finding.value > finding.limit;
    const peak = above ? Math.max(open.peak, finding.value) : Math.min(open.peak, finding.value);
    const newer = finding.ts >= open.lastSeenAt;
    const reactivates = open.state === 'cleared' && open.clearedAt !== null && finding.ts >= open.clearedAt;
    return {
      kind: reactivates ? 'reactivated' : 'updated',
      newPeak: peak !== open.peak,
      alert: {
        ...open,
        severity: finding.severity,
        state: reactivates ? 'active' : open.state,
        clearedAt: reactivates ? null : open.clearedAt,
        value: newer ? finding.value : open.value,
        peak,
        limit: finding.limit,
        count: open.count + 1,
        lastSeenAt: Math.max(open.lastSeenAt, finding.ts),
        evidence: newer && finding.evidence ? finding.evidence : open.evidence,
      },
    };
  }
  if (!open || open.state === 'cleared' || finding.ts < open.lastSeenAt) return null;
  const acked = open.acknowledgedAt !== null;
  return {
    kind: 'cleared',
    newPeak: false,
    alert: {
      ...open,
      state: 'cleared',
      value: finding.value,
      clearedAt: finding.ts,
      closedAt: acked ? ctx.now : null,
      closedBy: acked ? SYSTEM_ACTOR : null,
    },
  };
}

export type OfficerAction =
  { kind: 'acknowledge' } | { kind: 'assign'; assignee: string | null } | { kind: 'resolve' } | { kind: 'silence' };

export type ActionOutcome = { ok: true; changed: boolean; alert: Alert } | { ok: false; reason: 'closed' };

export function act(alert: Alert, action: OfficerAction, actor: string, now: number): ActionOutcome {
  if (alert.closedAt !== null) return { ok: false, reason: 'closed' };
  const same: ActionOutcome = { ok: true, changed: false, alert };
  switch (action.kind) {
    case 'acknowledge': {
      if (alert.acknowledgedAt !== null) return same;
      const closes = alert.state === 'cleared';
      return {
        ok: true,
        changed: true,
        alert: { ...alert, acknowledgedAt: now, acknowledgedBy: actor, closedAt: closes ? now : null, closedBy: closes ? actor : null },
      };
    }
    case 'assign':
      if (alert.assignee === action.assignee) return same;
      return { ok: true, changed: true, alert: { ...alert, assignee: action.assignee } };
    case 'resolve':
      return { ok: true, changed: true, alert: { ...alert, closedAt: now, closedBy: actor } };
    case 'silence':
      if (alert.suppressed !== null) return same;
      return { ok: true, changed: true, alert: { ...alert, suppressed: 'silence' } };
  }
}

export function escalate(alert: Alert, now: number, afterMs: number): Alert | null {
  const due =
    alert.severity === 'critical' &&
    alert.closedAt === null &&
    alert.acknowledgedAt === null &&
    alert.suppressed === null &&
    alert.escalatedAt === null &&
    now - alert.raisedAt >= afterMs;
  return due ? { ...alert, escalatedAt: now } : null;
}
