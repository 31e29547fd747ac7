/**
 * Notifications through an outbox: each notifiable alert event (opened and not suppressed,
 * escalated) is written for every enabled webhook target, in the state store, at once; the
 * dispatcher delivers what is due, in order, and on failure retries with exponential backoff
 * (attempts and next attempt time persisted, so a restart resumes). An item is given up only
 * after `maxAgeMs`, with an error log, and counted.
 *
 * The targets are read live (issue 14: administered in the UI): `targets` is asked at every
 * enqueue and delivery, so a new, changed or disabled target counts from the next event on. A
 * queued item names its target by id (by name for items queued before targets had ids) and goes
 * to the target's current URL; a disabled target still gets what was queued before; the items of
 * a deleted target are given up (`giveUpTarget`, or at their next attempt), counted and logged.
 */
import type { Alert } from '../domain/alert';
import type { Logger } from '../logger';
import type { OutboxItem, OutboxTable } from '../storage/state-store';
import { EMPTY_DELIVERY, type DeliveryState, type NotifyTestResult } from '../domain/notify-target';
import { formatNotification, testNotification, type NotifyEvent, type NotifyFormat, type SourceLabel } from './notify-format';

export interface NotifyTarget {
  /** The outbox key (default: the name, for fixed targets). */
  id?: string;
  name: string;
  url: string;
  format: NotifyFormat;
  /** false: no new notifications (default true). */
  enabled?: boolean;
}

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
  outbox: OutboxTable;
  log: Logger;
  now: () => number;
  label?: (mn: string) => SourceLabel;
  fetch?: typeof fetch;
}

/** Delay before attempt `attempts + 1`, after `attempts` failures. */
export const backoffMs = (attempts: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));

export class Notifier {
  readonly stats = { enqueued: 0, delivered: 0, failedAttempts: 0, abandoned: 0 };
  private readonly targets: () => readonly NotifyTarget[];
  private readonly fetchFn: typeof fetch;
  private running: Promise<number> | null = null;

  constructor(
    private readonly opts: NotifierOptions,
    private readonly deps: NotifierDeps,
  ) {
    const { targets } = opts;
    this.targets = typeof targets === 'function' ? targets : () => targets;
    this.fetchFn = deps.fetch ?? fetch;
  }

  get pending(): number {
    return this.deps.outbox.pending();
  }

  enqueue(event: NotifyEvent, alert: Alert): void {
    const targets = this.targets().filter((t) => t.enabled !== false);
    if (targets.length === 0) return;
    const now = this.deps.now();
    const label = this.deps.label?.(alert.mn) ?? {};
    this.deps.outbox.enqueue(
      targets.map((t) => ({
        target: keyOf(t),
        event,
        alertId: alert.id,
        body: JSON.stringify(formatNotification(t.format, event, alert, label)),
        createdAt: now,
        nextAttemptAt: now,
      })),
    );
    this.stats.enqueued += targets.length;
  }

  /**
   * Any other notification (a warning issued, changed or lifted: issue 17): one outbox item per enabled
   * target, its body formatted for the target, delivered like an alert's. `refId` is what it is about
   * (kept in the outbox's alert id column, with `event` saying what kind of thing it is).
   */
  enqueueMessage(event: string, refId: number, bodyOf: (format: NotifyFormat) => unknown): number {
    const targets = this.targets().filter((t) => t.enabled !== false);
    if (targets.length === 0) return 0;
    const now = this.deps.now();
    this.deps.outbox.enqueue(
      targets.map((t) => ({
        target: keyOf(t),
        event,
        alertId: refId,
        body: JSON.stringify(bodyOf(t.format)),
        createdAt: now,
        nextAttemptAt: now,
      })),
    );
    this.stats.enqueued += targets.length;
    return targets.length;
  }

  /**
   * A target was deleted: every notification still queued for it (by id, and by name for items
   * queued before targets had ids) is given up now, counted and logged. Returns how many.
   */
  giveUpTarget(target: { id: string; name: string }): number {
    const at = this.deps.now();
    const reason = `the notification target "${target.name}" was deleted`;
    const keys = [...new Set([target.id, target.name])];
    const n = keys.reduce((sum, key) => sum + this.deps.outbox.abandonTarget(key, at, reason), 0);
    this.stats.abandoned += n;
    if (n > 0)
      this.deps.log.warn(
        { target: target.name, targetId: target.id, abandoned: n },
        'notification target deleted: its queued notifications were given up',
      );
    return n;
  }

