import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../domain/principal';
import { filterMatches, mayPublish, maySubscribe, type MqttIdentity } from './topic-acl';

const A = '370300CEMS00000000000101'; // qilu-power
const B = '370300CEMS00000000000201'; // zichuan-cement
const ENTERPRISE: Record<string, string> = { [A]: 'qilu-power', [B]: 'zichuan-cement' };
const enterpriseOf = (mn: string) => ENTERPRISE[mn];

const user = (role: Role, enterpriseId: string | null = null): MqttIdentity => ({
  kind: 'user',
  principal: { userId: 1, username: role, role, enterpriseId } satisfies Principal,
});
const who: Record<string, MqttIdentity> = {
  internal: { kind: 'internal', username: 'o3s-ingest' },
  loggerA: { kind: 'logger', mn: A, enterpriseId: 'qilu-power' },
  admin: user('admin'),
  officer: user('officer'),
  ozone: user('ozone'),
  entA: user('enterprise', 'qilu-power'),
};

describe('filterMatches', () => {
  it.each([
    ['sentinel/v1/+/data', `sentinel/v1/${A}/data`, true],
    ['sentinel/v1/+/data', 'sentinel/v1/deadletter', false],
    ['sentinel/v1/+/#', 'sentinel/v1/deadletter', true], // # matches its parent level
    ['sentinel/v1/#', 'sentinel/v1', true],
    ['#', '$SYS/broker/uptime', false],
    ['+/v1/x', 'sentinel/v1/x', true],
    ['sentinel/v1/x', 'sentinel/v1/x/y', false],
  ])('%s ~ %s → %s', (filter, topic, want) => expect(filterMatches(filter, topic)).toBe(want));
});

describe('mayPublish', () => {
  it.each([
    ['internal', 'sentinel/v1/deadletter', true],
    ['internal', `sentinel/v1/${A}/hj212/reply`, true],
    ['loggerA', `sentinel/v1/${A}/data`, true],
    ['loggerA', `sentinel/v1/${A}/hj212`, true],
    ['loggerA', `sentinel/v1/${B}/data`, false],
    ['loggerA', `sentinel/v1/${A}/hj212/reply`, false], // replies are the server's
    ['loggerA', 'sentinel/v1/deadletter', false],
    ['loggerA', `sentinel/v1/${A}/other`, false],
    ['admin', `sentinel/v1/${A}/data`, false],
    ['officer', 'sentinel/v1/deadletter', false],
    ['entA', `sentinel/v1/${A}/data`, false],
  ])('%s → %s: %s', (id, topic, want) => expect(mayPublish(who[id]!, topic)).toBe(want));
});

describe('maySubscribe', () => {
  it.each([
    ['internal', '#', true],
    ['internal', '$SYS/#', true],
    ['loggerA', `sentinel/v1/${A}/hj212/reply`, true],
    ['loggerA', `sentinel/v1/${B}/hj212/reply`, false],
    ['loggerA', `sentinel/v1/${A}/data`, false],
    ['loggerA', `sentinel/v1/${A}/#`, false],
    ['loggerA', 'sentinel/v1/+/hj212/reply', false],
    ['admin', 'sentinel/v1/#', true],
    ['officer', 'sentinel/v1/deadletter', true],
    ['officer', 'sentinel/v1/+/data', true],
    ['officer', '#', false],
    ['officer', '$SYS/#', false],
    ['officer', 'other/topic', false],
    ['ozone', 'sentinel/v1/+/data', true],
    ['ozone', `sentinel/v1/${B}/#`, true],
    ['ozone', 'sentinel/v1/+/+/reply', true],
    ['ozone', 'sentinel/v1/deadletter', false],
    ['ozone', 'sentinel/v1/#', false],
    ['ozone', 'sentinel/v1/+/#', false],
    ['ozone', 'sentinel/v1/+', false],
    ['entA', `sentinel/v1/${A}/data`, true],
    ['entA', `sentinel/v1/${A}/#`, true],
    ['entA', `sentinel/v1/${A}/+`, true],
    ['entA', `sentinel/v1/${B}/data`, false],
    ['entA', 'sentinel/v1/+/data', false],
    ['entA', 'sentinel/v1/#', false],
    ['entA', '#', false],
    ['entA', 'sentinel/v1/deadletter', false],
    ['entA', 'sentinel/v1/370300UNKNOWN0000000000/data', false],
    ['entA', '', false],
  ])('%s ⟵ %s: %s', (id, filter, want) => expect(maySubscribe(who[id]!, filter, enterpriseOf)).toBe(want));
});
