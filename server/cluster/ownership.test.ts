import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { SoleOwner } from './ownership';

describe('SoleOwner (the embedded process)', () => {
  it('owns every partition from start to stop, epoch 1, and tells every listener even when one fails', async () => {
    const owner = new SoleOwner(4, createLogger('silent'));
    const seen: string[] = [];
    owner.on('acquired', () => {
      throw new Error('a listener that fails');
    });
    owner.on('acquired', (p, epoch) => void seen.push(`+${p}@${epoch}`));
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
    expect(seen).toEqual(['+0@1', '+1@1', '+2@1', '+3@1', '-0 stop', '-1 stop', '-2 stop', '-3 stop']);
    expect(owner.held().size).toBe(0);
    expect(await owner.stillOwner(2, 1)).toBe(false);
  });

  it('refuses a partition count out of range', () => {
    expect(() => new SoleOwner(0, createLogger('silent'))).toThrow(/partition count/);
  });
});
