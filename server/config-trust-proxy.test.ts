import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const ROOT = resolve(import.meta.dirname, '..');
const server = (env: Record<string, string>) => loadConfig(env, ROOT).server;

describe('server.trustProxy (TRUST_PROXY) and server.forceSecureCookie (FORCE_SECURE_COOKIE)', () => {
  it('default to no proxy and Secure only over HTTPS', () => {
    expect(server({})).toMatchObject({ trustProxy: false, forceSecureCookie: false });
  });

  it.each([
    ['false', false],
    ['1', 1],
    [' 2 ', 2],
    ['loopback', ['loopback']],
    ['127.0.0.1, 10.0.0.0/8', ['127.0.0.1', '10.0.0.0/8']],
    ['::1,fd00::/8,uniquelocal', ['::1', 'fd00::/8', 'uniquelocal']],
  ])('TRUST_PROXY=%j → %j', (text, want) => {
    expect(server({ TRUST_PROXY: text }).trustProxy).toEqual(want);
  });

  it.each([
    ['true', 'trusting every hop would let any client claim any address'],
    ['0', 'zero hops is written false'],
    ['11', 'more hops than any real chain'],
    ['10.0.0.300', 'not an address'],
    ['10.0.0.0/33', 'not a range'],
    ['proxy.internal', 'a host name'],
    ['', 'empty'],
  ])('refuses TRUST_PROXY=%j (%s), naming the variable', (text) => {
    expect(() => server({ TRUST_PROXY: text })).toThrow(ConfigError);
    expect(() => server({ TRUST_PROXY: text })).toThrow(/TRUST_PROXY|trustProxy/);
  });

  it('FORCE_SECURE_COOKIE is a boolean', () => {
    expect(server({ FORCE_SECURE_COOKIE: 'true' }).forceSecureCookie).toBe(true);
    expect(() => server({ FORCE_SECURE_COOKIE: 'sometimes' })).toThrow(/FORCE_SECURE_COOKIE/);
  });
});
