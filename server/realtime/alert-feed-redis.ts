/**
 * Alert changes numbered in Redis, for several web processes (see realtime-redis.ts). A change made
 * in any process is numbered by Redis and comes back to every process through one subscription, in
 * its audience's order; each process sends it to its own sockets of that audience.
 *
 * Attaching a socket reads the audience's number and recent changes from Redis; whatever the
 * subscription brings meanwhile is held for that socket (a gate) and sent after them, then the
 * socket joins the room. A browser that says where it left off (`since`) and whose missed changes
 * Redis still keeps gets exactly those, whichever process numbered them; else a snapshot.
 */
import type { Alert } from '../domain/alert';
import type { AlertEventKind } from '../domain/events';
import type { Logger } from '../logger';
import type { AlertFeed, HubServer, HubSocket } from './alert-feed';
import type { AlertEntry, RecentAlerts, RedisAlertLog } from './realtime-redis';

/** Can the changes after `since` be replayed from `recent` (all of them still kept)? */
export const replayable = (since: number, recent: RecentAlerts): boolean =>
  since === recent.seq || (since < recent.seq && (recent.entries[0]?.seq ?? Infinity) <= since + 1);

export class RedisAlertFeed implements AlertFeed {
  /** Per audience, the changes held for each socket being attached. */
  private readonly gates = new Map<string, Set<AlertEntry[]>>();
  /** The last number the subscription brought per audience (a snapshot's number while Redis is unreachable). */
  private readonly lastSeen = new Map<string, number>();
  /** A socket's attachment under way: the next one (a resync meanwhile) waits for it. */
  private readonly attaching = new WeakMap<HubSocket, Promise<void>>();

  constructor(
    private readonly io: HubServer,
    private readonly log: RedisAlertLog,
    private readonly logger: Logger,
  ) {
    log.onEntry((e) => this.deliver(e));
  }

  publish(audience: string, kind: AlertEventKind, alert: Alert): void {
    this.log.append(audience, kind, alert).catch((err: unknown) => {
      this.logger.error({ err, audience, kind, alertId: alert.id }, 'alert change not published: redis refused it');
    });
  }

  attach(socket: HubSocket, audience: string, since: number | undefined, snapshot: (seq: number) => void): void {
    const previous = this.attaching.get(socket) ?? Promise.resolve();
    const next = previous
      .then(() => this.catchUp(socket, audience, since, snapshot))
      .catch((err: unknown) => {
        this.logger.error({ err, id: socket.id, audience }, 'socket not attached to its audience: closed');
        socket.disconnect(true);
      });
    this.attaching.set(socket, next);
  }

  private deliver(e: AlertEntry): void {
    if (e.seq > (this.lastSeen.get(e.audience) ?? 0)) this.lastSeen.set(e.audience, e.seq);
    for (const gate of this.gates.get(e.audience) ?? []) gate.push(e);
    this.io.local.to(e.audience).emit(`alert:${e.kind}`, { seq: e.seq, alert: e.alert });
  }

  private async catchUp(socket: HubSocket, audience: string, since: number | undefined, snapshot: (seq: number) => void): Promise<void> {
    const gate: AlertEntry[] = [];
    const gates = this.gates.get(audience) ?? new Set();
    gates.add(gate);
    this.gates.set(audience, gates);
    // A resync: the room's changes go to the gate until the snapshot is out.
    void socket.leave(audience);
    let recent: RecentAlerts;
    try {
      recent = await this.log.recent(audience);
    } catch (err) {
      // Redis unreachable: a snapshot at the last number seen here; the browser resyncs on the next gap.
      this.logger.warn({ err, audience }, 'recent alert changes unreadable: snapshot at the last number seen');
      recent = { seq: this.lastSeen.get(audience) ?? 0, entries: [] };
    } finally {
      gates.delete(gate);
      if (gates.size === 0) this.gates.delete(audience);
    }
    if (!socket.connected) return;
    let cursor = recent.seq;
    if (since !== undefined && replayable(since, recent)) cursor = since;
    else snapshot(recent.seq);
    for (const e of [...recent.entries, ...gate]) {
      if (e.seq <= cursor) continue;
      socket.emit(`alert:${e.kind}`, { seq: e.seq, alert: e.alert });
      cursor = e.seq;
    }
    void socket.join(audience);
  }
}
