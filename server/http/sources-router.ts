/**
 * GET /api/sources → {items: SourceView[]} (registry + latest values + status)
 * GET /api/sources/:mn/series?factor=a21001&cn=2011&from=…&to=… → {items: SeriesPoint[]}
 * An enterprise user sees its own sources only (others: 404).
 */
import type { Router } from 'express';
import { routes } from './access';
import { z } from 'zod';
import { DATA_KINDS, type SeriesPoint } from '../domain/reading';
import { itemsOf, seriesPointSchema, sourceViewSchema } from '../domain/api-schemas';
import { mnSchema } from '../domain/registry';
import type { SourceView } from '../domain/events';
import { FACTOR_CODE_RE } from '../domain/mqtt-contract';
import type { SourceDirectory } from '../sources/source-directory';
import type { TelemetryStore } from '../storage/telemetry-store';
import { visibleItems, visibleSource } from './tenant';
import { resolveRange, timeRangeFields } from './time-range';

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
    { summary: { en: 'Sources with their latest values and status', zh: '监测点实时状态' }, response: itemsOf(sourceViewSchema) },
    (_req, res) => {
      res.json({ items: visibleItems(res, views()) });
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
