/**
 * GET /api/sources → {items: SourceView[]} (registry + latest values + status)
 * (GET /api/sources/:mn/series: series-router.ts)
 * An enterprise user sees its own sources only.
 */
import type { Router } from 'express';
import { routes } from './access';
import { itemsOf, sourceViewSchema } from '../domain/api-schemas';
import type { SourceView } from '../domain/events';
import { visibleItems } from './tenant';

export function sourcesRouter(views: () => SourceView[]): Router {
  const r = routes();
  r.get(
    '/',
    'sources.read',
    { summary: { en: 'Sources with their latest values and status', zh: '监测点实时状态' }, response: itemsOf(sourceViewSchema) },
    (_req, res) => {
      res.json({ items: visibleItems(res, views()) });
    },
  );
  return r.router;
}
