/**
 * The handshake checks the session in the store (async since issue 15: SQLite or PostgreSQL). A
 * revocation that lands while that check is under way must still keep the socket out: the socket
 * is not in its session's room yet, so `revoke` alone would miss it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdentityRevoked } from '../domain/principal';
import { createLogger } from '../logger';
import { RealtimeHub, type HubIdentity } from './realtime-hub';

const identity: HubIdentity = {
  principal: { userId: 7, username: 'officer', role: 'officer', enterpriseId: null, department: null },
  sessionId: 'a'.repeat(64),
};

describe('RealtimeHub handshake while the session check is pending', () => {
  let http: Server;
  let hub: RealtimeHub;
  let client: ClientSocket | null;
  let answer: (id: HubIdentity | null) => void;
  let asked: Promise<void>;

  beforeEach(async () => {
    let heard!: () => void;
    asked = new Promise((r) => (heard = r));
    http = createServer();
    hub = new RealtimeHub(http, {
      snapshot: () => ({ alerts: [], sources: [], latest: [] }) as never,
      authenticate: () =>
        new Promise((resolve) => {
          answer = resolve;
          heard();
        }),
      enterpriseOf: () => undefined,
      batchMs: 1_000,
      recheckMs: 0,
      log: createLogger('silent'),
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    client = null;
  });
  afterEach(async () => {
    client?.close();
    await hub.close();
    await new Promise((r) => http.close(r));
  });

  const outcome = () => {
    const { port } = http.address() as AddressInfo;
    client = connectClient(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
    return new Promise<string>((resolve) => {
      client!.on('connect', () => resolve('connected'));
      client!.on('connect_error', (err) => resolve(err.message));
    });
  };

  it.each<[string, Omit<IdentityRevoked, 'at'> | null, string]>([
    ['no revocation', null, 'connected'],
    ['its session ended', { userId: 7, sessionId: identity.sessionId, reason: 'logout' }, 'unauthenticated'],
    ['every session of its user ended', { userId: 7, reason: 'password' }, 'unauthenticated'],
    ['another session of its user ended', { userId: 7, sessionId: 'b'.repeat(64), reason: 'logout' }, 'connected'],
    ['another user', { userId: 8, reason: 'disabled' }, 'connected'],
  ])('%s', async (_what, revocation, expected) => {
    const result = outcome();
    await asked;
    if (revocation) hub.revoke({ ...revocation, at: 1 });
    answer(identity);
    expect(await result).toBe(expected);
  });
});
