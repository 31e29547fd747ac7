/**
 * One persistent MQTT session per owned partition (issue 15 item 3). When the worker acquires
 * partition p it connects as `o3-ingest-p<p>` with clean=false (MQTT 5: a session expiry), and
 * subscribes at QoS 1 to the topics of p's sources: the broker hands over what it queued while no
 * one owned p, in order per topic. When the worker releases p it disconnects without ending the
 * session, so the broker queues p's readings again until the next owner connects with the same id.
 *
 * The messages go to the same handlers and PUBACK hold as the single-process ingest
 * (MqttTransport): a reading is acknowledged only once durable. A connection lost while the worker
 * still owns p is re-opened only after `stillOwner(p, epoch)` says so (the fencing token), so a
 * worker that lost its lease cannot take the broker session back from the new owner.
 *
 * A partition given up by a live worker (a worker joined, a graceful stop: `releasing`) is drained
 * first: the session takes no more messages (the broker keeps them for the next owner), and those it
 * took are written and acknowledged, so the next owner neither gets nor judges them again. Past
 * `drainMs` it falls back to closing at once (counted, logged): what was not acknowledged is
 * redelivered, as after a death. A lease lost is not drained: the partition may be another's already.
 */
import type { Logger } from '../logger';
import { MqttTransport, type MqttConnection, type MqttRoutes } from '../ingest/mqtt-transport';
import type { PartitionOwnership, ReleaseReason } from './ownership';
import { mnsOfPartition, partitionClientId, partitionTopics, topicChanges } from './partitioning';

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export interface PartitionSessionsOptions extends MqttConnection {
  /** Client ids are `<prefix>-p<partition>` (default `o3-ingest`). */
  clientIdPrefix?: string;
  protocolVersion?: 4 | 5;
  /** MQTT 5: how long the broker keeps an unowned partition's session and queue (default 7 days). */
  sessionExpirySeconds?: number;
  /**
   * Each session signs in as its client id (with `password`): for a broker that takes the client id
   * from the username (Mosquitto `use_username_as_clientid`, EMQX `use_username_as_clientid`),
   * where one ingest username would give every partition the same id and they would kick each other.
   */
  usernamePerPartition?: boolean;
  /** How long a partition given up by a live worker may take to finish what it took (default 5 s; 0: no drain, close at once). */
  drainMs?: number;
}

/** Partitions given up by a live worker: drained in time, or closed at once after all (bound passed, broker connection lost). */
export interface DrainStats {
  drained: number;
  fallback: number;
}

export const DEFAULT_DRAIN_MS = 5_000;

export interface PartitionSessionsDeps {
  ownership: PartitionOwnership;
  /** The MNs of the registry now (each partition takes its own). */
  sources: () => Iterable<string>;
  /** Where messages go: the handlers (the partition's topics replace their filters) and back-pressure. */
  routes: Omit<MqttRoutes, 'filters'>;
  log: Logger;
}

interface Session {
  epoch: number;
  transport: MqttTransport | null;
  topics: Set<string>;
  retry: NodeJS.Timeout | null;
}

export class PartitionSessions {
  private readonly sessions = new Map<number, Session>();
  private readonly drains: DrainStats = { drained: 0, fallback: 0 };

  constructor(
    private readonly opts: PartitionSessionsOptions,
    private readonly deps: PartitionSessionsDeps,
  ) {
    deps.ownership.on('acquired', (p, epoch) => this.open(p, epoch));
    deps.ownership.on('releasing', (p, why) => this.drain(p, why));
    deps.ownership.on('released', (p) => this.close(p));
  }

  /** How the partitions given up so far were handed over. */
  drainStats(): DrainStats {
    return { ...this.drains };
  }

  /** Whether the partition has a session (connected, connecting or waiting to try again). */
  has(partition: number): boolean {
    return this.sessions.has(partition);
  }

  /** The partitions with a connected session. */
  connected(): number[] {
    return [...this.sessions].filter(([, s]) => s.transport?.connected).map(([p]) => p);
  }

