import { describe, expect, it } from 'vitest';
import type { ScopedSource } from '../domain/access';
import type { Principal, Role } from '../domain/principal';
import type { Department } from '../domain/site-register';
import { filterMatches, mayPublish, maySubscribe, type MqttIdentity } from './topic-acl';

const A = '370300CEMS00000000000101'; // qilu-power
const B = '370300CEMS00000000000201'; // zichuan-cement
const K = '370300CYYY00000000000101'; // qilu-power's canteen, overseen by urban-management
const S = '370300YCJC00000000000201'; // a construction site of zichuan-cement, overseen by housing
const SOURCES: Record<string, ScopedSource> = {
  [A]: { enterpriseId: 'qilu-power', kind: 'cems' },
  [B]: { enterpriseId: 'zichuan-cement', kind: 'cems' },
  [K]: { enterpriseId: 'qilu-power', kind: 'catering', ownerDepartment: 'urban-management' },
  [S]: { enterpriseId: 'zichuan-cement', kind: 'dust', ownerDepartment: 'housing' },
};
const sourceOf = (mn: string) => SOURCES[mn];

const user = (role: Role, enterpriseId: string | null = null, department: Department | null = null): MqttIdentity => ({
  kind: 'user',
  principal: { userId: 1, username: role, role, enterpriseId, department } satisfies Principal,
});
const who: Record<string, MqttIdentity> = {
  internal: { kind: 'internal', username: 'o3s-ingest' },
  loggerA: { kind: 'logger', mn: A, enterpriseId: 'qilu-power' },
  admin: user('admin'),
  officer: user('officer'),
  ozone: user('ozone'),
  entA: user('enterprise', 'qilu-power'),
  housing: user('department', null, 'housing'),
  deptNone: user('department'),
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
    ['loggerA', `sentinel/v1/${A}/hj212/gateway`, false], // a gateway's: it vouches for the logger's address
    ['admin', `sentinel/v1/${A}/data`, false],
    ['officer', 'sentinel/v1/deadletter', false],
    ['entA', `sentinel/v1/${A}/data`, false],
    ['housing', `sentinel/v1/${S}/data`, false],
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
    ['entA', `sentinel/v1/${K}/data`, true],
    ['housing', `sentinel/v1/${S}/data`, true],
    ['housing', `sentinel/v1/${S}/#`, true],
    ['housing', `sentinel/v1/${K}/data`, false], // another department's kitchen
    ['housing', `sentinel/v1/${B}/data`, false], // the same enterprise's CEMS
    ['housing', 'sentinel/v1/+/data', false],
    ['housing', 'sentinel/v1/#', false],
    ['housing', 'sentinel/v1/deadletter', false],
    ['deptNone', `sentinel/v1/${S}/data`, false],
  ])('%s ⟵ %s: %s', (id, filter, want) => expect(maySubscribe(who[id]!, filter, sourceOf)).toBe(want));
});
