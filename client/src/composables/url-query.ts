/**
 * A list's filter, sort and page kept in the URL's query (so a reload, a shared link or the back
 * button brings the same list back). Pure: the query ↔ state mapping; use-url-query.ts binds it to
 * the router. State is strings only (what a URL holds); a value equal to its default is left out.
 */
import type { LocationQuery } from 'vue-router';

export type QueryState = Record<string, string>;

/** The state a query gives: each key's string value, else its default (repeated keys: the first). */
export function stateFromQuery<S extends QueryState>(query: LocationQuery, defaults: S): S {
  const out: QueryState = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const raw = query[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value === 'string') out[key] = value;
  }
  return out as S;
}

/** The query of a state: only what differs from the defaults, in the defaults' key order. */
export function queryOfState<S extends QueryState>(state: S, defaults: S): Record<string, string> {
  return Object.fromEntries(
    Object.keys(defaults).flatMap((k) => (state[k] !== defaults[k] && state[k] !== '' ? [[k, state[k] as string]] : [])),
  );
}

/** The keys whose value differs between two states. */
export const changedKeys = <S extends QueryState>(a: S, b: S): (keyof S)[] => Object.keys(a).filter((k) => a[k] !== b[k]);

/** A whole positive number from a query value, else the fallback. */
export function positiveInt(value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}
