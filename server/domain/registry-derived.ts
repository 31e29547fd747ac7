/**
 * Something computed from the live registry (a lookup map, a set of ids), recomputed only when the
 * registry's version moved: the way a stage reads the registry at use time without rebuilding its
 * maps on every call and without keeping a copy taken at start. Pure.
 */
import type { Registry } from './registry';
import type { RegistryView } from './registry-view';

export function derived<T>(view: RegistryView, build: (registry: Registry) => T): () => T {
  let at = -1;
  let value: T;
  return () => {
    const version = view.version();
    if (version !== at) {
      value = build(view.current());
      at = version;
    }
    return value;
  };
}
