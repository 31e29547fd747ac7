/**
 * Turns rule findings into alerts and officers' actions into alert changes: one open alert per
 * (source, factor, rule), persisted with its history in the alert state's store (SQLite or
 * PostgreSQL), each change announced to listeners (the realtime hub, the notifier) once committed.
 * The transitions themselves are pure (alert-transition.ts); this class decides suppression,
 * writes, and tells.
 *
 * The hot path (`apply`, for every reading) decides against memory only: the open alerts as stored
 * (`stored`) and, for keys with writes still queued, the alert as those writes will leave it
 * (`expected`). A change is queued (alert-writes.ts: one serial queue, re-planned on the stored
 * alert when another writer got there first) and never awaited there. Officers' actions go through
 * the same queue and resolve once committed. In a cluster, `onRemoteChange` and `reloadAll` keep
 * the copy in step with other processes (docs/scale-out.md, "Alerts in a cluster").
 */
import {
  alertKey,
  OFFLINE_FACTOR,
  OFFLINE_RULE,
  type Alert,
  type AlertHistoryEntry,
  type Finding,
  type HistoryDetail,
} from '../domain/alert';
import type { AlertEventKind } from '../domain/events';
import { EventBus } from '../domain/internal-events';
import type { Logger } from '../logger';
import type { AlertQuery, AlertRuleCount } from '../storage/alert-queries';
import type { AlertState, VersionedAlert } from '../storage/sql/alert-store';
import type { NewOutboxItem } from '../storage/sql/outbox-store';
import { act, escalate, transition, type FindingContext, type OfficerAction } from './alert-transition';
import { AlertCopy, RECENTLY_CLOSED } from './alert-copy';
import { actionWrite, escalationWrite, findingWrite, type ActionResult } from './alert-plans';
import { SerialQueue, writeChange, type AlertWrite, type Planned } from './alert-writes';
import { suppressionFor } from './suppression';
import { SuppressionService, type SilenceInput } from './suppression-service';

export type { ActionResult } from './alert-plans';

export interface AlertServiceOptions {
  /** A critical alert unacknowledged this long after it was recorded is escalated. */
  escalateAfterMs: number;
  now: () => number;
  suppressions?: SuppressionService;
  /** Announces `alert:changed` (and, through the suppressions, `suppression:changed`). */
  events?: EventBus;
  /**
   * The notifications of a notifiable change (a new unsuppressed alert, an escalation), written in
   * the transaction that records it, so a notification is never lost nor sent for an unrecorded change.
   */
  notify?: (event: 'opened' | 'escalated', alert: Alert) => readonly NewOutboxItem[];
}

export class AlertService {
  /** Open alerts as stored, by key, and the latest closed ones. */
  private readonly stored = new AlertCopy();
  /** For keys with finding writes queued: the alert as they will leave it (null: none open). Not numbered when new. */
  private readonly expected = new Map<string, Alert | null>();
  private readonly queuedPerKey = new Map<string, number>();
  private readonly writes = new SerialQueue();
  private readonly events: EventBus;
  private readonly escalateAfterMs: number;
  private readonly now: () => number;
  private readonly notify: NonNullable<AlertServiceOptions['notify']>;
  readonly suppressions: SuppressionService;
  /** Writes that found the alert changed by another writer and were planned again (a stale copy costs one each). */
  readonly races = { lost: 0 };

  constructor(
    private readonly state: Pick<AlertState, 'alerts' | 'suppressions'>,
    private readonly log: Logger,
    options: Partial<AlertServiceOptions> = {},
  ) {
    this.escalateAfterMs = options.escalateAfterMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
    this.events = options.events ?? new EventBus();
    this.suppressions = options.suppressions ?? new SuppressionService(state.suppressions, this.now, this.events);
    this.notify = options.notify ?? (() => []);
  }

  private get store() {
    return this.state.alerts;
  }

