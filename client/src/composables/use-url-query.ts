/**
 * Binds a list's state (filters, sort, page) to the URL query. `state` is what the controls edit;
 * `applied` is what the URL says now (the list loads from it). An edit of a filter key is written to
 * the URL after `debounceMs` (typing does not send a request per key) and goes back to the first
 * page; an edit of an `instant` key (page, page size, sort) is written at once. The URL is replaced,
 * not pushed: back leaves the list as it was left, not filter by filter. When the URL changes from
 * outside (back, a link, the tab clicked again) the controls follow it.
 */
import { computed, onScopeDispose, reactive, watch, type ComputedRef } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { changedKeys, queryOfState, stateFromQuery, type QueryState } from './url-query';

export interface UrlQueryOptions<S extends QueryState> {
  debounceMs?: number;
  /** Keys written at once (and that do not reset the page). */
  instant?: readonly (keyof S)[];
  /** The page key, set back to its default when a filter changes. */
  pageKey?: keyof S;
}

export function useUrlQuery<S extends QueryState>(
  defaults: S,
  opts: UrlQueryOptions<S> = {},
): { state: S; applied: ComputedRef<S>; reset(): void } {
  const route = useRoute();
  const router = useRouter();
  // Leaving the page changes the route before this component is gone: keep the last state of its own route.
  const own = route.name;
  let last = stateFromQuery(route.query, defaults);
  const applied = computed(() => (route.name === own ? (last = stateFromQuery(route.query, defaults)) : last));
  const state = reactive({ ...applied.value }) as S;
  const instant = new Set<keyof S>(opts.instant ?? []);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const write = () => {
    clearTimeout(timer);
    timer = undefined;
    const next = { ...state };
    if (changedKeys(next, applied.value).length === 0) return;
    void router.replace({ query: queryOfState(next, defaults) });
  };

  watch(
    () => ({ ...state }),
    (now) => {
      const changed = changedKeys(now, applied.value);
      if (changed.length === 0) return;
      const filterChanged = changed.some((k) => !instant.has(k));
      if (filterChanged && opts.pageKey !== undefined) (state as QueryState)[opts.pageKey as string] = defaults[opts.pageKey] as string;
      clearTimeout(timer);
      if (filterChanged) timer = setTimeout(write, opts.debounceMs ?? 300);
      else write();
    },
  );
  // The URL changed from outside: the controls show what is applied.
  watch(applied, (now) => {
    if (timer === undefined && changedKeys(now, { ...state }).length > 0) Object.assign(state, now);
  });
  onScopeDispose(() => clearTimeout(timer));

  return {
    state,
    applied,
    reset: () => Object.assign(state, defaults),
  };
}
