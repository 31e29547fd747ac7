import { describe, expect, it } from 'vitest';
import { createSocket } from './socket';

/** What the socket's handshake says (`auth`), asked afresh at each (re)connect. */
const handshakeAuth = (socket: ReturnType<typeof createSocket>): Promise<object> =>
  new Promise((resolve) => {
    const auth = socket.auth;
    if (typeof auth !== 'function') throw new Error('auth is not asked at each connect');
    auth(resolve);
  });

describe('createSocket', () => {
  it('says where the page left off in each handshake, read at that moment', async () => {
    let seq: number | null = null;
    const socket = createSocket(() => seq);
    expect(await handshakeAuth(socket)).toEqual({});
    seq = 41;
    expect(await handshakeAuth(socket)).toEqual({ seq: 41 });
    seq = 0;
    expect(await handshakeAuth(socket)).toEqual({ seq: 0 });
    expect(socket.connected).toBe(false);
  });
});
