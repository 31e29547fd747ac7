/**
 * The data-exchange API, version 1 (issue 21 item 5; docs/data-exchange.md), mounted at
 * /api/exchange/v1 — read-only, for other departments' systems with an API token (or a session):
 *   GET /sources                 the registry's outlets: enterprise, kind, district, coordinates, limits
 *   GET /latest                  the newest real-time value per source and factor
 *   GET /means/hourly?from&to    hourly means (the reports' figures), local days, at most 7
 *   GET /means/daily?from&to     daily means, at most 31 days
 *   GET /alerts?from&to&status&severity
 *   GET /loads?from&to           emission loads per enterprise, local month and pollutant, kg; at most 12 months
 * Every answer is a page `{items, limit, next, nextUrl}` (limit ≤ 1000, default 100). An enterprise
 * caller sees its own enterprise only: another enterprise's MN answers 404 like an unknown one,
 * another enterpriseId an empty page (as GET /api/alerts does).
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { SEVERITIES } from '../domain/alert';
import {
  decodeCursor,
  EXCHANGE_ALERT_STATUSES,
  EXCHANGE_MAX_DAILY_DAYS,
  EXCHANGE_MAX_HOURLY_DAYS,
  EXCHANGE_MAX_LOAD_MONTHS,
  EXCHANGE_PAGE_DEFAULT,
  EXCHANGE_PAGE_MAX,
  exchangeAlertPageSchema,
  exchangeDailyPageSchema,
  exchangeHourlyPageSchema,
  exchangeLatestPageSchema,
  exchangeLoadPageSchema,
  exchangeSourcePageSchema,
  type ExchangeCursor,
} from '../domain/exchange';
import { DAY_MS, parseLocalDate } from '../domain/local-time';
import { FACTOR_CODE_RE } from '../domain/mqtt-contract';
import { mnSchema, type Source } from '../domain/registry';
import type { ExchangeService, Page } from '../exchange/exchange-service';
import { LOAD_POLLUTANTS } from '../exchange/emission-load';
import { routes, tenantOf } from './access';
import { instant } from './alert-params';
import { HttpError } from './errors';
import { visibleSource } from './tenant';

export interface ExchangeRouterDeps {
  service: ExchangeService;
  source: (mn: string) => Source | undefined;
  utcOffsetMinutes: number;
}

const paging = {
  limit: z.coerce.number().int().min(1).max(EXCHANGE_PAGE_MAX).default(EXCHANGE_PAGE_DEFAULT),
  cursor: z.string().min(1).max(2048).optional().meta({ description: 'the `next` of the previous page (same filters)' }),
};
const sourceFilter = {
  mn: mnSchema.optional(),
  enterpriseId: z.string().min(1).max(64).optional(),
};
const factor = z.string().regex(FACTOR_CODE_RE, 'not a factor code').optional();
const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');
const monthText = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM');

const sourcesQuery = z.object({ ...sourceFilter, ...paging }).strict();
const latestQuery = z.object({ ...sourceFilter, factor, ...paging }).strict();
const meansQuery = z
  .object({
    from: dateText.meta({ description: 'first local day, YYYY-MM-DD' }),
    to: dateText.optional().meta({ description: 'last local day (inclusive), default from' }),
    ...sourceFilter,
    factor,
    ...paging,
  })
  .strict();
const alertsQuery = z
  .object({
    from: instant.optional().meta({ description: 'opened at or after: epoch ms or ISO-8601 with an offset' }),
    to: instant.optional().meta({ description: 'opened before' }),
    status: z.enum(EXCHANGE_ALERT_STATUSES).optional(),
    severity: z
      .string()
      .transform((s) => s.split(',').map((x) => x.trim()))
      .pipe(z.array(z.enum(SEVERITIES)).min(1))
      .optional()
      .meta({ description: 'comma-separated: info, warning, major, critical' }),
    ...sourceFilter,
    ...paging,
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });
const loadsQuery = z
  .object({
    from: monthText.meta({ description: 'first local month, YYYY-MM' }),
    to: monthText.optional().meta({ description: 'last local month (inclusive), default from' }),
    enterpriseId: z.string().min(1).max(64).optional(),
    pollutant: z.enum(LOAD_POLLUTANTS as [string, ...string[]]).optional(),
    ...paging,
  })
  .strict();

/** The cursor of the query, of the kind this endpoint gives; 400 otherwise. */
function cursorOf<K extends 'after' | 'beforeId'>(
  text: string | undefined,
  kind: K,
): Extract<ExchangeCursor, Record<K, unknown>> | undefined {
  if (text === undefined) return undefined;
  const c = decodeCursor(text);
  if (!c || !(kind in c)) throw new HttpError(400, 'bad_request', 'cursor: not a cursor of this endpoint (pass `next` back unchanged)');
  return c as Extract<ExchangeCursor, Record<K, unknown>>;
}

