/**
 * Reports, as JSON or as a CSV / XLSX download (format=json|csv|xlsx; lang=zh|en for the headers):
 *   GET /api/reports/hourly?mn=&date=YYYY-MM-DD        one source's hourly means with validity flags
 *   GET /api/reports/daily?date=YYYY-MM-DD[&mn=][&district=&industry=&enterpriseId=&status=&q=]
 *       [&limit=&offset=]   the visible sources' day (DailyReport): a page of the matching sources,
 *       worst first (means, hours over the limit, transmission rates, alerts by rule), with the
 *       scope's totals; every match without limit. The CSV / XLSX is every match, streamed.
 *   GET /api/reports/transmission?from=YYYY-MM-DD&to=YYYY-MM-DD   per source per day (to inclusive)
 *   GET /api/reports/transmission/rate?date=YYYY-MM-DD   the overview's figure: the mean effective
 *       rate of the newest day reported (that day or the one before), one small answer, kept a
 *       minute per date and scope (RATE_KEPT_MS)
 * Dates are local days (the rule pack's utcOffsetMinutes). An enterprise user sees its own sources
 * only; another enterprise's MN answers 404 like an unknown one.
 */
import type { Response, Router } from 'express';
import { routes, scopeOfCaller } from './access';
import { z } from 'zod';
import type { Source } from '../domain/registry';
import { mnSchema } from '../domain/registry';
import { described } from '../domain/api-schemas';
import { streamCsv, streamXlsx, toCsv, toXlsx, type Lang, type Table } from '../reports/report-export';
import type { ReportService } from '../reports/report-service';
import { dailyLayout, dailyRows, hourlyTable, transmissionTable } from '../reports/report-tables';
import { DAILY_STATUSES } from '../domain/report';
import { addDays, DAY_MS, parseLocalDate } from '../domain/local-time';
import type { TransmissionRate } from '../domain/transmission-rate';
import { HttpError } from './errors';
import { visibleItems, visibleSource } from './tenant';

/** Longest span of the transmission report, in days. */
export const MAX_TRANSMISSION_DAYS = 62;

