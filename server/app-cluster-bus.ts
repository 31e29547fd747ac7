/**
 * The cluster bus as app.ts composes it (issue 15, server/cluster/cluster-bus.ts): with REDIS_URL and
 * DATABASE_URL, the changes other processes make reach this process's alert copy and suppressions,
 * its source views, its outbox delivery, its registry and rule book, and its sockets of a revoked
 * identity. Nothing starts in the single process. Its stop goes on `stack`.
 */
import type { Alerting } from './alerts/alerting';
import type { AppConfig } from './config';
import { startClusterBus, type ClusterBus } from './cluster/cluster-bus';
import type { EventBus } from './domain/internal-events';
import type { Logger } from './logger';
import type { RealtimeHub } from './realtime/realtime-hub';
import type { RegistryModule } from './registry/registry-module';
import type { RulesModule } from './rules/rules-module';
import type { SourceDirectory } from './sources/source-directory';
import type { SourceViewCache } from './sources/source-view-cache';

export interface ClusterBusParts {
  events: EventBus;
  alerting: Pick<Alerting, 'alerts' | 'notifier'>;
  views: Pick<SourceViewCache, 'noteAlert'>;
  /** The sources' latest values (another process's readings move them forward here). */
  directory: Pick<SourceDirectory, 'noteLatest'>;
  registry: Pick<RegistryModule, 'view' | 'admin'>;
  rules: Pick<RulesModule, 'service'>;
  hub: Pick<RealtimeHub, 'revoke'>;
  log: Logger;
}

export async function joinClusterBus(
  config: Pick<AppConfig, 'realtime' | 'database'>,
  stack: (() => void | Promise<void>)[],
  parts: ClusterBusParts,
): Promise<ClusterBus | null> {
  const { alerting, views, directory, registry, rules, hub } = parts;
  const bus = await startClusterBus(
    { redisUrl: config.realtime.redisUrl, databaseUrl: config.database.url },
    {
      events: parts.events,
      members: {
        alerts: alerting.alerts,
        alertSeen: (alert) => views.noteAlert(alert),
        kick: () => alerting.notifier.kick(),
        latest: (lv) => void directory.noteLatest(lv),
        registry: { version: () => registry.view.version(), follow: () => registry.admin.follow() },
        rules: rules.service,
        revokeHere: (e) => void hub.revoke(e, 'here'),
      },
      log: parts.log.child({ module: 'cluster-bus' }),
    },
  );
  if (bus) stack.push(() => bus.stop());
  return bus;
}
