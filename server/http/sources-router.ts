/**
 * GET /api/sources?q&status&kind&enterpriseId&district&limit&offset → {items: SourceView[], total}
 *     (registry + latest values + status). Without limit: every match (the whole list without filters);
 *     with it, one page. total: how many matched. Answered from the cached views and their cached
 *     JSON (server/sources/source-view-cache.ts), never rebuilt from every source per request.
 * GET /api/sources/summary → the overview's counts (by status, kind, district, industry; the open
 *     alerts), without the list.
 * GET /api/sources/points → {items: [mn, lon, lat, status, enterpriseId][], total}: every source the
 *     caller may see, compact (the overview's map and its list of cards, a province in about 1 MB);
 *     the cards in view then ask for their sources by MN (`?mn=A,B,…`).
 * (GET /api/sources/:mn/series: series-router.ts)
 * An enterprise user sees its own sources (and their alerts) only; a department user its sites'.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { inScope, type Scope } from '../domain/access';
import type { Alert } from '../domain/alert';
import { sourcePageSchema, sourcePointsSchema, sourceSummarySchema } from '../domain/api-schemas';
import { SOURCE_STATUSES } from '../domain/events';
import { summarizeSources, type SourceSummary } from '../domain/source-summary';
import { SOURCE_KINDS } from '../domain/source-kinds';
import type { SourceViewCache } from '../sources/source-view-cache';
import { routes, scopeOfCaller } from './access';

/** One value or several, comma-separated (`status=exceeding,offline`). */
const listOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(z.enum(values)).min(1));

/** The most MNs one request may name (a screenful of cards, with room). */
const MN_LIST_MAX = 200;

const listQuery = z
  .object({
    q: z.string().trim().min(1).max(100).optional(),
    status: listOf(SOURCE_STATUSES).optional(),
    kind: listOf(SOURCE_KINDS).optional(),
    enterpriseId: z.string().min(1).max(64).optional(),
    district: z.string().min(1).max(64).optional(),
    mn: z
      .preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(z.string().min(1).max(64)).min(1).max(MN_LIST_MAX))
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export interface SourcesRouterDeps {
  views: Pick<SourceViewCache, 'query' | 'statuses' | 'points'>;
  /** The industry of an enterprise (registry), for the summary. */
  industryOf: (enterpriseId: string) => { code: string; name: string } | undefined;
  /** The open alerts (the alert service's port). */
  openAlerts: () => readonly Alert[];
}

/** The open alerts the scope sees: an enterprise's own; a department's sites'. */
function alertsInScope(scope: Scope, alerts: readonly Alert[], mns: () => Set<string>): readonly Alert[] {
  if (scope.all) return alerts;
  if ('enterpriseId' in scope) return alerts.filter((a) => inScope(scope, a.enterpriseId));
  const sites = mns();
  return alerts.filter((a) => sites.has(a.mn));
}

export function sourcesRouter(deps: SourcesRouterDeps): Router {
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
      res.type('application/json').send(deps.views.query(scopeOfCaller(res), q).json());
    },
  );
  r.get(
    '/summary',
    'sources.read',
    {
      summary: { en: 'Source counts by status, kind, district and industry, and the open alerts', zh: '监测点与告警汇总' },
      response: sourceSummarySchema,
    },
    (_req, res) => {
      const scope = scopeOfCaller(res);
      const rows = deps.views.statuses(scope);
      const alerts = alertsInScope(scope, deps.openAlerts(), () => new Set(rows.map((v) => v.mn)));
      res.json(summarizeSources(rows, deps.industryOf, alerts) satisfies SourceSummary);
    },
  );
  r.get(
    '/points',
    'sources.read',
    {
      summary: {
        en: 'Every source as a compact point [mn, lon, lat, status, enterpriseId], for the map',
        zh: '监测点坐标与状态（精简，用于地图）',
      },
      response: sourcePointsSchema,
    },
    (_req, res) => {
      res.type('application/json').send(deps.views.points(scopeOfCaller(res)).json());
    },
  );
  return r.router;
}
