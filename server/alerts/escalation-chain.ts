/**
 * The escalation chain (issue 21): an open, announced alert at or above the chain's severity (default
 * critical) that nobody acknowledged goes, step by step, to the next person — step N `afterMin`
 * minutes after the alert was raised, to whoever holds a position on the roster then (primary,
 * backup) or to a named user — by every channel that person can be reached on.
 *
 * Each step is written as an entry of the alert's history (`escalated`, detail `escalationStep`:
 * the dashboard words it) in the same transaction that queues its messages in the outbox: a
 * versioned write of the alert (AlertService.annotate), planned after reading that the step is not
 * there yet, so a step written meanwhile by another process makes the write lose and be planned
 * again. So the chain's state is the history: it survives a restart, and a step is never sent
 * twice. Acknowledging (or closing) the alert stops the chain: the next tick finds nothing to do.
 */
import { SYSTEM_ACTOR, type Alert, type AlertHistoryEntry, type HistoryDetail } from '../domain/alert';
import { atLeast, dueSteps, type EscalationPolicy } from '../domain/duty';
import type { Logger } from '../logger';
import type { NewOutboxItem } from '../storage/sql/outbox-store';
import type { AlertService } from './alert-service';
import { personalTargets, reachable, type PersonalReach } from './alert-routing';
import type { NotifyTarget } from './notifier';
import type { Contacts } from '../domain/duty';

export interface EscalationChainDeps {
  /** Writes a step (AlertService.annotate). */
  alerts: Pick<AlertService, 'annotate'>;
  /** The alert's history as stored (read inside the step's write: not through the service's queue). */
  history: (alertId: number) => Promise<AlertHistoryEntry[]>;
  /** The open alerts as they are now. */
  open: () => readonly Alert[];
  policy: () => EscalationPolicy;
  reach: () => PersonalReach;
  holderOf: (to: EscalationPolicy['steps'][number]['to'], at: number) => string | null;
  contactsOf: (username: string) => Contacts | undefined;
  displayName: (username: string) => string;
  /** The alert's 'escalated' notification for these targets (written in the step's transaction). */
  enqueue: (targets: readonly NotifyTarget[], alert: Alert) => readonly NewOutboxItem[];
  /** After steps were recorded: deliver now, tell the dashboards. */
  recorded: (alerts: readonly Alert[]) => void;
  log: Logger;
}

type StepDetail = Extract<HistoryDetail, { code: 'escalationStep' }>;

const stepsDone = async (deps: EscalationChainDeps, alertId: number): Promise<Set<number>> =>
  new Set((await deps.history(alertId)).flatMap((e) => (e.detail?.code === 'escalationStep' ? [(e.detail as StepDetail).step] : [])));

export class EscalationChain {
  constructor(private readonly deps: EscalationChainDeps) {}

  /** Records and queues every step now due; returns how many. */
  async tick(now: number): Promise<number> {
    const policy = this.deps.policy();
    if (!policy.enabled || policy.steps.length === 0) return 0;
    let recorded = 0;
    const touched: Alert[] = [];
    for (const alert of this.deps.open()) {
      if (alert.acknowledgedAt !== null || alert.closedAt !== null || alert.suppressed !== null) continue;
      if (!atLeast(alert.severity, policy.minSeverity)) continue;
      const due = dueSteps(policy, now - alert.raisedAt);
      if (due.length === 0) continue;
      let n = 0;
      for (const i of due) if (await this.step(alert, policy, i, now)) n++;
      if (n > 0) touched.push(alert);
      recorded += n;
    }
    if (touched.length > 0) this.deps.recorded(touched);
    return recorded;
  }

  /** Step `index` (0-based) of the chain for the alert, unless it was recorded before. */
  private async step(alert: Alert, policy: EscalationPolicy, index: number, now: number): Promise<boolean> {
    const { log } = this.deps;
    const step = policy.steps[index];
    if (!step) return false;
    const number = index + 1;
    // Read first outside the transaction: the common case (done already) writes nothing.
    if ((await stepsDone(this.deps, alert.id)).has(number)) return false;
    const username = this.deps.holderOf(step.to, now);
    const reach = this.deps.reach();
    const contacts = username === null ? undefined : this.deps.contactsOf(username);
    const channels = reachable(contacts, reach);
    const detail: StepDetail = {
      code: 'escalationStep',
      step: number,
      minutes: step.afterMin,
      to: step.to.kind === 'user' ? 'user' : step.to.position,
      user: username === null ? null : this.deps.displayName(username),
      channels,
    };
    const targets = username === null ? [] : personalTargets(username, contacts, reach);
    const written = await this.deps.alerts.annotate(alert.id, async (stored) => {
      if (stored.acknowledgedAt !== null || (await stepsDone(this.deps, stored.id)).has(number)) return null;
      const entry = { mn: stored.mn, kind: 'escalated' as const, at: now, actor: SYSTEM_ACTOR, note: null, detail };
      return { entries: [entry], notify: (saved) => this.deps.enqueue(targets, saved) };
    });
    const done = written !== null;
    if (done) log.warn({ alertId: alert.id, step: number, to: detail.to, user: username, channels }, 'alert escalation step');
    return done;
  }
}
