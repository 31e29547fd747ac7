/**
 * The MQTT intake of an ingest worker (`--role ingest`, issue 15 item 3): instead of one
 * subscription to every source, one persistent session per partition it owns (partition-sessions.ts),
 * each subscribed to its partition's sources' topics and feeding the same handlers, back-pressure
 * and PUBACK hold (mqtt-transport.ts, mqtt-puback-hold.ts) as the one-process intake: a reading is
 * acknowledged to the broker only once durable, so a worker that dies before that leaves it in the
 * broker's queue for the partition's next owner. A partition let go closes its session without
 * acknowledging what is not durable; one a live worker gives up (a worker joined, a graceful stop)
 * is drained first, so what it took is acknowledged (partition-sessions.ts). HJ 212 replies and dead
 * letters go out through any connected session. Registry changes move the subscriptions.
 */
import type { EventBus } from '../domain/internal-events';
import type { RegistryView } from '../domain/registry-view';
import type { MqttConnection, MqttRoutes } from '../ingest/mqtt-transport';
import type { Logger } from '../logger';
import type { OwnedSources, OwnedSourceStats } from './owned-sources';
import type { PartitionOwnership } from './ownership';
import { PartitionSessions, type DrainStats, type PartitionSessionsOptions } from './partition-sessions';

/** An ingest worker's partitions: held, acquisitions, and how those given up were handed over. */
export interface PartitionStats extends OwnedSourceStats {
  drains: DrainStats;
}

export interface PartitionedIntakeOptions {
  /** The worker's leases, not started yet (the intake starts them once its handlers are in place). */
  ownership: PartitionOwnership;
  owned: OwnedSources;
  session: Pick<
    PartitionSessionsOptions,
    'clientIdPrefix' | 'protocolVersion' | 'sessionExpirySeconds' | 'usernamePerPartition' | 'drainMs'
  >;
}

export interface PartitionedIntakeDeps {
  routes: Omit<MqttRoutes, 'filters'>;
  registry: RegistryView;
  events: EventBus;
  /** Dead letters and HJ 212 replies are handed the sessions to publish through. */
  outlet: { publishVia(publisher: Pick<PartitionSessions, 'publish'>): void };
  log: Logger;
}

export interface PartitionedIntake {
  /** Every partition held has its session connected (true while none is held). */
  connected(): boolean;
  stats(): PartitionStats;
  /** Lets every partition go (sessions closed, leases given up). */
  stop(): Promise<void>;
}

export async function startPartitionedIntake(
  opts: PartitionedIntakeOptions,
  connection: MqttConnection,
  deps: PartitionedIntakeDeps,
): Promise<PartitionedIntake> {
  const log = deps.log.child({ module: 'partitions' });
  // The broker's drop counter is watched by no partition session: one per worker would be counted P times.
  const routes = { ...deps.routes, watches: [] };
  const sessions = new PartitionSessions(
    { ...connection, ...opts.session },
    { ownership: opts.ownership, sources: () => deps.registry.current().sources.map((s) => s.mn), routes, log },
  );
  deps.outlet.publishVia(sessions);
  const unsubscribe = deps.events.on('registry:changed', () => {
    sessions.refresh().catch((err: unknown) => log.error({ err }, 'partition subscriptions could not follow the registry'));
  });
  await opts.ownership.start();
  return {
    connected() {
      const up = new Set(sessions.connected());
      return [...opts.ownership.held().keys()].every((p) => up.has(p));
    },
    stats: () => ({ ...opts.owned.stats(), drains: sessions.drainStats() }),
    async stop() {
      unsubscribe();
      await opts.ownership.stop();
    },
  };
}
