/**
 * Notification targets administered in the product (issue 14): the stage that owns them. Stored in
 * the registry's database (server/storage/sql/notify-target-store.ts), seeded once from the config's
 * `alerts.notify.targets` on the first start; from then on the store is the truth and the config's
 * list is not read again. Every change is written to the store, audited (who, when, before → after,
 * the URL masked: it can carry the webhook's secret), then made live: the notifier reads `live()` at
 * every enqueue and delivery, so no restart is needed. Issue 21 adds email/SMS channels,
 * subscriptions and rosters: new kinds of target and tables beside these, the same flow.
 */
import type { AuditInput } from '../auth/audit-log';
import {
  maskUrl,
  newNotifyTargetSchema,
  type NewNotifyTargetParsed,
  type NotifyAuditAction,
  type NotifyFormat,
  type NotifyTarget,
  type NotifyTargetPatchParsed,
} from '../domain/notify-target';
import type { Principal } from '../domain/principal';
import type { Logger } from '../logger';
import { describeLocation, registryDatabase } from '../storage/sql/database';
import { openNotifyTargetStore, type NotifyTargetStore } from '../storage/sql/notify-target-store';
import type { NotifyTarget as LiveTarget } from './notifier';

export interface AuditSink {
  /** Resolves once the record is written. */
  record(input: AuditInput): Promise<unknown>;
}

export interface NotifyTargetsConfig {
  dataDir: string;
  /** PostgreSQL for the store, shared with the registry (empty or absent: `<dataDir>/registry.db`). */
  database?: { url: string };
  /** The config's targets (`alerts.notify.targets`): the seed of the first start. */
  seed: readonly { name: string; url: string; format: NotifyFormat }[];
}

export interface NotifyTargetsDeps {
  audit: AuditSink;
  log: Logger;
  now: () => number;
}

type Actor = Principal | { username: 'system' };
const SYSTEM = { username: 'system' } as const;

/**
 * A target as the audit log keeps it, flat (the audit viewer words each field): everything but the
 * secret part of its URL and its SMTP password.
 */
function audited(t: NotifyTarget): Record<string, unknown> {
  const common = { name: t.name, kind: t.kind, enabled: t.enabled };
  switch (t.kind) {
    case 'webhook':
      return { ...common, format: t.format, url: maskUrl(t.url) };
    case 'email': {
      const smtp = t.email.smtp;
      return { ...common, recipients: t.email.recipients, smtpServer: smtp ? `${smtp.host}:${smtp.port}` : null };
    }
    case 'sms':
      return { ...common, phones: t.sms.phones, signName: t.sms.signName, templateCode: t.sms.templateCode };
  }
}

/** Whether the secret of a target changed (a webhook's URL, an SMTP password): the audit says so without showing it. */
const secretOf = (t: NotifyTarget): string | undefined =>
  t.kind === 'webhook' ? t.url : t.kind === 'email' ? t.email.smtp?.password : undefined;

export class NotifyTargets {
  private cache: NotifyTarget[] = [];

  constructor(
    private readonly store: NotifyTargetStore,
    private readonly deps: NotifyTargetsDeps,
  ) {}

  /** Reads the store into memory (at start; again after every change). */
  async reload(): Promise<void> {
    this.cache = await this.store.list();
  }

  /** Every target, oldest first. */
  list(): readonly NotifyTarget[] {
    return this.cache;
  }

  get(id: string): NotifyTarget | undefined {
    return this.cache.find((t) => t.id === id);
  }

  /** The targets as the notifier reads them (live). */
  live = (): readonly LiveTarget[] => this.cache;

  /** Seeds the store from the config on the first start; later starts leave it alone. */
  async seed(config: NotifyTargetsConfig['seed']): Promise<NotifyTarget[] | null> {
    const parsed = config.map((t) => newNotifyTargetSchema.parse(t));
    const seeded = await this.store.seedOnce(parsed, this.deps.now());
    if (seeded !== null) {
      const detail = { count: seeded.length, targets: seeded.map(audited) };
      await this.deps.audit.record({
        actor: SYSTEM,
        action: 'notify.targets_seeded' satisfies NotifyAuditAction,
        target: 'notify-targets',
        detail,
      });
    }
    await this.reload();
    return seeded;
  }

