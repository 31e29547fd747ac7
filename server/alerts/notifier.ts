/**
 * Notifications through an outbox: each notifiable alert event (opened and not suppressed,
 * escalated) is written for every configured webhook target, in the state store, at once; the
 * dispatcher delivers what is due, in order, and on failure retries with exponential backoff
 * (attempts and next attempt time persisted, so a restart resumes). An item is given up only
 * after `maxAgeMs`, with an error log, and counted.
 */
import type { Alert } from '../domain/alert';
import type { Logger } from '../logger';
import type { OutboxItem, OutboxTable } from '../storage/state-store';
import { formatNotification, type NotifyEvent, type NotifyFormat, type SourceLabel } from './notify-format';

export interface NotifyTarget {
  name: string;
  url: string;
  format: NotifyFormat;
}

export interface NotifierOptions {
  targets: readonly NotifyTarget[];
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
  private readonly targets: Map<string, NotifyTarget>;
  private readonly fetchFn: typeof fetch;
  private running: Promise<number> | null = null;

  constructor(
    private readonly opts: NotifierOptions,
    private readonly deps: NotifierDeps,
  ) {
    this.targets = new Map(opts.targets.map((t) => [t.name, t]));
    this.fetchFn = deps.fetch ?? fetch;
  }

  get pending(): number {
    return this.deps.outbox.pending();
  }

  enqueue(event: NotifyEvent, alert: Alert): void {
    if (this.targets.size === 0) return;
    const now = this.deps.now();
    const label = this.deps.label?.(alert.mn) ?? {};
    this.deps.outbox.enqueue(
      [...this.targets.values()].map((t) => ({
        target: t.name,
        event,
        alertId: alert.id,
        body: JSON.stringify(formatNotification(t.format, event, alert, label)),
        createdAt: now,
        nextAttemptAt: now,
      })),
    );
    this.stats.enqueued += this.targets.size;
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
    if (at - item.createdAt >= this.opts.maxAgeMs) {
      this.deps.outbox.abandon(item.id, at, error);
      this.stats.abandoned++;
      this.deps.log.error(
        { outboxId: item.id, target: item.target, alertId: item.alertId, event: item.event, attempts, error },
        'notification given up after its max age',
      );
      return;
    }
    const next = at + backoffMs(attempts, this.opts.retryBaseMs, this.opts.retryMaxMs);
    this.deps.outbox.retryLater(item.id, attempts, next, error);
    this.deps.log.warn(
      { outboxId: item.id, target: item.target, alertId: item.alertId, attempts, nextAttemptAt: next, error },
      'notification failed; will retry',
    );
  }

  /** null when delivered, else why not. */
  private async deliver(item: OutboxItem): Promise<string | null> {
    const target = this.targets.get(item.target);
    if (!target) return `target "${item.target}" is no longer configured`;
    try {
      const res = await this.fetchFn(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: item.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) return `HTTP ${res.status}: ${text.slice(0, 200)}`;
      return target.format === 'json' ? null : robotError(text);
    } catch (err) {
      return `request failed: ${(err as Error).message}`;
    }
  }
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
