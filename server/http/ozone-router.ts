/**
 * The ozone control centre over REST (staff only: admin, officer, ozone).
 *
 * GET  /api/ozone/status                → OzoneStatus: per ambient station latest O3 1-h, 8-h moving mean,
 *                                          IAQI and level, today's max 8-h, the season's exceedance days
 * GET  /api/ozone/forecasts?from&to     → {from, to, items: Forecast[]}  dates YYYY-MM-DD, default today … +14 days
 * POST /api/ozone/forecasts             (ozone, admin) one entry {date, o3_8h | iaqi, note?} → 201 {forecast};
 *                                          a JSON array of entries or a CSV body (text/csv: header date,o3_8h,iaqi,note)
 *                                          → 201 {imported, items}; any bad row refuses the whole import:
 *                                          400 {error, message, rows: [{row, line?, field, message}]}
 * GET  /api/ozone/warning               → OzoneWarning: the level implied by the forecasts from today
 * GET  /api/ozone/measures              → {items: [{id, zh, en, window?, kinds}]}: the special-control
 *                                          measure templates campaigns choose from (config/rules/ozone.yaml)
 *
 * A forecast for a date replaces the earlier one.
 */
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { aqiLevel } from '../domain/aqi';
import { described, itemsOf } from '../domain/api-schemas';
import type { ControlStore } from '../domain/control-store';
import type { Forecast, ForecastRecord, ForecastRowError, OzoneWarning } from '../domain/ozone';
import { parseForecastCsv, validateForecastRows } from '../control/forecast-import';
import { addDays, localDate, parseLocalDate } from '../domain/local-time';
import type { OzoneRules } from '../control/ozone-rules';
import type { OzoneStatusService } from '../control/ozone-status';
import { ozoneWarning } from '../control/ozone-warning';
import { actorOf, routes } from './access';

const date = z.string().refine((s) => parseLocalDate(s, 0) !== null, 'must be a date YYYY-MM-DD');
const rangeQuery = z
  .object({ from: date.optional(), to: date.optional() })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

const forecastAnswer = described('Forecast', 'Forecast (server/domain/ozone.ts)');

export interface OzoneRouterDeps {
  status: OzoneStatusService;
  store: ControlStore;
  rules: OzoneRules;
  now?: () => number;
}

const withLevel = (f: ForecastRecord): Forecast => {
  const { level, zh, en, colour } = aqiLevel(f.iaqi);
  return { ...f, level: { level, zh, en, colour } };
};

function refuse(res: Response, errors: readonly ForecastRowError[]): void {
  const where = (e: ForecastRowError) => (e.row === 0 ? '' : `row ${e.row}${e.line !== undefined ? ` (line ${e.line})` : ''}: `);
  res
    .status(400)
    .json({ error: 'bad_request', message: errors.map((e) => `${where(e)}${e.field}: ${e.message}`).join('; '), rows: errors });
}

export function ozoneRouter(deps: OzoneRouterDeps): Router {
  const { rules, store } = deps;
  const now = deps.now ?? Date.now;
  const today = () => localDate(now(), rules.utcOffsetMinutes);
  const r = routes();
  r.get(
    '/status',
    'ozone.read',
    {
      summary: { en: 'Ozone now: stations’ O3 1-h, 8-h, IAQI; season exceedance days', zh: '臭氧现状' },
      response: described('OzoneStatus', 'OzoneStatus (server/domain/ozone.ts)'),
      refusals: [503],
    },
    async (_req, res) => {
      res.json(await deps.status.status());
    },
  );

  r.get(
    '/measures',
    'ozone.read',
    {
      summary: { en: 'Special-control measure templates', zh: '管控措施模板' },
      response: itemsOf(described('MeasureTemplate', 'a measure template (config/rules/ozone.yaml)')),
    },
    (_req, res) => {
      res.json({ items: rules.measures });
    },
  );

  r.get(
    '/forecasts',
    'ozone.read',
    {
      summary: { en: 'Ozone forecasts (default today … +14 days)', zh: '臭氧预报' },
      query: rangeQuery,
      response: z.object({ from: z.string(), to: z.string(), items: z.array(forecastAnswer) }),
    },
    async (req, res) => {
      const q = rangeQuery.parse(req.query);
      const from = q.from ?? today();
      const to = q.to ?? addDays(from, 14);
      res.json({ from, to, items: (await store.forecasts(from, to)).map(withLevel) });
    },
  );

  r.post(
    '/forecasts',
    'forecasts.write',
    {
      summary: { en: 'Record forecasts: one, a JSON array, or CSV', zh: '录入或导入臭氧预报' },
      upload: {
        types: ['application/json', 'text/csv'],
        description: 'one entry {date, o3_8h | iaqi, note?}, an array of them, or CSV with header date,o3_8h,iaqi,note',
      },
      status: 201,
      response: described(
        'ForecastsRecorded',
        '{forecast} for one entry, {imported, items} for several; any bad row refuses all: 400 with rows',
      ),
    },
    express.text({ type: ['text/csv', 'text/plain'], limit: '1mb' }),
    async (req, res) => {
      const limits = { today: today(), maxDaysAhead: rules.forecast.maxDaysAhead, maxRows: rules.forecast.maxRows };
      const body: unknown = req.body;
      const single = typeof body === 'object' && body !== null && !Array.isArray(body);
      let result;
      if (typeof body === 'string') {
        const csv = parseForecastCsv(body);
        const checked = validateForecastRows(csv.rows, limits, csv.positions);
        const errors = [...csv.errors, ...(checked.ok ? [] : checked.errors)].sort((a, b) => a.row - b.row);
        if (errors.length > 0) return refuse(res, errors);
        result = checked;
      } else {
        result = validateForecastRows(single ? [body] : Array.isArray(body) ? body : [], limits);
      }
      if (!result.ok) return refuse(res, single ? result.errors.map((e) => ({ ...e, row: 0 })) : result.errors);
      const at = now();
      const records = result.items.map((f): ForecastRecord => ({ ...f, recordedBy: actorOf(res), recordedAt: at }));
      await store.saveForecasts(records);
      const items = records.map(withLevel);
      if (single) res.status(201).json({ forecast: items[0] });
      else res.status(201).json({ imported: items.length, items });
    },
  );

  r.get(
    '/warning',
    'ozone.read',
    {
      summary: { en: 'The warning level the forecasts imply', zh: '臭氧预警等级' },
      response: described('OzoneWarning', 'OzoneWarning (server/domain/ozone.ts) with its thresholds'),
    },
    async (_req, res) => {
      const from = today();
      const forecasts = await store.forecasts(from, addDays(from, rules.warning.horizonDays - 1));
      const warning: OzoneWarning = ozoneWarning(forecasts, from, rules.warning);
      res.json({ ...warning, thresholds: rules.warning.levels });
    },
  );

  return r.router;
}