  /** Delivery state per target id (items queued under the target's name before it had an id count too). */
  deliveryOf(targets: readonly { id: string; name: string }[]): Map<string, DeliveryState> {
    const stats = this.deps.outbox.deliveryStats();
    return new Map(targets.map((t) => [t.id, mergeDelivery(stats.get(t.id), t.name === t.id ? undefined : stats.get(t.name))]));
  }

  /** Sends a test message to `target` now (not through the outbox) and says how it went. */
  async sendTest(target: NotifyTarget): Promise<NotifyTestResult> {
    const started = this.deps.now();
    const body = JSON.stringify(testNotification(target.format, target.name, started));
    const { status, error } = await this.post(target, body);
    const ms = Math.max(0, this.deps.now() - started);
    this.deps.log.info({ target: target.name, status, error }, 'test notification sent');
    return { ok: error === null, status, error, ms };
  }

  /** Delivers every due item once (one pass; a pass already running is joined). Resolves with the number delivered. */
  dispatch(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  /** Starts a pass in the background; a failure is logged, and the next pass tries again. */
  kick(): void {
    this.dispatch().catch((err: unknown) => this.deps.log.error({ err }, 'notification pass failed'));
  }

  /** Resolves once no pass is running. */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    let delivered = 0;
    const now = this.deps.now();
    const failedTargets = new Set<string>();
    for (const item of this.deps.outbox.due(now, 100)) {
      // Keep a target's notifications in order: once one fails, the rest of it waits for the next pass.
      if (failedTargets.has(item.target)) continue;
      const error = await this.deliver(item);
      const at = this.deps.now();
      if (error === null) {
        this.deps.outbox.delivered(item.id, at);
        this.stats.delivered++;
        delivered++;
        continue;
      }
      failedTargets.add(item.target);
      this.fail(item, error, at);
    }
    return delivered;
  }

  private fail(item: OutboxItem, error: string, at: number): void {
    const attempts = item.attempts + 1;
    this.stats.failedAttempts++;
    const targetName = this.targetOf(item)?.name;
    const gone = targetName === undefined;
    if (gone || at - item.createdAt >= this.opts.maxAgeMs) {
      this.deps.outbox.abandon(item.id, at, error);
      this.stats.abandoned++;
      this.deps.log.error(
        { outboxId: item.id, target: item.target, targetName, alertId: item.alertId, event: item.event, attempts, error },
        gone ? 'notification given up: its target was deleted' : 'notification given up after its max age',
      );
      return;
    }
    const next = at + backoffMs(attempts, this.opts.retryBaseMs, this.opts.retryMaxMs);
    this.deps.outbox.retryLater(item.id, attempts, next, error, at);
    this.deps.log.warn(
      { outboxId: item.id, target: item.target, targetName, alertId: item.alertId, attempts, nextAttemptAt: next, error },
      'notification failed; will retry',
    );
  }

  /** The item's target as it is now: by id, else by name (items queued before targets had ids). */
  private targetOf(item: OutboxItem): NotifyTarget | undefined {
    const targets = this.targets();
    return targets.find((t) => keyOf(t) === item.target) ?? targets.find((t) => t.name === item.target);
  }

  /** null when delivered, else why not. */
  private async deliver(item: OutboxItem): Promise<string | null> {
    const target = this.targetOf(item);
    if (!target) return `target "${item.target}" is no longer configured`;
    return (await this.post(target, item.body)).error;
  }

  /** POSTs `body`; the HTTP status (null: none) and why it failed (null: delivered). */
  private async post(target: NotifyTarget, body: string): Promise<{ status: number | null; error: string | null }> {
    try {
      const res = await this.fetchFn(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) return { status: res.status, error: `HTTP ${res.status}: ${text.slice(0, 200)}` };
      return { status: res.status, error: target.format === 'json' ? null : robotError(text) };
    } catch (err) {
      return { status: null, error: `request failed: ${(err as Error).message}` };
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

/** DingTalk and WeCom robots answer HTTP 200 with `{"errcode": n}`; anything but 0 is a refusal. */
function robotError(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null; // not their JSON answer (a proxy, a test double): HTTP 200 is taken as delivered
  }
  const code = (body as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && code !== 0
    ? `robot refused: errcode ${code} ${String((body as { errmsg?: unknown }).errmsg ?? '')}`
    : null;
}
