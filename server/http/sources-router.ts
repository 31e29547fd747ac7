/**
 * GET /api/sources → {items: SourceView[]} (registry + latest values + status)
 * GET /api/sources/:mn/series?factor=a21001&cn=2011&from=…&to=… → {items: SeriesPoint[]}
 * An enterprise user sees its own sources only (others: 404).
 */
import { Router } from 'express';
import { z } from 'zod';
import { DATA_KINDS } from '../domain/reading';
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
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ items: visibleItems(res, views()) });
  });
  router.get('/:mn/series', async (req, res) => {
    const { mn } = req.params;
    visibleSource(res, mn, (m) => directory.get(m));
    const q = seriesQuery.parse(req.query);
    const { from, to } = resolveRange(q, now());
    res.json({ items: await store.series({ mn, cn: q.cn, factor: q.factor, from, to }) });
  });
  return router;
}
