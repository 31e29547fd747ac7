/**
 * GET /api/sources?q&status&kind&enterpriseId&district&limit&offset → {items: SourceView[], total}
 *     (registry + latest values + status). Without limit: every match (the whole list without filters,
 *     as the dashboard's first paint asks); with it, one page. total: how many matched.
 * (GET /api/sources/:mn/series: series-router.ts)
 * An enterprise user sees its own sources only.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { routes } from './access';
import { sourcePageSchema } from '../domain/api-schemas';
import { SOURCE_STATUSES, type SourceView } from '../domain/events';
import { querySources, type SourcePage } from '../domain/source-query';
import { SOURCE_KINDS } from '../domain/source-kinds';
import { visibleItems } from './tenant';

/** One value or several, comma-separated (`status=exceeding,offline`). */
const listOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(z.enum(values)).min(1));

const listQuery = z
  .object({
    q: z.string().trim().min(1).max(100).optional(),
    status: listOf(SOURCE_STATUSES).optional(),
    kind: listOf(SOURCE_KINDS).optional(),
    enterpriseId: z.string().min(1).max(64).optional(),
    district: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export function sourcesRouter(views: () => SourceView[]): Router {
  const r = routes();
  r.get(
    '/',
    'sources.read',
    {
      summary: { en: 'Sources with their latest values and status, filtered and paged', zh: '监测点实时状态（可筛选、分页）' },
      query: listQuery,
      response: sourcePageSchema,
    },
    (req, res) => {
      const q = listQuery.parse(req.query);
      res.json(querySources(visibleItems(res, views()), q) satisfies SourcePage);
    },
  );
  return r.router;
}