  async create(input: NewNotifyTargetParsed, actor: Actor, ip: string | null): Promise<NotifyTarget> {
    const created = await this.store.create(input, this.deps.now());
    await this.audit('notify.target_created', created.id, actor, ip, { before: null, after: audited(created) });
    await this.reload();
    this.deps.log.info({ target: created.name, targetId: created.id, by: actor.username }, 'notification target created');
    return created;
  }

  async update(id: string, patch: NotifyTargetPatchParsed, actor: Actor, ip: string | null): Promise<NotifyTarget> {
    const { version, ...change } = patch;
    const { before, after } = await this.store.update(id, version, change, this.deps.now());
    if (after.version !== before.version) {
      const secretChanged = secretOf(before) !== secretOf(after);
      await this.audit('notify.target_updated', id, actor, ip, {
        before: audited(before),
        after: audited(after),
        ...(secretChanged ? (after.kind === 'webhook' ? { urlChanged: true } : { passwordChanged: true }) : {}),
      });
      await this.reload();
      this.deps.log.info({ target: after.name, targetId: id, by: actor.username }, 'notification target changed');
    }
    return after;
  }

  /**
   * Removes the target; `giveUp` (the notifier's) gives up what was still queued for it. Returns the
   * target as it was and how many queued notifications were given up.
   */
  async remove(
    id: string,
    version: number,
    actor: Actor,
    ip: string | null,
    giveUp: (t: NotifyTarget) => Promise<number>,
  ): Promise<{ target: NotifyTarget; abandoned: number }> {
    const before = await this.store.remove(id, version);
    await this.reload(); // first: nothing new is queued for it from now on
    const abandoned = await giveUp(before);
    await this.audit('notify.target_deleted', id, actor, ip, { before: audited(before), after: null, abandoned });
    this.deps.log.info({ target: before.name, targetId: id, by: actor.username, abandoned }, 'notification target deleted');
    return { target: before, abandoned };
  }

  /** Audits a test send (its outcome, never the URL's secret). */
  async tested(
    t: NotifyTarget,
    result: { ok: boolean; status: number | null; error: string | null },
    actor: Actor,
    ip: string | null,
  ): Promise<void> {
    await this.audit('notify.target_tested', t.id, actor, ip, { name: t.name, ok: result.ok, status: result.status, error: result.error });
  }

  private async audit(
    action: NotifyAuditAction,
    id: string,
    actor: Actor,
    ip: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.audit.record({ actor, action, target: `notify-target:${id}`, detail, ip });
  }
}

export interface NotifyTargetsModule {
  targets: NotifyTargets;
  stop(): Promise<void>;
}

/** Opens the target store in the registry's database (file or PostgreSQL), seeds it on the first start, and loads it. */
export async function startNotifyTargets(config: NotifyTargetsConfig, deps: NotifyTargetsDeps): Promise<NotifyTargetsModule> {
  const location = registryDatabase(config);
  const file = describeLocation(location);
  const opened = await openNotifyTargetStore(location);
  try {
    if (opened.migrated.length > 0) deps.log.info({ file, migrations: opened.migrated }, 'notification target store migrated');
    const targets = new NotifyTargets(opened.store, deps);
    const seeded = await targets.seed(config.seed);
    if (seeded !== null) deps.log.info({ count: seeded.length }, 'notification targets seeded from the config (alerts.notify.targets)');
    else if (config.seed.length > 0)
      deps.log.info(
        { count: targets.list().length },
        'notification targets loaded from the store; alerts.notify.targets in the config was not used',
      );
    return { targets, stop: () => opened.close() };
  } catch (err) {
    await opened.close();
    throw err;
  }
}
