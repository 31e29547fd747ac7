/**
 * Alert changes numbered per audience (`staff`, `ent:<id>`): each change of an audience gets the
 * next sequence number and goes to the audience's room; a socket is attached to its audience with
 * what it needs first — a snapshot at the audience's current number, or (when it says where it left
 * off and the changes since are still known) just those changes — and then the live ones, none
 * missed or repeated between the two.
 *
 * `LocalAlertFeed` is the one process alone: numbers in memory, from 0 at each start, and always a
 * snapshot (a browser that reconnects compares numbers only with what this process sent).
 * `RedisAlertFeed` (alert-feed-redis.ts) is the web tier ×N: numbers and recent changes in Redis.
 */
import type { Server, Socket } from 'socket.io';
import type { Alert } from '../domain/alert';
import type { AlertEventKind, ClientToServerEvents, ServerToClientEvents } from '../domain/events';
import type { Principal } from '../domain/principal';
import type { ResyncWindow } from './resync-limiter';

export interface SocketData {
  principal: Principal;
  sessionId: string;
  resync: ResyncWindow;
  /** The sequence number the browser last applied, from its handshake (`auth.seq`), if it said. */
  resumeAfter: number | undefined;
}

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface AlertFeed {
  /** Numbers one change of `audience` and sends it to the audience's sockets (of every process sharing the feed). */
  publish(audience: string, kind: AlertEventKind, alert: Alert): void;
  /**
   * Puts `socket` in `audience`'s room after sending it what it lacks: `snapshot(seq)` at the
   * audience's current number — or, when `since` is given and every change after it is still
   * known, those changes instead — then the live changes from the next number on.
   */
  attach(socket: HubSocket, audience: string, since: number | undefined, snapshot: (seq: number) => void): void;
}

export class LocalAlertFeed implements AlertFeed {
  private readonly seqs = new Map<string, number>();

  constructor(private readonly io: HubServer) {}

  publish(audience: string, kind: AlertEventKind, alert: Alert): void {
    const seq = (this.seqs.get(audience) ?? 0) + 1;
    this.seqs.set(audience, seq);
    this.io.to(audience).emit(`alert:${kind}`, { seq, alert });
  }

  /** Joining and the snapshot happen in one go (nothing can come between): `since` is not needed. */
  attach(socket: HubSocket, audience: string, _since: number | undefined, snapshot: (seq: number) => void): void {
    void socket.join(audience);
    snapshot(this.seqs.get(audience) ?? 0);
  }
}
