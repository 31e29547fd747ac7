/**
 * Which sources this worker owns now, and since when (issue 15 item 3): the port the time-driven
 * rules (offline, flat-line, hour and day closes) and the transport watch ask before they judge a
 * source, so only the owner of its partition raises or clears its alerts. A source's silence is
 * counted from when its partition was acquired at the earliest, as from a start: the new owner has
 * not seen the readings the old owner took, and must not call the source offline for that.
 * In the all-in-one process there is no such port: everything is owned.
 */
import type { PartitionOwnership } from './ownership';
import { partitionOf } from './partitioning';

export interface OwnedSourceStats {
  /** Partitions held now. */
  owned: number;
  /** Partitions acquired since start (each raised the partition's epoch). */
  epochChanges: number;
}

export class OwnedSources {
  /** When each held partition was acquired (this process's clock). */
  private readonly since = new Map<number, number>();
  private acquisitions = 0;

  constructor(
    private readonly ownership: Pick<PartitionOwnership, 'partitions' | 'on'>,
    private readonly now: () => number,
  ) {
    ownership.on('acquired', (p) => {
      this.since.set(p, this.now());
      this.acquisitions++;
    });
    ownership.on('released', (p) => void this.since.delete(p));
  }

  /** When this worker took the source's partition; null: another worker's source (or no one's now). */
  ownedSince(mn: string): number | null {
    return this.since.get(partitionOf(mn, this.ownership.partitions)) ?? null;
  }

  stats(): OwnedSourceStats {
    return { owned: this.since.size, epochChanges: this.acquisitions };
  }
}
