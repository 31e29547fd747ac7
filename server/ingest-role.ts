/**
 * The ingest role's cluster parts (`--role ingest`, issue 15 item 3), built before the stages that
 * use them: the worker's partition leases in PostgreSQL (not started: the ingest stage starts them
 * once its handlers are in place), which sources it owns (the rules' tick and the transport watch
 * judge only those) and the options of its partition sessions. Null for every other role: the
 * all-in-one process owns every source and keeps its one MQTT subscription.
 */
import { hostname } from 'node:os';
import { OwnedSources } from './cluster/owned-sources';
import { PgPartitionLeases } from './cluster/partition-leases';
import type { PartitionedIntakeOptions } from './cluster/partitioned-intake';
import type { AppConfig } from './config';
import type { Finding } from './domain/alert';
import type { Logger } from './logger';
import type { Durability } from './storage/telemetry-module';

export interface IngestCluster {
  /** For the ingest stage: the leases and the sessions' options. */
  intake: PartitionedIntakeOptions;
  /** For the time-driven rules: which sources this worker owns, and since when. */
  owned: OwnedSources;
}

/**
 * Where a reading is durable, so acknowledged to the broker (its PUBACK) or the logger (its 9014):
 * the one process (`npm start`) in its local spool; an ingest worker only once InfluxDB has it. A
 * worker's spool would strand what it acknowledged on its disk if the machine died, and as a mere
 * buffer it would hold nothing the broker does not already keep for the partition's session: the
 * broker is the worker's spool. Until the write, the PUBACK is held and the broker redelivers the
 * reading to whoever owns the partition next; written twice, it is the same point.
 */
export const durabilityOf = (config: Pick<AppConfig, 'role'>): Durability => (config.role === 'ingest' ? 'store' : 'spool');

/** This worker's name: `cluster.worker`, else `<host name>-<pid>`. */
export const workerNameOf = (config: Pick<AppConfig, 'cluster'>): string => config.cluster.worker || `${hostname()}-${process.pid}`;

export function ingestClusterOf(config: AppConfig, log: Logger, now: () => number): IngestCluster | null {
  if (config.role !== 'ingest') return null;
  const worker = workerNameOf(config);
  const ownership = new PgPartitionLeases(
    { url: config.database.url, partitions: config.cluster.partitions, worker, recheckMs: config.cluster.recheckS * 1000 },
    log.child({ module: 'cluster', worker }),
  );
  const owned = new OwnedSources(ownership, now);
  log.info({ worker, partitions: config.cluster.partitions }, 'ingest worker: reading the partitions it owns');
  const session = { usernamePerPartition: config.cluster.usernamePerPartition, drainMs: config.cluster.drainS * 1000 };
  return { intake: { ownership, owned, session }, owned };
}

type FindingSink = { apply(findings: readonly Finding[], enterpriseId: string): void };

/** A finding sink that drops the findings of sources another worker owns (the all-in-one process: the sink itself). */
export function ownedFindings<S extends FindingSink>(sink: S, cluster: IngestCluster | null): FindingSink {
  if (!cluster) return sink;
  return {
    apply(findings, enterpriseId) {
      const mine = findings.filter((f) => cluster.owned.ownedSince(f.mn) !== null);
      if (mine.length > 0) sink.apply(mine, enterpriseId);
    },
  };
}
