import type { IncomingMessage } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { socketOriginAllowed, type TrustProxyFn } from './socket-auth';

/** Express's own compiled `trust proxy` check for a setting. */
const trustOf = (setting: unknown): TrustProxyFn => express().set('trust proxy', setting).get('trust proxy fn') as TrustProxyFn;
const req = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
  ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;
const FWD = { host: '10.0.0.5:8080', 'x-forwarded-host': 'sentinel.example', origin: 'https://sentinel.example' };
const SPOOF = { host: 'app.example', 'x-forwarded-host': 'evil.example', origin: 'http://evil.example' };

describe('socketOriginAllowed (socket.io handshake)', () => {
  it.each<[string, Record<string, string>, unknown, string, boolean]>([
    ['no Origin (same-origin polling, or no browser)', { host: 'app.example:8080' }, false, '127.0.0.1', true],
    ['its own origin', { host: 'app.example:8080', origin: 'http://app.example:8080' }, false, '127.0.0.1', true],
    ['its own origin, other case', { host: 'APP.example:8080', origin: 'http://app.example:8080' }, false, '127.0.0.1', true],
    ['a foreign origin', { host: 'app.example:8080', origin: 'http://evil.example' }, false, '127.0.0.1', false],
    ['another port', { host: 'app.example:8080', origin: 'http://app.example:9090' }, false, '127.0.0.1', false],
    ['Origin null (sandboxed frame)', { host: 'app.example:8080', origin: 'null' }, false, '127.0.0.1', false],
    ['garbage Origin', { host: 'app.example:8080', origin: 'not a url' }, false, '127.0.0.1', false],
    ['behind a trusted proxy: X-Forwarded-Host', FWD, 'loopback', '127.0.0.1', true],
    ['X-Forwarded-Host from an untrusted client is ignored', SPOOF, false, '127.0.0.1', false],
    ['…or from an address that is not the proxy', SPOOF, 'loopback', '10.1.1.1', false],
  ])('%s → %s', (_what, headers, trust, remote, allowed) => {
    expect(socketOriginAllowed(req(headers, remote), trustOf(trust))).toBe(allowed);
  });

  it('accepts an extra allowed host (the Vite dev server)', () => {
    const r = req({ host: 'localhost:8080', origin: 'http://localhost:5173' });
    expect(socketOriginAllowed(r, trustOf(false))).toBe(false);
    expect(socketOriginAllowed(r, trustOf(false), new Set(['localhost:5173']))).toBe(true);
  });
});
