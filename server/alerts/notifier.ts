/**
 * Notifications through an outbox: each notifiable alert event (opened and not suppressed,
 * escalated) is written for every enabled target in the alert state's store, in the transaction
 * of the change (outbox-store.ts); the dispatcher reads the outbox and delivers what is due, in
 * order, and on failure retries with exponential backoff (attempts and next attempt time
 * persisted, so a restart resumes). An item is given up only
 * after `maxAgeMs`, with an error log, and counted.
 *
 * The targets are read live (issue 14: administered in the UI): `targets` is asked at every
 * enqueue and delivery, so a new, changed or disabled target counts from the next event on. A
 * queued item names its target by id (by name for items queued before targets had ids) and goes
 * to the target's current URL; a disabled target still gets what was queued before; the items of
 * a deleted target are given up (`giveUpTarget`, or at their next attempt), counted and logged.
 *
 * Issue 21: a target is a webhook, an email (through EmailChannel: SMTP) or an SMS (through
 * AliyunSms). The outbox row's body is what the channel sends (the webhook's JSON body, the email's
 * {subject, text}, the SMS template's variables), fixed when queued. A refusal that a retry cannot
 * change (an SMTP 5xx, an SMS template or number refused) fails the notification at once, without
 * retries: given up, counted and logged like one past its max age.
 */
import type { Alert } from '../domain/alert';
import type { Logger } from '../logger';
import type { OutboxItem } from '../storage/alert-queries';
import type { NewOutboxItem, OutboxStore } from '../storage/sql/outbox-store';
import type { EmailSettings, SmsSettings, SmsTemplateParams } from '../domain/notify-channels';
import { EMPTY_DELIVERY, type DeliveryState, type MessageChannel, type NotifyTestResult } from '../domain/notify-target';
import type { AliyunSms } from './aliyun-sms';
import { permanentFailure, retryable, type DeliveryOutcome } from './delivery-outcome';
import type { EmailChannel } from './email-channel';
import { postWebhook } from './webhook-channel';
import {
  emailOf,
  formatNotification,
  smsParamsOf,
  testEmail,
  testNotification,
  testSmsParams,
  type EmailMessage,
  type NotifyEvent,
  type NotifyFormat,
  type SourceLabel,
} from './notify-format';

export type NotifyTarget = {
  /** The outbox key (default: the name, for fixed targets). */
  id?: string;
  name: string;
  /** false: no new notifications (default true). */
  enabled?: boolean;
} & ({ kind?: 'webhook'; url: string; format: NotifyFormat } | { kind: 'email'; email: EmailSettings } | { kind: 'sms'; sms: SmsSettings });

const keyOf = (t: NotifyTarget): string => t.id ?? t.name;

export interface NotifierOptions {
  /** The targets, or how to read the current ones (asked at every enqueue and delivery). */
  targets: readonly NotifyTarget[] | (() => readonly NotifyTarget[]);
  timeoutMs: number;
  /** First retry after this long; doubled per failed attempt up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** An item still undelivered this long after it was enqueued is given up. */
  maxAgeMs: number;
}

export interface NotifierDeps {
  outbox: OutboxStore;
  log: Logger;
  now: () => number;
  label?: (mn: string) => SourceLabel;
  fetch?: typeof fetch;
  /** How email and SMS targets are reached (without one, their notifications fail for good). */
  email?: Pick<EmailChannel, 'send' | 'canSend'>;
  sms?: Pick<AliyunSms, 'send' | 'configured'>;
  /**
   * Whether this process delivers the outbox now (in a cluster: while it holds the jobs lease,
   * server/cluster/job-lease.ts; default always). A process that does not only enqueues.
   */
  mayDeliver?: () => boolean;
}

/** What the outbox keeps for a target: the body its channel sends. */
function bodyOf(target: NotifyTarget, event: NotifyEvent, alert: Alert, label: SourceLabel): string {
  switch (target.kind) {
    case 'email':
      return JSON.stringify(emailOf(event, alert, label));
    case 'sms':
      return JSON.stringify(smsParamsOf(event, alert, label));
    default:
      return JSON.stringify(formatNotification(target.format, event, alert, label));
  }
}

function testBodyOf(target: NotifyTarget, at: number): string {
  switch (target.kind) {
    case 'email':
      return JSON.stringify(testEmail(target.name, at));
    case 'sms':
      return JSON.stringify(testSmsParams(target.name, at));
    default:
      return JSON.stringify(testNotification(target.format, target.name, at));
  }
}

/** Delay before attempt `attempts + 1`, after `attempts` failures. */
export const backoffMs = (attempts: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));

