/**
 * Enterprises' scorecards for the credit rating (信用评价, PLANS H5; issue 19):
 *
 * GET /api/enterprises/:id/scorecard?period=YYYY|YYYY-Qn|YYYY-MM → Scorecard (registry.read)
 *     the bureau: any enterprise's; an enterprise user: its own only (the facts a rating is based
 *     on are disclosed to the enterprise, which may object to them), another's 404
 * GET /api/quality/scorecards?period=…&format=json|xlsx → {period, items: Scorecard[]} ranked, or
 *     the XLSX sheet (quality.read: the bureau; it ranks every enterprise)
 *
 * Campaign and measure compliance is not judged by the product yet: each card carries
 * `measures: {available: false}` and the dashboard and sheet say so.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { described } from '../domain/api-schemas';
import { scorecardQuerySchema } from '../domain/scorecard';
import type { ScorecardService } from '../quality/scorecard-service';
import { periodZh, scorecardsXlsx } from '../quality/scorecard-xlsx';
import { routes, tenantOf } from './access';
import { contentDisposition } from './cases-router';
import { HttpError } from './errors';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const card = described(
  'Scorecard',
  'Scorecard (server/domain/scorecard.ts): alerts, exceedance, transmission, falsification, measures, cases',
);
const idParams = z.object({ id: z.string().min(1).max(100) });

/** Mounted at /api/enterprises. */
export function enterpriseScorecardRouter(service: ScorecardService, utcOffsetMinutes: number): Router {
  const r = routes();
  const query = scorecardQuerySchema(utcOffsetMinutes);
  r.get(
    '/:id/scorecard',
    'registry.read',
    {
      summary: { en: 'An enterprise’s credit scorecard over a year, quarter or month', zh: '企业信用评分卡' },
      description: 'an enterprise user: its own only',
      params: { id: idParams.shape.id },
      query,
      response: card,
    },
    async (req, res) => {
      const { id } = idParams.parse(req.params);
      const { period } = query.parse(req.query);
      const tenant = tenantOf(res);
      if (tenant !== null && tenant !== id) throw new HttpError(404, 'not_found', `enterprise ${id} not found`);
      res.json(await service.one(id, period));
    },
  );
  return r.router;
}

/** Mounted at /api/quality. */
export function scorecardsRouter(service: ScorecardService, utcOffsetMinutes: number): Router {
  const r = routes();
  const query = scorecardQuerySchema(utcOffsetMinutes).extend({ format: z.enum(['json', 'xlsx']).default('json') });
  r.get(
    '/scorecards',
    'quality.read',
    {
      summary: { en: 'Every enterprise’s scorecard, ranked (the cleanest record first)', zh: '企业信用评分排名' },
      query,
      response: z.object({ period: z.string(), items: z.array(card) }),
      files: [XLSX],
    },
    async (req, res) => {
      const { period, format } = query.parse(req.query);
      const items = await service.all(period);
      if (format === 'json') {
        res.json({ period: period.text, items });
        return;
      }
      res.setHeader('content-type', XLSX);
      res.setHeader('content-disposition', contentDisposition(`企业信用评分卡-${period.text}.xlsx`));
      res.send(await scorecardsXlsx(items, periodZh(period.text)));
    },
  );
  return r.router;
}