/** The page as answered: with the limit and the same request's next link. */
function answer<T>(req: Request, res: Response, limit: number, page: Page<T>): void {
  let nextUrl: string | null = null;
  if (page.next !== null) {
    const url = new URL(req.originalUrl, 'http://exchange.invalid');
    url.searchParams.set('cursor', page.next);
    nextUrl = `${url.pathname}${url.search}`;
  }
  res.json({ items: page.items, limit, next: page.next, nextUrl });
}

const TENANCY =
  'An enterprise caller (user or token) sees its own enterprise only: another enterprise’s mn answers 404, another enterpriseId an empty page.';

export function exchangeRouter(d: ExchangeRouterDeps): Router {
  const r = routes();
  const offset = d.utcOffsetMinutes;

  /** The tenant, after checking a named source is visible (404 otherwise); null tenant: every enterprise. */
  const scope = (
    res: Response,
    q: { mn?: string | undefined; enterpriseId?: string | undefined },
  ): { tenant: string | null; empty: boolean } => {
    if (q.mn !== undefined) visibleSource(res, q.mn, d.source);
    const tenant = tenantOf(res);
    return { tenant, empty: tenant !== null && q.enterpriseId !== undefined && q.enterpriseId !== tenant };
  };
  const dayRange = (q: { from: string; to?: string | undefined }, maxDays: number): { fromDay: number; toDay: number } => {
    const fromDay = parseLocalDate(q.from, offset);
    const toDay = parseLocalDate(q.to ?? q.from, offset);
    if (fromDay === null) throw new HttpError(400, 'bad_request', `from: "${q.from}" is not a date`);
    if (toDay === null) throw new HttpError(400, 'bad_request', `to: "${q.to}" is not a date`);
    if (toDay < fromDay) throw new HttpError(400, 'bad_request', 'to: must not be before from');
    if ((toDay - fromDay) / DAY_MS + 1 > maxDays) throw new HttpError(400, 'bad_request', `to: at most ${maxDays} days from from`);
    return { fromDay, toDay };
  };
  const months = (q: { from: string; to?: string | undefined }) => {
    const [fy, fm] = q.from.split('-').map(Number) as [number, number];
    const [ty, tm] = (q.to ?? q.from).split('-').map(Number) as [number, number];
    const count = (ty - fy) * 12 + (tm - fm) + 1;
    if (count < 1) throw new HttpError(400, 'bad_request', 'to: must not be before from');
    if (count > EXCHANGE_MAX_LOAD_MONTHS)
      throw new HttpError(400, 'bad_request', `to: at most ${EXCHANGE_MAX_LOAD_MONTHS} months from from`);
    return Array.from({ length: count }, (_, i) => {
      const y = fy + Math.floor((fm - 1 + i) / 12);
      const m = ((fm - 1 + i) % 12) + 1;
      const month = `${y}-${String(m).padStart(2, '0')}`;
      const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
      return { month, start: parseLocalDate(`${month}-01`, offset) as number, end: parseLocalDate(`${next}-01`, offset) as number };
    });
  };
  const empty = { items: [], next: null };

  r.get(
    '/sources',
    'exchange.read',
    {
      summary: { en: 'Exchange: monitored outlets', zh: '数据交换：监测排口' },
      description: `The registry’s sources with enterprise, kind, district, coordinates and the limits in force today, by mn. ${TENANCY}`,
      query: sourcesQuery,
      response: exchangeSourcePageSchema,
      refusals: [404],
    },
    (req, res) => {
      const q = sourcesQuery.parse(req.query);
      const c = cursorOf(q.cursor, 'after');
      const s = scope(res, q);
      answer(req, res, q.limit, s.empty ? empty : d.service.sources(s.tenant, q, { limit: q.limit, ...(c ? { after: c.after } : {}) }));
    },
  );

  r.get(
    '/latest',
    'exchange.read',
    {
      summary: { en: 'Exchange: latest values', zh: '数据交换：最新数据' },
      description: `The newest real-time value per source and factor with its time, unit and flag; by mn, factor. ${TENANCY}`,
      query: latestQuery,
      response: exchangeLatestPageSchema,
      refusals: [404],
    },
    (req, res) => {
      const q = latestQuery.parse(req.query);
      const c = cursorOf(q.cursor, 'after');
      const s = scope(res, q);
      answer(req, res, q.limit, s.empty ? empty : d.service.latest(s.tenant, q, { limit: q.limit, ...(c ? { after: c.after } : {}) }));
    },
  );

  r.get(
    '/means/hourly',
    'exchange.read',
    {
      summary: { en: 'Exchange: hourly means', zh: '数据交换：小时均值' },
      description: `Hourly means of local days [from, to] (at most ${EXCHANGE_MAX_HOURLY_DAYS}), as the hourly report computes them (HJ 75 validity; converted to reference O2 where the limit says so, the measured mean beside); by mn, hour, factor. ${TENANCY}`,
      query: meansQuery,
      response: exchangeHourlyPageSchema,
      refusals: [404, 503],
    },
    async (req, res) => {
      const q = meansQuery.parse(req.query);
      const c = cursorOf(q.cursor, 'after');
      const range = dayRange(q, EXCHANGE_MAX_HOURLY_DAYS);
      const s = scope(res, q);
      const paging = { limit: q.limit, ...(c ? { after: c.after } : {}) };
      answer(req, res, q.limit, s.empty ? empty : await d.service.hourly(s.tenant, { ...q, ...range }, paging));
    },
  );

  r.get(
    '/means/daily',
    'exchange.read',
    {
      summary: { en: 'Exchange: daily means', zh: '数据交换：日均值' },
      description: `Daily means of local days [from, to] (at most ${EXCHANGE_MAX_DAILY_DAYS}), as the daily report computes them; by mn, date, factor. ${TENANCY}`,
      query: meansQuery,
      response: exchangeDailyPageSchema,
      refusals: [404, 503],
    },
    async (req, res) => {
      const q = meansQuery.parse(req.query);
      const c = cursorOf(q.cursor, 'after');
      const range = dayRange(q, EXCHANGE_MAX_DAILY_DAYS);
      const s = scope(res, q);
      const paging = { limit: q.limit, ...(c ? { after: c.after } : {}) };
      answer(req, res, q.limit, s.empty ? empty : await d.service.daily(s.tenant, { ...q, ...range }, paging));
    },
  );

  r.get(
    '/alerts',
    'exchange.read',
    {
      summary: { en: 'Exchange: alerts', zh: '数据交换：告警' },
      description: `Alerts opened in [from, to), newest first; status open (not closed), attention (open, unacknowledged) or closed. No assignee, silence, note or history: the bureau’s handling stays internal. ${TENANCY}`,
      query: alertsQuery,
      response: exchangeAlertPageSchema,
      refusals: [404],
    },
    async (req, res) => {
      const q = alertsQuery.parse(req.query);
      const c = cursorOf(q.cursor, 'beforeId');
      const s = scope(res, q);
      const paging = { limit: q.limit, ...(c ? { beforeId: c.beforeId, offset: c.offset } : {}) };
      answer(req, res, q.limit, s.empty ? empty : await d.service.alerts(s.tenant, q, paging));
    },
  );

  r.get(
    '/loads',
    'exchange.read',
    {
      summary: { en: 'Exchange: monthly emission loads', zh: '数据交换：月排放量' },
      description: `Emission loads in kg per enterprise, local month [from, to] (at most ${EXCHANGE_MAX_LOAD_MONTHS}) and pollutant: per hour the logger’s hour amount (CN 2061 Cou) when sent, else the hourly mean measured (not O2-converted) concentration × the mean flue-gas flow × 3600 s × 10⁻⁶; outlets only; by enterprise, month, pollutant. ${TENANCY}`,
      query: loadsQuery,
      response: exchangeLoadPageSchema,
      refusals: [503],
    },
    async (req, res) => {
      const q = loadsQuery.parse(req.query);
      const c = cursorOf(q.cursor, 'after');
      const s = scope(res, q);
      const paging = { limit: q.limit, ...(c ? { after: c.after } : {}) };
      answer(req, res, q.limit, s.empty ? empty : await d.service.loads(s.tenant, { ...q, months: months(q) }, paging));
    },
  );
  return r.router;
}