  /**
   * Publishes at QoS 1 through a connected session (HJ 212 replies, dead letters: the broker routes by
   * topic, so any of this worker's sessions will do); with none connected, `onError` hears why.
   */
  publish(topic: string, payload: string | Buffer, onError?: (err: Error) => void): void {
    for (const s of this.sessions.values()) {
      if (s.transport?.connected) return s.transport.publish(topic, payload, onError);
    }
    onError?.(new Error('no partition session is connected'));
  }

  /** The registry changed: each session subscribes to its new sources' topics and drops the removed ones'. */
  async refresh(): Promise<void> {
    for (const [p, session] of this.sessions) {
      const wanted = this.topicsOf(p);
      const { subscribe, unsubscribe } = topicChanges(session.topics, wanted);
      session.topics = new Set(wanted);
      if (!session.transport?.connected) continue; // subscribed in full at the next connection
      await session.transport.subscribe(subscribe);
      await session.transport.unsubscribe(unsubscribe);
    }
  }

  private topicsOf(partition: number): string[] {
    return partitionTopics(mnsOfPartition(this.deps.sources(), partition, this.deps.ownership.partitions));
  }

  private async open(partition: number, epoch: number): Promise<void> {
    const session: Session = { epoch, transport: null, topics: new Set(this.topicsOf(partition)), retry: null };
    this.sessions.set(partition, session);
    await this.connect(partition, session, RETRY_MIN_MS);
  }

  /** Connects the partition's session; if the broker cannot be reached, tries again later while the lease holds. */
  private async connect(partition: number, session: Session, retryMs: number): Promise<void> {
    const log = this.deps.log.child({ partition });
    const owned = () => this.sessions.get(partition) === session;
    const clientId = partitionClientId(partition, this.opts.clientIdPrefix);
    const transport = new MqttTransport(
      {
        clientId,
        ...(this.opts.protocolVersion ? { protocolVersion: this.opts.protocolVersion } : {}),
        ...(this.opts.sessionExpirySeconds ? { sessionExpirySeconds: this.opts.sessionExpirySeconds } : {}),
        reconnectGuard: async () => owned() && (await this.deps.ownership.stillOwner(partition, session.epoch)),
        onFenced: () => void this.close(partition),
      },
      log,
    );
    session.transport = transport;
    try {
      const signIn = this.opts.usernamePerPartition ? { username: clientId } : {};
      await transport.start({ ...this.deps.routes, filters: [...session.topics] }, { ...this.opts, ...signIn });
    } catch (err) {
      await transport.stop();
      if (!owned()) return;
      session.transport = null;
      log.error({ err, retryMs }, 'partition session could not connect; trying again');
      session.retry = setTimeout(() => {
        session.retry = null;
        if (owned()) void this.connect(partition, session, Math.min(RETRY_MAX_MS, retryMs * 2));
      }, retryMs);
      return;
    }
    // Released while connecting: leave the session to the next owner.
    if (!owned()) await transport.stop();
  }

  /** The lease still holds: stop taking, let what was taken be written and acknowledged, within the bound. */
  private async drain(partition: number, why: ReleaseReason): Promise<void> {
    const session = this.sessions.get(partition);
    const ms = this.opts.drainMs ?? DEFAULT_DRAIN_MS;
    // Not connected: nothing taken is still owed a PUBACK on this connection. Or draining is off.
    if (!session?.transport?.connected || ms <= 0) return;
    const log = this.deps.log.child({ partition });
    const started = Date.now();
    const outcome = await session.transport.drain(ms);
    if (outcome === 'drained') {
      this.drains.drained++;
      log.info({ why, ms: Date.now() - started }, 'partition drained');
      return;
    }
    this.drains.fallback++;
    log.warn(
      { why, outcome, boundMs: ms },
      'partition not drained: closed at once; its unacknowledged readings go to the next owner, which may judge them again',
    );
    await session.transport.stop(true);
  }

  private async close(partition: number): Promise<void> {
    const session = this.sessions.get(partition);
    if (!session) return;
    this.sessions.delete(partition);
    if (session.retry) clearTimeout(session.retry);
    // DISCONNECT without ending the session (clean=false / a session expiry): the broker queues again.
    await session.transport?.stop();
  }
}
