import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { OwnedSources } from './owned-sources';
import { OwnershipListeners } from './ownership';
import { mnsOfPartition, partitionOf } from './partitioning';

const MNS = Array.from({ length: 32 }, (_, i) => `370300CEMS0000000000${String(i).padStart(4, '0')}`);

describe('OwnedSources: the rules’ ownership port of an ingest worker', () => {
  it('owns a source from its partition’s acquisition until its release, and counts the acquisitions', async () => {
    const listeners = new OwnershipListeners(createLogger('silent'));
    let clock = 1_000;
    const owned = new OwnedSources({ partitions: 8, on: (e, l) => listeners.add(e, l) }, () => clock);
    const [mine] = mnsOfPartition(MNS, 3, 8);
    const other = MNS.find((mn) => partitionOf(mn, 8) !== 3)!;
    expect(owned.ownedSince(mine!)).toBeNull();
    await listeners.emitAcquired(3, 7);
    expect(owned.ownedSince(mine!)).toBe(1_000);
    expect(owned.ownedSince(other)).toBeNull();
    expect(owned.stats()).toEqual({ owned: 1, epochChanges: 1 });
    await listeners.emitReleased(3, 'rebalance');
    expect(owned.ownedSince(mine!)).toBeNull();
    clock = 5_000;
    await listeners.emitAcquired(3, 9);
    expect(owned.ownedSince(mine!)).toBe(5_000);
    expect(owned.stats()).toEqual({ owned: 1, epochChanges: 2 });
  });
});
