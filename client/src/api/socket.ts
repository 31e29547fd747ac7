/** The one typed socket.io connection to the server (same origin, default path /socket.io). */
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '@domain/events';
import { io, type Socket } from 'socket.io-client';

export type SentinelSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * `resumeFrom`: the last alert change the page applied (null: none, or a snapshot is owed), asked at
 * each (re)connect and sent in the handshake (`auth.seq`), so that a server with a Redis can replay
 * just the changes after it instead of a snapshot.
 */
export function createSocket(resumeFrom: () => number | null): SentinelSocket {
  return io({
    path: '/socket.io',
    autoConnect: false,
    auth: (cb: (auth: HandshakeAuth) => void) => {
      const seq = resumeFrom();
      cb(seq === null ? {} : { seq });
    },
    // WebSocket first (no polling handshake before the snapshot); polling only if it fails.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    // A duty officer's page stays open all day: keep retrying, backing off to 10 s.
    reconnection: true,
    reconnectionAttempts: Number.POSITIVE_INFINITY,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 10_000,
  });
}