export class Notifier {
  readonly stats = { enqueued: 0, delivered: 0, failedAttempts: 0, abandoned: 0 };
  private readonly targets: () => readonly NotifyTarget[];
  private readonly fetchFn: typeof fetch;
  private running: Promise<number> | null = null;
  /** Messages being written to the outbox (enqueueMessage): idle() waits for them. */
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly opts: NotifierOptions,
    private readonly deps: NotifierDeps,
  ) {
    const { targets } = opts;
    this.targets = typeof targets === 'function' ? targets : () => targets;
    this.fetchFn = deps.fetch ?? fetch;
  }

  /** Items neither delivered nor abandoned. */
  pending(): Promise<number> {
    return this.deps.outbox.pending();
  }

  /**
   * The alert's notification for every enabled target, formatted for each: the outbox items the
   * alert service writes in the transaction of the change (server/storage/sql/alert-store.ts).
   */
  itemsFor(event: NotifyEvent, alert: Alert): NewOutboxItem[] {
    return this.itemsTo(
      this.targets().filter((t) => t.enabled !== false),
      event,
      alert,
    );
  }

  /** Queues the alert's notification for every enabled target now, outside an alert change (a resend, a test). */
  async enqueue(event: NotifyEvent, alert: Alert): Promise<void> {
    await this.deps.outbox.enqueue(this.itemsFor(event, alert));
  }

  /** The alert's notification for these targets only (a person's own email or SMS: server/alerts/alert-routing.ts). */
  itemsTo(targets: readonly NotifyTarget[], event: NotifyEvent, alert: Alert): NewOutboxItem[] {
    const now = this.deps.now();
    const label = targets.length ? (this.deps.label?.(alert.mn) ?? {}) : {};
    this.stats.enqueued += targets.length;
    return targets.map((t) => ({
      target: keyOf(t),
      event,
      alertId: alert.id,
      body: bodyOf(t, event, alert, label),
      createdAt: now,
      nextAttemptAt: now,
    }));
  }

  /**
   * Any other notification (a warning issued, changed or lifted: issue 17): one outbox item per enabled
   * target, its body formatted for the target, delivered like an alert's. `refId` is what it is about
   * (kept in the outbox's alert id column, with `event` saying what kind of thing it is). Not to SMS
   * targets (MessageChannel). Returns how many are queued: they are written in the background and
   * delivered once written (idle() waits for the write).
   */
  enqueueMessage(event: string, refId: number, bodyOf: (channel: MessageChannel) => unknown): number {
    return this.enqueueMessageTo(
      this.targets().filter((t) => t.enabled !== false),
      event,
      refId,
      bodyOf,
    );
  }

  /** A message (as enqueueMessage) for these targets only (a person's own email: a notice to their enterprise). */
  enqueueMessageTo(to: readonly NotifyTarget[], event: string, refId: number, bodyOf: (channel: MessageChannel) => unknown): number {
    const targets = to.filter((t): t is Exclude<NotifyTarget, { kind: 'sms' }> => t.kind !== 'sms');
    if (targets.length === 0) return 0;
    const now = this.deps.now();
    const items = targets.map((t) => ({
      target: keyOf(t),
      event,
      alertId: refId,
      body: JSON.stringify(bodyOf(t.kind === 'email' ? 'email' : t.format)),
      createdAt: now,
      nextAttemptAt: now,
    }));
    this.stats.enqueued += targets.length;
    const written = this.deps.outbox
      .enqueue(items)
      .then(() => this.kick())
      .catch((err: unknown) => this.deps.log.error({ err, event, refId }, 'notification not queued'))
      .finally(() => this.writing.delete(written));
    this.writing.add(written);
    return targets.length;
  }

  /**
   * A target was deleted: every notification still queued for it (by id, and by name for items
   * queued before targets had ids) is given up now, counted and logged. Returns how many.
   */
  async giveUpTarget(target: { id: string; name: string }): Promise<number> {
    const at = this.deps.now();
    const reason = `the notification target "${target.name}" was deleted`;
    let n = 0;
    for (const key of new Set([target.id, target.name])) n += await this.deps.outbox.abandonTarget(key, at, reason);
    this.stats.abandoned += n;
    if (n > 0)
      this.deps.log.warn(
        { target: target.name, targetId: target.id, abandoned: n },
        'notification target deleted: its queued notifications were given up',
      );
    return n;
  }

  /** Delivery state per target id (items queued under the target's name before it had an id count too). */
  async deliveryOf(targets: readonly { id: string; name: string }[]): Promise<Map<string, DeliveryState>> {
    const stats = await this.deps.outbox.deliveryStats();
    return new Map(targets.map((t) => [t.id, mergeDelivery(stats.get(t.id), t.name === t.id ? undefined : stats.get(t.name))]));
  }

  /**
   * Why this server cannot reach the target (no SMTP server for an email target that names none, no
   * AccessKey for SMS), or null: the REST API refuses such a target rather than queue what cannot go.
   */
  unreachable(target: NotifyTarget): string | null {
    if (target.kind === 'email' && !this.deps.email?.canSend(target.email))
      return 'no SMTP server: configure alerts.notify.email or give the target its own';
    if (target.kind === 'sms' && !this.deps.sms?.configured) return 'SMS is not configured: set alerts.notify.sms (AccessKey)';
    return null;
  }

  /** Sends a test message to `target` now (not through the outbox) and says how it went. */
  async sendTest(target: NotifyTarget): Promise<NotifyTestResult> {
    const started = this.deps.now();
    const { status, error } = await this.send(target, testBodyOf(target, started));
    const ms = Math.max(0, this.deps.now() - started);
    this.deps.log.info({ target: target.name, status, error }, 'test notification sent');
    return { ok: error === null, status, error, ms };
  }

  /** Delivers every due item once (one pass; a pass already running is joined). Resolves with the number delivered. */
  dispatch(): Promise<number> {
    if (this.deps.mayDeliver?.() === false) return this.running ?? Promise.resolve(0);
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  /** Starts a pass in the background; a failure is logged, and the next pass tries again. */
  kick(): void {
    this.dispatch().catch((err: unknown) => this.deps.log.error({ err }, 'notification pass failed'));
  }

  /** Resolves once no message is being written and no pass is running. */
  async idle(): Promise<void> {
    await Promise.all(this.writing);
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    let delivered = 0;
    const now = this.deps.now();
    const failedTargets = new Set<string>();
    for (const item of await this.deps.outbox.due(now, 100)) {
      // Keep a target's notifications in order: once one fails, the rest of it waits for the next pass.
      if (failedTargets.has(item.target)) continue;
      const { error, permanent } = await this.deliver(item);
      const at = this.deps.now();
      if (error === null) {
        await this.deps.outbox.delivered(item.id, at);
        this.stats.delivered++;
        delivered++;
        continue;
      }
      if (permanent) {
        await this.failForGood(item, error, at);
        continue;
      }
      failedTargets.add(item.target);
      await this.fail(item, error, at);
    }
    return delivered;
  }

  private async fail(item: OutboxItem, error: string, at: number): Promise<void> {
    const attempts = item.attempts + 1;
    this.stats.failedAttempts++;
    const targetName = this.targetOf(item)?.name;
    const gone = targetName === undefined;
    if (gone || at - item.createdAt >= this.opts.maxAgeMs) {
      await this.deps.outbox.abandon(item.id, at, error);
      this.stats.abandoned++;
      this.deps.log.error(
        { outboxId: item.id, target: item.target, targetName, alertId: item.alertId, event: item.event, attempts, error },
        gone ? 'notification given up: its target was deleted' : 'notification given up after its max age',
      );
      return;
    }
    const next = at + backoffMs(attempts, this.opts.retryBaseMs, this.opts.retryMaxMs);
    await this.deps.outbox.retryLater(item.id, attempts, next, error, at);
    this.deps.log.warn(
      { outboxId: item.id, target: item.target, targetName, alertId: item.alertId, attempts, nextAttemptAt: next, error },
      'notification failed; will retry',
    );
  }

  /** A refusal a retry would get again: given up now (counted as a failed attempt and as given up), with an error log. */
  private async failForGood(item: OutboxItem, error: string, at: number): Promise<void> {
    this.stats.failedAttempts++;
    this.stats.abandoned++;
    await this.deps.outbox.abandon(item.id, at, error);
    this.deps.log.error(
      { outboxId: item.id, target: item.target, targetName: this.targetOf(item)?.name, alertId: item.alertId, event: item.event, error },
      'notification refused for good; not retried',
    );
  }

  /** The item's target as it is now: by id, else by name (items queued before targets had ids). */
  private targetOf(item: OutboxItem): NotifyTarget | undefined {
    const targets = this.targets();
    return targets.find((t) => keyOf(t) === item.target) ?? targets.find((t) => t.name === item.target);
  }

  private async deliver(item: OutboxItem): Promise<DeliveryOutcome> {
    const target = this.targetOf(item);
    // Not permanent: fail() gives it up with the "target deleted" log.
    if (!target) return retryable(null, `target "${item.target}" is no longer configured`);
    return this.send(target, item.body);
  }

  /** Sends a queued body through the target's channel. */
  private async send(target: NotifyTarget, body: string): Promise<DeliveryOutcome> {
    const { timeoutMs } = this.opts;
    switch (target.kind) {
      case 'email':
        if (!this.deps.email) return permanentFailure(null, 'email is not available in this server');
        return this.deps.email.send(target.email, JSON.parse(body) as EmailMessage, timeoutMs);
      case 'sms':
        if (!this.deps.sms) return permanentFailure(null, 'SMS is not available in this server');
        return this.deps.sms.send(target.sms, JSON.parse(body) as SmsTemplateParams, timeoutMs);
      default:
        return postWebhook(this.fetchFn, target, body, timeoutMs);
    }
  }
}

function mergeDelivery(a: DeliveryState | undefined, b: DeliveryState | undefined): DeliveryState {
  const [x, y] = [a ?? EMPTY_DELIVERY, b ?? EMPTY_DELIVERY];
  const later = (y.lastErrorAt ?? -1) > (x.lastErrorAt ?? -1) ? y : x;
  const maxOf = (p: number | null, q: number | null) => (p === null ? q : q === null ? p : Math.max(p, q));
  return {
    pending: x.pending + y.pending,
    delivered: x.delivered + y.delivered,
    failedAttempts: x.failedAttempts + y.failedAttempts,
    abandoned: x.abandoned + y.abandoned,
    lastError: later.lastError,
    lastErrorAt: later.lastErrorAt,
    lastDeliveredAt: maxOf(x.lastDeliveredAt, y.lastDeliveredAt),
  };
}
