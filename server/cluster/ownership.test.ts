import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { OwnershipListeners, SoleOwner, type ReleaseReason } from './ownership';

describe('SoleOwner (the embedded process)', () => {
  it('owns every partition from start to stop, epoch 1, and tells every listener even when one fails', async () => {
    const owner = new SoleOwner(4, createLogger('silent'));
    const seen: string[] = [];
    owner.on('acquired', () => {
      throw new Error('a listener that fails');
    });
    owner.on('acquired', (p, epoch) => void seen.push(`+${p}@${epoch}`));
    owner.on('releasing', (p, why) => void seen.push(`~${p} ${why}`));
    owner.on('released', (p, why) => void seen.push(`-${p} ${why}`));
    await owner.start();
    expect([...owner.held()]).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect(await owner.stillOwner(2, 1)).toBe(true);
    expect(await owner.stillOwner(2, 0)).toBe(false);
    await owner.stop();
    expect(seen).toEqual([
      '+0@1',
      '+1@1',
      '+2@1',
      '+3@1',
      '~0 stop',
      '~1 stop',
      '~2 stop',
      '~3 stop',
      '-0 stop',
      '-1 stop',
      '-2 stop',
      '-3 stop',
    ]);
    expect(owner.held().size).toBe(0);
    expect(await owner.stillOwner(2, 1)).toBe(false);
  });

  it('refuses a partition count out of range', () => {
    expect(() => new SoleOwner(0, createLogger('silent'))).toThrow(/partition count/);
  });
});

describe('letting partitions go', () => {
  // Given up alive, the partitions drain side by side (all `releasing` start before any ends), then
  // each is forgotten, released and unlocked in turn; a lost lease is not drained: it may be another's.
  it.each<[ReleaseReason, string[]]>([
    ['rebalance', ['~3 start', '~5 start', '~3 end', '~5 end', 'forget 3', '-3', 'unlock 3', 'forget 5', '-5', 'unlock 5']],
    ['stop', ['~3 start', '~5 start', '~3 end', '~5 end', 'forget 3', '-3', 'unlock 3', 'forget 5', '-5', 'unlock 5']],
    ['lost', ['forget 3', '-3', 'unlock 3', 'forget 5', '-5', 'unlock 5']],
  ])('%s', async (why, expected) => {
    const listeners = new OwnershipListeners(createLogger('silent'));
    const seen: string[] = [];
    listeners.add('releasing', async (p) => {
      seen.push(`~${p} start`);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(`~${p} end`);
    });
    listeners.add('released', (p) => void seen.push(`-${p}`));
    await listeners.letGo(
      [3, 5],
      why,
      (p) => void seen.push(`forget ${p}`),
      async (p) => void seen.push(`unlock ${p}`),
    );
    expect(seen).toEqual(expected);
  });
});
