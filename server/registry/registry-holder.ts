/**
 * The in-memory live registry: holds the current snapshot and replaces it whole on a change,
 * announcing what changed as `registry:changed`. The registry store (issue 14) persists and
 * audits a change, then hands the new snapshot here; tests use the holder directly.
 */
import type { EventBus, InternalEvents } from '../domain/internal-events';
import { registrySchema, type Registry } from '../domain/registry';
import { isEmptyChange, registryDiff, type RegistryChanged, type RegistryView } from '../domain/registry-view';

export class RegistryHolder implements RegistryView {
  private snapshot: Registry;
  private ver: number;

  /** `version`: the snapshot's version (the registry store's; 1 without a store). */
  constructor(
    initial: Registry,
    private readonly events: Pick<EventBus<InternalEvents>, 'emit'>,
    private readonly now: () => number = Date.now,
    version = 1,
  ) {
    this.snapshot = Object.freeze(initial);
    this.ver = version;
  }

  current(): Registry {
    return this.snapshot;
  }

  version(): number {
    return this.ver;
  }

  /**
   * Replaces the snapshot with `next` (validated again: a holder never holds an invalid registry)
   * and emits `registry:changed`; returns the change, or null when nothing changed.
   * `version`: the stored version of `next` (read from the store: another process's change); else one more.
   * Throws the zod error when `next` is invalid, leaving the current snapshot in place.
   */
  replace(next: Registry, actor: string, version?: number): RegistryChanged | null {
    const parsed = registrySchema.parse(next);
    const diff = registryDiff(this.snapshot, parsed);
    if (isEmptyChange(diff)) {
      if (version !== undefined) this.ver = version;
      return null;
    }
    this.snapshot = Object.freeze(parsed);
    this.ver = version ?? this.ver + 1;
    const change: RegistryChanged = { version: this.ver, actor, at: this.now(), ...diff };
    this.events.emit('registry:changed', change);
    return change;
  }
}
