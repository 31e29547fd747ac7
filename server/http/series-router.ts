/**
 * GET /api/sources/:mn/series?factor=a21001&cn=2011&from=…&to=…[&resolution=raw|hour|day]
 *   → {resolution, items: SeriesPoint[]}
 * Real-time and minute data over more than 7 days come as hourly means of the reports' rollup, over
 * more than a year as daily means (server/reports/series-downsample.ts); `resolution` asks for one,
 * raw points at most 31 days. An enterprise user sees its own sources only (others: 404).
 */
import type { Router } from 'express';
import { z } from 'zod';
import { seriesAnswerSchema } from '../domain/api-schemas';
import { DAY_MS } from '../domain/local-time';
import { FACTOR_CODE_RE } from '../domain/mqtt-contract';
import { DATA_KINDS } from '../domain/reading';
import { mnSchema } from '../domain/registry';
import { SERIES_RESOLUTIONS } from '../domain/retention';
import type { SeriesReader } from '../reports/series-downsample';
import type { SourceDirectory } from '../sources/source-directory';
import { routes } from './access';
import { HttpError } from './errors';
import { visibleSource } from './tenant';
import { resolveRange, timeRangeFields } from './time-range';

/** The longest range raw real-time or minute points are sent for when asked (`resolution=raw`). */
const RAW_MAX_MS = 31 * DAY_MS;

const seriesQuery = z
  .object({
    factor: z.string().regex(FACTOR_CODE_RE),
    cn: z.enum(DATA_KINDS).default('2011'),
    ...timeRangeFields,
    resolution: z.enum(SERIES_RESOLUTIONS).optional().meta({
      description:
        'raw points, or hourly / daily means of the rollup; default: raw up to 7 days of real-time or minute data, hourly up to a year, daily beyond',
    }),
  })
  .strict();

export function seriesRouter(directory: SourceDirectory, reader: SeriesReader, now: () => number): Router {
  const r = routes();
  r.get(
    '/:mn/series',
    'sources.read',
    {
      summary: { en: 'A factor’s series of one source, raw or as hourly / daily means', zh: '监测点时间序列（原始数据或小时、日均值）' },
      params: { mn: mnSchema },
      query: seriesQuery,
      response: seriesAnswerSchema,
      refusals: [503],
    },
    async (req, res) => {
      const mn = req.params.mn as string;
      visibleSource(res, mn, (m) => directory.get(m));
      const q = seriesQuery.parse(req.query);
      const { from, to } = resolveRange(q, now());
      if (q.resolution === 'raw' && (q.cn === '2011' || q.cn === '2051') && to - from > RAW_MAX_MS) {
        throw new HttpError(400, 'bad_request', 'resolution=raw covers at most 31 days of real-time or minute data; ask for hour or day');
      }
      const answer = await reader.read({ mn, cn: q.cn, factor: q.factor, from, to, ...(q.resolution ? { resolution: q.resolution } : {}) });
      res.json(answer);
    },
  );
  return r.router;
}
