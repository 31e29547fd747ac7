/**
 * Data quality (issue 19; PLANS A5, A7, A10, A11), for the bureau (`quality.read`; an enterprise
 * user is refused with 403: the page ranks every enterprise's sources):
 *   GET  /api/quality/transmission?period=2026-11|2026-Q4   effective transmission per source, ranked
 *        by district, with stack height and the elevated mark, district means, per-O&M-contractor
 *        figures, and `caseDue`: the sources due a rectification case (below the pass mark over an
 *        ended period; offline longer than offline.caseAfterS), for the cases stage to open
 *   GET  /api/quality/comparisons                           comparison tests, newest first, with the criteria
 *   POST /api/quality/comparisons  {mn, factor, from, to, referenceValues, note?}  (`quality.write`)
 *        → 201 the test with its online mean, error and pass/fail (audited: comparison_recorded)
 */
import type { Router } from 'express';
import { z } from 'zod';
import {
  comparisonInputSchema,
  comparisonListSchema,
  comparisonTestSchema,
  parseQualityPeriod,
  transmissionQualitySchema,
} from '../domain/quality';
import type { Source } from '../domain/registry';
import type { QualityService } from '../quality/quality-service';
import { principalOf } from '../auth/auth-middleware';
import { routes } from './access';
import { visibleItems, visibleSource } from './tenant';

export interface QualityRouterDeps {
  quality: QualityService;
  source: (mn: string) => Source | undefined;
  allSources: () => Source[];
  utcOffsetMinutes: number;
}

export function qualityRouter(d: QualityRouterDeps): Router {
  const r = routes();
  const periodQuery = z
    .object({
      period: z.string({ error: 'a period YYYY-MM or YYYY-Qn is required' }).transform((s, ctx) => {
        const p = parseQualityPeriod(s, d.utcOffsetMinutes);
        if (!p) {
          ctx.addIssue({ code: 'custom', message: `"${s}" is not a month YYYY-MM or a quarter YYYY-Qn` });
          return z.NEVER;
        }
        return p;
      }),
    })
    .strict();

  r.get(
    '/transmission',
    'quality.read',
    {
      summary: { en: 'Effective transmission of a month or quarter, ranked by district', zh: '数据有效传输率（按区县排名）' },
      query: periodQuery,
      response: transmissionQualitySchema,
    },
    async (req, res) => {
      const { period } = periodQuery.parse(req.query);
      res.json(await d.quality.transmission(period, visibleItems(res, d.allSources())));
    },
  );

  r.get(
    '/comparisons',
    'quality.read',
    { summary: { en: 'Comparison tests, newest first', zh: '比对监测记录' }, response: comparisonListSchema },
    async (_req, res) => {
      const { criteria, maxSpanH } = d.quality.rules.comparison;
      res.json({ items: await d.quality.list(null), maxSpanH, criteria });
    },
  );

  r.post(
    '/comparisons',
    'quality.write',
    {
      summary: { en: 'Record a comparison test (reference measurement)', zh: '录入比对监测' },
      body: comparisonInputSchema,
      status: 201,
      response: comparisonTestSchema,
      refusals: [404],
    },
    async (req, res) => {
      const input = comparisonInputSchema.parse(req.body ?? {});
      const source = visibleSource(res, input.mn, d.source);
      const test = await d.quality.record(source, input, principalOf(res).username);
      res.locals['auditDetail'] = { source: source.name, factor: test.factor, pass: test.pass };
      res.status(201).json(test);
    },
  );
  return r.router;
}
