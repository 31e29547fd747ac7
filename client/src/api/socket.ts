/** The one typed socket.io connection to the server (same origin, default path /socket.io). */
import type { ClientToServerEvents, ServerToClientEvents } from '@domain/events';
import { io, type Socket } from 'socket.io-client';

export type SentinelSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function createSocket(): SentinelSocket {
  return io({
    path: '/socket.io',
    autoConnect: false,
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
