/**
 * The registry as a live value (issue 14): every stage reads the current registry through a
 * `RegistryView` and learns of changes from the `registry:changed` internal event, so an enterprise,
 * source or facility added, changed or removed in the product takes effect without a restart. A
 * snapshot is immutable: a change replaces it whole, so a reader never sees half of an edit.
 */
import type { Registry } from './registry';

/** Ids touched by one change, by what they name. */
export interface IdChanges {
  upserted: string[];
  removed: string[];
}

/**
 * The actor of a change this process read from the store, made by another process (a gateway's
 * follower, the cluster bus): not news to the others, so the cluster bus does not send it on.
 */
export const FROM_STORE = 'registry-store';

/** The `registry:changed` payload: plain data (it crosses processes in a cluster). */
export interface RegistryChanged {
  /** Registry version after the change (monotonic; 1 is the first snapshot). */
  version: number;
  /** Who changed it: a username, or `system` (seed, start-up). */
  actor: string;
  /** When, epoch ms. */
  at: number;
  enterprises: IdChanges;
  /** Source MNs. */
  sources: IdChanges;
  facilities: IdChanges;
}

export interface RegistryView {
  /** The current snapshot; never mutate it. */
  current(): Registry;
  /** Its version (see RegistryChanged.version). */
  version(): number;
}

function diffBy<T>(prev: readonly T[], next: readonly T[], key: (t: T) => string): IdChanges {
  const before = new Map(prev.map((t) => [key(t), JSON.stringify(t)]));
  const after = new Map(next.map((t) => [key(t), JSON.stringify(t)]));
  return {
    upserted: [...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k),
    removed: [...before.keys()].filter((k) => !after.has(k)),
  };
}

/** What changed between two registries, by id (enterprises), MN (sources) and id (facilities). */
export function registryDiff(prev: Registry, next: Registry): Pick<RegistryChanged, 'enterprises' | 'sources' | 'facilities'> {
  return {
    enterprises: diffBy(prev.enterprises, next.enterprises, (e) => e.id),
    sources: diffBy(prev.sources, next.sources, (s) => s.mn),
    facilities: diffBy(prev.facilities ?? [], next.facilities ?? [], (f) => f.id),
  };
}

/** True when the change touched nothing. */
export function isEmptyChange(c: Pick<RegistryChanged, 'enterprises' | 'sources' | 'facilities'>): boolean {
  return [c.enterprises, c.sources, c.facilities].every((x) => x.upserted.length === 0 && x.removed.length === 0);
}
