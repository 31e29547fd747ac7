/**
 * Tenant scoping for routers: an enterprise user sees only its own enterprise's sources (and
 * everything hanging off them), a department user only the sites its department oversees; staff
 * see all. A source outside the scope answers 404, exactly like a source that does not exist, so
 * its existence does not leak.
 */
import type { Response } from 'express';
import { sourceInScope, type ScopedSource } from '../domain/access';
import type { Source } from '../domain/registry';
import { scopeOfCaller } from './access';
import { HttpError } from './errors';

export function visibleSource(res: Response, mn: string, lookup: (mn: string) => Source | undefined): Source {
  const source = lookup(mn);
  if (!source || !sourceInScope(scopeOfCaller(res), source)) {
    throw new HttpError(404, 'not_found', `source "${mn}" is not registered`);
  }
  return source;
}

/** Keeps the sources (or source views) the principal may see. */
export function visibleItems<T extends ScopedSource>(res: Response, items: readonly T[]): T[] {
  const scope = scopeOfCaller(res);
  return items.filter((i) => sourceInScope(scope, i));
}