  /** Loads the open alerts and the suppressions from the store; call before use (and when a worker takes partitions). */
  reloadAll(): Promise<void> {
    return this.writes.run(async () => {
      const [open, closed] = await Promise.all([
        this.store.open(),
        this.store.list({ open: false, limit: RECENTLY_CLOSED }),
        this.suppressions.reload(),
      ]);
      this.stored.load(open, closed);
    });
  }

  /**
   * Another process changed this alert (announced through the cluster bus): the copy is read again
   * from the store (so a late or repeated announcement never puts an older alert back); resolves it.
   */
  onRemoteChange(alert: Pick<Alert, 'id'>): Promise<Alert | undefined> {
    return this.writes.run(async () => {
      const fresh = await this.store.get(alert.id);
      if (fresh) this.stored.remember(fresh);
      return fresh?.alert;
    });
  }

  /** Resolves once every write queued so far is committed (or failed). */
  settled(): Promise<void> {
    return this.writes.settled();
  }

  apply(findings: readonly Finding[], enterpriseId: string): void {
    for (const finding of findings) {
      // The common case, a normal value with nothing open, needs no lookup.
      if (finding.type === 'normal' && this.stored.size === 0 && this.expected.size === 0) continue;
      const key = alertKey(finding);
      const open = this.current(key);
      // A normal value clears an active alert only: with none, nothing changes (transition's null).
      if (finding.type === 'normal' && (!open || open.state === 'cleared')) continue;
      // Decided once, against memory as it is now: a write planned again later (queued behind
      // others, or after a lost race) keeps the decision, whatever opened meanwhile.
      let suppression: { of: ReturnType<FindingContext['suppression']> } | undefined;
      const ctx: FindingContext = {
        enterpriseId,
        now: this.now(),
        suppression: () => (suppression ??= { of: this.suppressionOf(enterpriseId, finding) }).of,
      };
      const change = transition(open, finding, ctx);
      if (!change) continue;
      this.expected.set(key, change.alert.closedAt === null ? { id: 0, ...change.alert } : null);
      this.queuedPerKey.set(key, (this.queuedPerKey.get(key) ?? 0) + 1);
      const plan = (open: Alert | undefined): Planned<void> => {
        const write = findingWrite(transition(open, finding, ctx), ctx.now, this.notify);
        return write ? { write: write.write, after: (saved) => this.told(write.kind, saved) } : { write: null, result: undefined };
      };
      this.writes
        .run(() => writeChange(this.store, { base: this.stored.get(key), reload: () => this.openOf(key), plan, ...this.watch(key) }))
        .catch((err: unknown) =>
          this.log.error({ err, mn: finding.mn, factor: finding.factor, rule: finding.rule }, 'alert change not recorded'),
        )
        .finally(() => this.settle(key));
    }
  }

  /** The open alert of a key as the hot path sees it: as queued writes will leave it, else as stored. */
  private current(key: string): Alert | undefined {
    return this.expected.has(key) ? (this.expected.get(key) ?? undefined) : this.stored.get(key)?.alert;
  }

  private settle(key: string): void {
    const n = (this.queuedPerKey.get(key) ?? 1) - 1;
    if (n > 0) return void this.queuedPerKey.set(key, n);
    this.queuedPerKey.delete(key);
    this.expected.delete(key);
  }

  private suppressionOf(enterpriseId: string, f: Finding) {
    const offlineKey = alertKey({ mn: f.mn, factor: OFFLINE_FACTOR, rule: OFFLINE_RULE });
    const offline = alertKey(f) !== offlineKey && this.current(offlineKey)?.state === 'active';
    const facts = { ...this.suppressions.facts(), offline };
    return suppressionFor({ mn: f.mn, enterpriseId, factor: f.factor, rule: f.rule }, f.ts, this.now(), facts);
  }

