import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../domain/principal';
import { loggerClientId, mayUseClientId, userClientId } from './client-ids';
import type { MqttIdentity } from './topic-acl';

const A = '370300CEMS00000000000101';
const B = '370300CEMS00000000000201';
const SHORT = '0000CEMS000101'; // 14 characters, the tail of a 24-character MN below
const LONG = `1037030000${SHORT}`;
const INGEST = 'o3-sentinel-ingest';

const user = (username: string, role: Role = 'enterprise'): MqttIdentity => ({
  kind: 'user',
  principal: { userId: 1, username, role, enterpriseId: role === 'enterprise' ? 'qilu-power' : null, department: null } satisfies Principal,
});
const who: Record<string, MqttIdentity> = {
  internal: { kind: 'internal', username: 'o3s-ingest' },
  loggerA: { kind: 'logger', mn: A, enterpriseId: 'qilu-power' },
  loggerShort: { kind: 'logger', mn: SHORT, enterpriseId: 'qilu-power' },
  loggerLong: { kind: 'logger', mn: LONG, enterpriseId: 'qilu-power' },
  qilu: user('qilu-power'),
  officer: user('officer', 'officer'),
  bob: user('bob'),
  bobX: user('bob-x'),
};

describe('mayUseClientId', () => {
  it.each([
    // the server: any id, its own reserved one included
    ['internal', INGEST, true],
    ['internal', A, true],
    ['internal', 'bench-pool-3', true],
    // a logger: its MN, or a tag, a dash and its MN
    ['loggerA', A, true],
    ['loggerA', `o3sim-1f-${A}`, true],
    ['loggerA', `hj212.gw_2-${A}`, true],
    ['loggerA', INGEST, false],
    ['loggerA', B, false],
    ['loggerA', `x-${B}`, false],
    ['loggerA', `${A}-x`, false],
    ['loggerA', `x${A}`, false],
    ['loggerA', `-${A}`, false],
    ['loggerA', `u:x-${A}`, false],
    ['loggerA', `${'t'.repeat(41)}-${A}`, false],
    ['loggerA', `a b-${A}`, false],
    ['loggerA', '', false],
    // an MN that is the tail of a longer one: neither may use the other's ids
    ['loggerShort', LONG, false],
    ['loggerShort', `x-${LONG}`, false],
    ['loggerShort', `x-${SHORT}`, true],
    ['loggerLong', `x-${SHORT}`, false],
    ['loggerLong', LONG, true],
    // user accounts: u:<username>[:<tag>]
    ['qilu', 'u:qilu-power', true],
    ['qilu', 'u:QILU-POWER:laptop', true],
    ['qilu', 'u:qilu-power:a.b_c-1', true],
    ['qilu', INGEST, false],
    ['qilu', A, false],
    ['qilu', `x-${A}`, false],
    ['qilu', 'qilu-power', false],
    ['qilu', 'u:qilu-power:', false],
    ['qilu', 'u:qilu-power:a:b', false],
    ['qilu', 'u:officer', false],
    ['officer', 'u:officer', true],
    ['officer', 'u:qilu-power', false],
    // "bob" cannot reach "bob-x" and the other way round
    ['bob', 'u:bob-x', false],
    ['bob', 'u:bob:x', true],
    ['bobX', 'u:bob:x', false],
    ['bobX', 'u:bob-x', true],
  ])('%s with client id "%s" → %s', (identity, clientId, want) => {
    expect(mayUseClientId(who[identity]!, clientId, INGEST)).toBe(want);
  });

  it('a logger whose MN would make the ingest id cannot use it either', () => {
    expect(mayUseClientId(who.loggerA!, A, A)).toBe(false);
  });

  it('the helpers build ids their owner may use', () => {
    expect(mayUseClientId(who.loggerA!, loggerClientId(A), INGEST)).toBe(true);
    expect(mayUseClientId(who.loggerA!, loggerClientId(A, 'sim'), INGEST)).toBe(true);
    expect(mayUseClientId(who.bob!, userClientId('bob'), INGEST)).toBe(true);
    expect(mayUseClientId(who.bob!, userClientId('bob', 'tab2'), INGEST)).toBe(true);
  });
});
