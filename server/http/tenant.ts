/**
 * Tenant scoping for routers: an enterprise user sees only its own enterprise's sources (and
 * everything hanging off them); staff see all. Another enterprise's source answers 404, exactly
 * like a source that does not exist, so its existence does not leak.
 */
import type { Response } from 'express';
import { inScope } from '../domain/access';
import type { Source } from '../domain/registry';
import { scopeOfCaller } from './access';
import { HttpError } from './errors';

export function visibleSource(res: Response, mn: string, lookup: (mn: string) => Source | undefined): Source {
  const source = lookup(mn);
  if (!source || !inScope(scopeOfCaller(res), source.enterpriseId)) {
    throw new HttpError(404, 'not_found', `source "${mn}" is not registered`);
  }
  return source;
}

/** Keeps the items the principal may see. */
export function visibleItems<T extends { enterpriseId: string }>(res: Response, items: readonly T[]): T[] {
  const scope = scopeOfCaller(res);
  return items.filter((i) => inScope(scope, i.enterpriseId));
}
