import { describe, expect, it } from 'vitest';
import type { Alert } from '../domain/alert';
import type { InternalEvents } from '../domain/internal-events';
import { FROM_STORE, type RegistryChanged } from '../domain/registry-view';
import { coalesced, wireOf, type ClusterMembers, type CrossingEvent } from './cluster-bus';

const members: ClusterMembers = {
  alerts: { onRemoteChange: async () => undefined, reloadAll: async () => undefined, suppressions: { reload: async () => undefined } },
  rules: { reloadConfig: async () => undefined },
};
const ids = { upserted: [], removed: [] };
const registryChange = (actor: string): RegistryChanged => ({ version: 7, actor, at: 1, enterprises: ids, sources: ids, facilities: ids });

describe('what crosses to the other processes for a change made here', () => {
  // event, local payload → what is sent (null: nothing)
  it.each([
    [
      'alert:changed',
      { kind: 'opened', alert: { id: 42, mn: 'M1' } as Alert },
      { id: 42, kind: 'opened' },
      'the alert’s id: read again from the store',
    ],
    ['suppression:changed', { silence: { id: 3 } }, { silence: 3 }, 'which silence'],
    ['suppression:changed', { window: { id: 4 } }, { window: 4 }, 'which window'],
    ['registry:changed', registryChange('admin'), { version: 7 }, 'the version an administrator’s change made'],
    ['registry:changed', registryChange(FROM_STORE), null, 'nothing for a change read from the store (another process’s)'],
    [
      'rules:changed',
      { kind: 'override', mn: 'M1' },
      { kind: 'override', mn: 'M1' },
      'which override changed: the rules re-read from the store',
    ],
    ['rules:changed', { kind: 'pack', mn: null }, { kind: 'pack', mn: null }, 'the pack changed'],
    [
      'user:revoked',
      { userId: 7, reason: 'logout', sessionId: 's', at: 1 },
      { userId: 7, reason: 'logout', sessionId: 's', at: 1 },
      'the revocation',
    ],
  ] as [CrossingEvent, unknown, unknown, string][])('%s: %j → %j (%s)', (event, payload, wire) => {
    expect(wireOf(event, payload as InternalEvents[typeof event], members)).toEqual(wire);
  });
});

describe('coalesced: a burst of reloads costs at most two runs', () => {
  it('calls before a run starts share it; calls during a run share the next one', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const reload = coalesced(async () => {
      runs++;
      await new Promise<void>((r) => (release = r));
    });
    const first = [reload(), reload(), reload()];
    expect(first[1]).toBe(first[0]);
    await new Promise((r) => setImmediate(r)); // the first run starts
    expect(runs).toBe(1);
    const second = [reload(), reload()];
    expect(second[1]).toBe(second[0]);
    expect(second[0]).not.toBe(first[0]);
    release();
    await first[0];
    await new Promise((r) => setImmediate(r));
    release();
    await second[0];
    expect(runs).toBe(2);
  });
});