  /** The open alert of a key as stored now. */
  private async openOf(key: string): Promise<VersionedAlert | undefined> {
    const [mn = '', factor, rule] = key.split('|');
    const rows = await this.store.list({ mn, rule, open: true, limit: 100 });
    const alert = rows.find((a) => a.factor === factor);
    return alert ? this.store.get(alert.id) : undefined;
  }

  private watch(key: string) {
    return {
      seen: (a: VersionedAlert) => this.stored.remember(a),
      lost: (attempt: number) => {
        this.races.lost++;
        this.log.info({ key, attempt }, 'alert changed by another writer: applied again to the stored alert');
      },
    };
  }

  private told(kind: 'opened' | 'updated' | 'reactivated' | 'cleared', alert: Alert): void {
    if (kind === 'opened' || kind === 'cleared') {
      this.log.info(
        { alertId: alert.id, mn: alert.mn, factor: alert.factor, rule: alert.rule, value: alert.value, suppressed: alert.suppressed },
        `alert ${kind}`,
      );
    }
    const event: AlertEventKind =
      kind === 'opened' ? (alert.suppressed ? 'updated' : 'opened') : kind === 'cleared' ? 'cleared' : 'updated';
    this.emit(event, alert);
  }

  acknowledge(id: number, actor: string, note: string | null = null): Promise<ActionResult> {
    return this.perform(id, { kind: 'acknowledge' }, actor, note);
  }

  assign(id: number, actor: string, assignee: string | null, note: string | null = null): Promise<ActionResult> {
    return this.perform(id, { kind: 'assign', assignee }, actor, note, { code: 'assigned', assignee });
  }

  /** Closes the alert ("resolve" in the officer's words). */
  resolve(id: number, actor: string, note: string | null = null): Promise<ActionResult> {
    return this.perform(id, { kind: 'resolve' }, actor, note);
  }

  /** Silences this alert's (source, factor, rule) until `endsAt` and marks the alert quiet. */
  async silence(id: number, actor: string, input: Pick<SilenceInput, 'reason' | 'endsAt'>): Promise<ActionResult> {
    const current = await this.store.get(id);
    if (!current) return { ok: false, reason: 'not_found' };
    const { alert } = current;
    if (alert.closedAt !== null) return { ok: false, reason: 'closed' };
    const silence = await this.suppressions.createSilence({ mn: alert.mn, factor: alert.factor, rule: alert.rule, ...input }, actor);
    return this.perform(id, { kind: 'silence' }, actor, input.reason, { code: 'silenced', silenceId: silence.id, endsAt: input.endsAt });
  }

  /** A comment (an officer's note, an enterprise's explanation); allowed on closed alerts too. `internal`: for the bureau only. */
  async comment(id: number, actor: string, text: string, internal = false): Promise<ActionResult & { entry?: AlertHistoryEntry }> {
    const found = await this.store.get(id);
    if (!found) return { ok: false, reason: 'not_found' };
    const { alert } = found;
    const comment = { alertId: id, mn: alert.mn, kind: 'commented' as const, at: this.now(), actor, note: text, detail: null };
    const entry = await this.store.append(internal ? { ...comment, internal } : comment);
    this.emit('updated', alert);
    return { ok: true, alert, entry };
  }

  private async perform(
    id: number,
    action: OfficerAction,
    actor: string,
    note: string | null,
    detail: HistoryDetail | null = null,
  ): Promise<ActionResult> {
    const found = await this.store.get(id);
    if (!found) return { ok: false, reason: 'not_found' };
    const key = alertKey(found.alert);
    const now = this.now();
    const plan = (alert: Alert | undefined): Planned<ActionResult> => {
      if (!alert) return { write: null, result: { ok: false, reason: 'not_found' } };
      const planned = actionWrite(alert, act(alert, action, actor, now), { kind: action.kind, actor, note, detail, now });
      if (!planned.write) return planned;
      return {
        write: planned.write,
        after: (saved) => {
          this.log.info({ alertId: id, action: action.kind, actor }, 'alert action');
          this.emit('updated', saved);
          return { ok: true, alert: saved };
        },
      };
    };
    return this.writes.run(async () => {
      const mine = this.stored.get(key);
      const base = mine?.alert.id === id ? mine : await this.store.get(id);
      return writeChange(this.store, { base, reload: () => this.store.get(id), plan, ...this.watch(key) });
    });
  }