const output = { format: z.enum(['json', 'csv', 'xlsx']).default('json'), lang: z.enum(['zh', 'en']).default('zh') };
const dateField = (offset: number) =>
  z.string({ error: 'a date YYYY-MM-DD is required' }).transform((s, ctx) => {
    const start = parseLocalDate(s, offset);
    if (start === null) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a date YYYY-MM-DD` });
      return z.NEVER;
    }
    return { text: s, start };
  });

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

const XLSX_REPORT = CONTENT_TYPES.xlsx;

async function send<R>(
  res: Response,
  format: 'json' | 'csv' | 'xlsx',
  lang: Lang,
  json: unknown,
  table: () => Table<R>,
  name: string,
): Promise<void> {
  if (format === 'json') {
    res.json(json);
    return;
  }
  const body = format === 'csv' ? toCsv(table(), lang) : await toXlsx(table(), lang);
  res.setHeader('content-type', CONTENT_TYPES[format]);
  res.setHeader('content-disposition', `attachment; filename="${name}.${format}"`);
  res.send(body);
}

export interface ReportsRouterDeps {
  reports: ReportService;
  source: (mn: string) => Source | undefined;
  allSources: () => Source[];
}

/**
 * The overview's transmission figure is asked by every dashboard that opens it, and at a province
 * it reads two days of 20,000 sources: an answer (or one being computed) is kept this long per day
 * and scope. The figure is of a closed day (or the one before): a minute late is no loss.
 */
export const RATE_KEPT_MS = 60_000;

export function reportsRouter(d: ReportsRouterDeps): Router {
  const r = routes();
  const rates = new Map<string, { until: number; answer: Promise<TransmissionRate> }>();
  const keepRate = (key: string, answer: Promise<TransmissionRate>): void => {
    const now = Date.now();
    for (const [k, v] of rates) if (v.until <= now) rates.delete(k);
    rates.set(key, { until: now + RATE_KEPT_MS, answer });
    // A failed computation is not kept: the next ask computes again.
    answer.catch(() => rates.get(key)?.answer === answer && rates.delete(key));
  };
  const offset = d.reports.utcOffsetMinutes;
  const hourlyQuery = z.object({ mn: mnSchema, date: dateField(offset), ...output }).strict();
  const dailyQuery = z
    .object({
      date: dateField(offset),
      mn: mnSchema.optional(),
      district: z.string().min(1).max(64).optional(),
      industry: z.string().min(1).max(16).optional(),
      enterpriseId: z.string().min(1).max(64).optional(),
      status: z.enum(DAILY_STATUSES).optional(),
      q: z.string().trim().min(1).max(100).optional(),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
      offset: z.coerce.number().int().min(0).default(0),
      ...output,
    })
    .strict();
  const transmissionQuery = z.object({ from: dateField(offset), to: dateField(offset), ...output }).strict();
  const rateQuery = z.object({ date: dateField(offset) }).strict();

  r.get(
    '/hourly',
    'reports.read',
    {
      summary: { en: 'A source’s hourly means of a day', zh: '小时均值报表' },
      query: hourlyQuery,
      response: described('HourlyReport', 'HourlyReport (server/domain/report.ts)'),
      files: ['text/csv', XLSX_REPORT],
      refusals: [404],
    },
    async (req, res) => {
      const q = hourlyQuery.parse(req.query);
      const source = visibleSource(res, q.mn, d.source);
      const report = await d.reports.hourly(source, q.date.start);
      await send(res, q.format, q.lang, report, () => hourlyTable(report, q.lang, offset), `o3s-hourly-${q.mn}-${q.date.text}`);
    },
  );

  r.get(
    '/daily',
    'reports.read',
    {
      summary: { en: 'Every visible source’s day', zh: '日报表' },
      query: dailyQuery,
      response: described(
        'DailyReport',
        '{date, total, offset, totals, districts, industries, items: DailySource[]} (server/domain/report.ts)',
      ),
      files: ['text/csv', XLSX_REPORT],
      refusals: [404],
    },
    async (req, res) => {
      const { date, mn, format, lang, limit, offset: from, ...filter } = dailyQuery.parse(req.query);
      const all = d.allSources();
      const sources = mn ? [visibleSource(res, mn, d.source)] : visibleItems(res, all);
      const allSources = sources.length === all.length;
      if (format === 'json') {
        res.json(await d.reports.dailyPage(sources, date.start, allSources, { ...filter, offset: from, ...(limit ? { limit } : {}) }));
        return;
      }
      // Every match, a chunk of sources at a time, straight into the answer.
      const chunks = (async function* () {
        for await (const items of d.reports.dailyChunks(sources, date.start, allSources, filter)) yield dailyRows(items);
      })();
      res.setHeader('content-type', CONTENT_TYPES[format]);
      res.setHeader('content-disposition', `attachment; filename="o3s-daily-${date.text}${mn ? `-${mn}` : ''}.${format}"`);
      const table = { ...dailyLayout(lang, date.text), chunks };
      await (format === 'csv' ? streamCsv(table, lang, res) : streamXlsx(table, lang, res));
    },
  );

  r.get(
    '/transmission',
    'reports.read',
    {
      summary: { en: 'Transmission rates per source per day', zh: '传输率报表' },
      query: transmissionQuery,
      response: described('TransmissionReport', '{from, to, items: TransmissionRow[]} (server/domain/report.ts)'),
      files: ['text/csv', XLSX_REPORT],
    },
    async (req, res) => {
      const q = transmissionQuery.parse(req.query);
      if (q.to.start < q.from.start) throw new HttpError(400, 'bad_request', 'to: must not be before from');
      if ((q.to.start - q.from.start) / DAY_MS + 1 > MAX_TRANSMISSION_DAYS) {
        throw new HttpError(400, 'bad_request', `to: at most ${MAX_TRANSMISSION_DAYS} days from from`);
      }
      const all = d.allSources();
      const sources = visibleItems(res, all);
      const items = await d.reports.transmission(sources, q.from.start, q.to.start, sources.length === all.length);
      await send(
        res,
        q.format,
        q.lang,
        { from: q.from.text, to: q.to.text, items },
        () => transmissionTable(items, q.lang, q.from.text, q.to.text),
        `o3s-transmission-${q.from.text}-${q.to.text}`,
      );
    },
  );
  r.get(
    '/transmission/rate',
    'reports.read',
    {
      summary: { en: 'The mean effective transmission rate of the newest day', zh: '最新一日的平均有效传输率' },
      query: rateQuery,
      response: described('TransmissionRate', '{date, rate, sources, firstDay} (server/domain/transmission-rate.ts)'),
    },
    async (req, res) => {
      const { date } = rateQuery.parse(req.query);
      const key = `${date.text} ${JSON.stringify(scopeOfCaller(res))}`;
      const kept = rates.get(key);
      if (kept && kept.until > Date.now()) {
        res.json(await kept.answer);
        return;
      }
      const all = d.allSources();
      const sources = visibleItems(res, all);
      const from = parseLocalDate(addDays(date.text, -1), offset) ?? date.start - DAY_MS;
      const answer = d.reports.transmissionRate(sources, from, date.start, sources.length === all.length);
      keepRate(key, answer);
      res.json(await answer);
    },
  );
  return r.router;
}
