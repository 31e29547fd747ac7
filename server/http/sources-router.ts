/**
 * GET /api/sources?q&status&kind&enterpriseId&district&limit&offset → {items: SourceView[], total}
 *     (registry + latest values + status). Without limit: every match (the whole list without filters,
 *     as the dashboard's first paint asks); with it, one page. total: how many matched.
 * GET /api/sources/:mn/series?factor=a21001&cn=2011&from=…&to=… → {items: SeriesPoint[]}
 * An enterprise user sees its own sources only (others: 404).
 */
import type { Router } from 'express';
import { routes } from './access';
import { z } from 'zod';
import { DATA_KINDS, type SeriesPoint } from '../domain/reading';
import { itemsOf, seriesPointSchema, sourcePageSchema } from '../domain/api-schemas';
import { mnSchema } from '../domain/registry';
import { SOURCE_STATUSES, type SourceView } from '../domain/events';
import { querySources, type SourcePage } from '../domain/source-query';
import { SOURCE_KINDS } from '../domain/source-kinds';
import { FACTOR_CODE_RE } from '../domain/mqtt-contract';
import type { SourceDirectory } from '../sources/source-directory';
import type { TelemetryStore } from '../storage/telemetry-store';
import { visibleItems, visibleSource } from './tenant';
import { resolveRange, timeRangeFields } from './time-range';

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

const seriesQuery = z
  .object({
    factor: z.string().regex(FACTOR_CODE_RE),
    cn: z.enum(DATA_KINDS).default('2011'),
    ...timeRangeFields,
  })
  .strict();

export function sourcesRouter(directory: SourceDirectory, store: TelemetryStore, views: () => SourceView[], now: () => number): Router {
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
  r.get(
    '/:mn/series',
    'sources.read',
    {
      summary: { en: 'A factor’s series of one source', zh: '监测点时间序列' },
      params: { mn: mnSchema },
      query: seriesQuery,
      response: itemsOf(seriesPointSchema),
      refusals: [503],
    },
    async (req, res) => {
      const mn = req.params.mn as string;
      visibleSource(res, mn, (m) => directory.get(m));
      const q = seriesQuery.parse(req.query);
      const { from, to } = resolveRange(q, now());
      const items: SeriesPoint[] = await store.series({ mn, cn: q.cn, factor: q.factor, from, to });
      res.json({ items });
    },
  );
  return r.router;
}