  /**
   * Records entries on an open alert without changing it (an escalation step), with their
   * notifications, as a versioned write: `plan` decides on the alert as stored (null: nothing to
   * record, e.g. the step is there already) and is asked again if another writer changed it meanwhile.
   */
  annotate(id: number, plan: (alert: Alert) => Promise<Omit<AlertWrite, 'alert'> | null>): Promise<Alert | null> {
    return this.writes.run(async () => {
      const found = await this.store.get(id);
      if (!found) return null;
      const planned = async (alert: Alert | undefined): Promise<Planned<Alert | null>> => {
        const write = alert && alert.closedAt === null ? await plan(alert) : null;
        return alert && write ? { write: { ...write, alert }, after: (saved) => saved } : { write: null, result: null };
      };
      return writeChange(this.store, {
        base: found,
        reload: () => this.store.get(id),
        plan: planned,
        ...this.watch(alertKey(found.alert)),
      });
    });
  }

  /** Escalates the critical alerts left unacknowledged too long; driven by a timer (or a test). */
  async tick(now: number = this.now()): Promise<Alert[]> {
    const escalated: Alert[] = [];
    for (const [key, open] of this.stored.entries()) {
      if (!escalate(open.alert, now, this.escalateAfterMs)) continue;
      const plan = (alert: Alert | undefined): Planned<Alert | null> => {
        const write = escalationWrite(alert && escalate(alert, now, this.escalateAfterMs), now, this.notify);
        return write ? { write, after: (saved) => saved } : { write: null, result: null };
      };
      const base = () => this.stored.get(key);
      const saved = await this.writes.run(() =>
        writeChange(this.store, { base: base(), reload: () => this.openOf(key), plan, ...this.watch(key) }),
      );
      if (!saved) continue;
      this.log.warn({ alertId: saved.id, mn: saved.mn, factor: saved.factor }, 'critical alert escalated');
      this.emit('escalated', saved);
      escalated.push(saved);
    }
    return escalated;
  }

  private emit(kind: AlertEventKind, alert: Alert): void {
    this.events.emit('alert:changed', { kind, alert });
  }

  /** Open alerts whose condition is still there, newest first (what makes a source "exceeding"). */
  active(): Alert[] {
    return this.openAlerts().filter((a) => a.state === 'active');
  }

  /** Every open alert as stored (active, or cleared but not yet acknowledged), newest first. */
  openAlerts(): Alert[] {
    return this.stored.openAlerts();
  }

  /** The latest closed alerts known here (at most RECENTLY_CLOSED), newest first. */
  recentlyClosed(): Alert[] {
    return this.stored.recentlyClosed();
  }

  /** Alerts matching the query (after this process's queued writes). */
  async list(q: AlertQuery): Promise<{ items: Alert[]; total: number }> {
    await this.settled();
    const [items, total] = await Promise.all([this.store.list(q), this.store.count(q)]);
    return { items, total };
  }

  /** Alerts matching the query counted per source and rule (after this process's queued writes). */
  async countByRule(q: Omit<AlertQuery, 'limit'>): Promise<AlertRuleCount[]> {
    await this.settled();
    return this.store.countByRule(q);
  }

  async get(id: number): Promise<Alert | undefined> {
    await this.settled();
    return (await this.store.get(id))?.alert;
  }

  async history(id: number): Promise<AlertHistoryEntry[]> {
    await this.settled();
    return this.store.forAlert(id);
  }

  async sourceHistory(mn: string, limit: number, before?: number): Promise<AlertHistoryEntry[]> {
    await this.settled();
    return this.store.forSource(mn, limit, before);
  }
}
