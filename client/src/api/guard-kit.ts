/**
 * The building blocks of the client's runtime guards (guards.ts, control-guards.ts): shallow,
 * hand-written checks so the bundle does not pull in zod. Lists of allowed values always come from
 * the domain's constants (`oneOf(SEVERITIES)`), never from a copy.
 */
export type Obj = Record<string, unknown>;
export type Guard<T> = (v: unknown) => v is T;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
export const isStrOrNull = (v: unknown): v is string | null => v === null || isStr(v);
export const isNumOrNull = (v: unknown): v is number | null => v === null || isNum(v);
export const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

/** One of the domain's values (`oneOf(SEVERITIES)`). */
export const oneOf =
  <T extends string>(values: readonly T[]): Guard<T> =>
  (v: unknown): v is T =>
    (values as readonly unknown[]).includes(v);

export const nullable =
  <T>(guard: Guard<T>): Guard<T | null> =>
  (v: unknown): v is T | null =>
    v === null || guard(v);

/** A field that may be absent (undefined) or, when present, passes `guard`. */
export const optional =
  <T>(guard: Guard<T>): Guard<T | undefined> =>
  (v: unknown): v is T | undefined =>
    v === undefined || guard(v);

export const arrayOf =
  <T>(guard: Guard<T>): Guard<T[]> =>
  (v: unknown): v is T[] =>
    Array.isArray(v) && v.every(guard);

/** `{"items": T[]}` as the REST list endpoints return it. */
export const isItems =
  <T>(item: Guard<T>) =>
  (v: unknown): v is { items: T[] } =>
    isObj(v) && Array.isArray(v['items']) && v['items'].every(item);

/** `{key: T}` as the single-object answers return it (`{alert}`, `{window}`, `{forecast}`…). */
export const isAnswer =
  <K extends string, T>(key: K, guard: Guard<T>) =>
  (v: unknown): v is { [P in K]: T } =>
    isObj(v) && guard(v[key]);

/** Any JSON object (answers whose content the caller does not need). */
export const isAnyObject = (v: unknown): v is Obj => isObj(v);
