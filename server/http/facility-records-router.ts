/**
 * Facility records over REST (issue 16 item 2). Enterprise users read and write their own
 * enterprise's records only (another's facility or plan answers 404, as if it did not exist);
 * officers and administrators any enterprise's; the ozone centre reads. Changes are audited by the
 * records service (records.adsorbent_logged, records.plan_filed, records.plan_changed).
 *
 *   GET  /api/facilities/:id/adsorbent-replacements          → {items}  latest date first
 *   POST /api/facilities/:id/adsorbent-replacements          {date, amountKg, note?} → 201 {replacement}
 *   GET  /api/start-stop-plans?year&enterpriseId             → {items: PlanStatus[]}  not filed first
 *   GET  /api/start-stop-plans/:enterpriseId/:year           → {plan | null, due}
 *   POST /api/start-stop-plans {enterpriseId?, year, entries} → 201 {plan}  (409 when already filed)
 *   PUT  /api/start-stop-plans/:enterpriseId/:year {entries, version?} → {plan}  files or replaces
 *   GET  /api/start-stop-events?enterpriseId&from&to          → {counts, events}
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { clientIp } from '../auth/auth-router';
import { principalOf } from '../auth/auth-middleware';
import { itemsOf } from '../domain/api-schemas';
import {
  adsorbentReplacementSchema,
  newReplacementSchema,
  planBodySchema,
  planDueDate,
  planEntrySchema,
  planStatusSchema,
  startStopCountSchema,
  startStopEventSchema,
  startStopPlanSchema,
  yearSchema,
} from '../domain/facility-records';
import { localDate } from '../domain/local-time';
import type { Facility } from '../domain/registry';
import type { RecordsService, Acting } from '../records/records-service';
import { routes, sees, tenantOf } from './access';
import { HttpError } from './errors';
import { resolveRange, timeRangeFields } from './time-range';

const YEAR_MS = 366 * 86_400_000;
const enterpriseIdSchema = z.string().min(1).max(64);
const facilityParams = { id: z.string().min(1).max(64) };
const planParams = { enterpriseId: enterpriseIdSchema, year: yearSchema };
const planQuery = z.object({ year: yearSchema.optional(), enterpriseId: enterpriseIdSchema.optional() }).strict();
const planPut = z.object({ entries: z.array(planEntrySchema).max(500), version: z.number().int().min(0).optional() }).strict();
const eventsQuery = z.object({ enterpriseId: enterpriseIdSchema.optional(), ...timeRangeFields }).strict();

const acting = (req: Request, res: Response): Acting => {
  const p = principalOf(res);
  return { actor: p, username: p.username, ip: clientIp(req) };
};

export interface FacilityRecordsPorts {
  records: RecordsService;
  utcOffsetMinutes: number;
  now: () => number;
}

/** `/api/facilities/:id/adsorbent-replacements`, used onto the facilities router. */
export function adsorbentRouter({ records }: FacilityRecordsPorts): Router {
  const r = routes();
  const visible = (res: Response, id: string): Facility => {
    const f = records.facility(id);
    if (!f || !sees(res, f.enterpriseId)) throw new HttpError(404, 'not_found', `facility "${id}" not found`);
    return f;
  };
  r.get(
    '/:id/adsorbent-replacements',
    'records.read',
    {
      summary: { en: 'Adsorbent replacements of a facility', zh: '吸附剂更换记录' },
      params: facilityParams,
      response: itemsOf(adsorbentReplacementSchema),
    },
    async (req, res) => {
      const f = visible(res, req.params['id'] as string);
      res.json({ items: await records.replacements(f.id) });
    },
  );
  r.post(
    '/:id/adsorbent-replacements',
    'records.write',
    {
      summary: { en: 'Log an adsorbent replacement', zh: '登记吸附剂更换' },
      params: facilityParams,
      body: newReplacementSchema,
      status: 201,
      response: z.object({ replacement: adsorbentReplacementSchema }),
    },
    async (req, res) => {
      const f = visible(res, req.params['id'] as string);
      const body = newReplacementSchema.parse(req.body ?? {});
      res.status(201).json({ replacement: await records.logReplacement(f, body, acting(req, res)) });
    },
  );
  return r.router;
}

/** `/api/start-stop-plans`. */
export function startStopPlansRouter({ records, utcOffsetMinutes, now }: FacilityRecordsPorts): Router {
  const r = routes();
  /** The enterprise a request is for; one the caller may not see answers like one that does not exist. */
  const target = (res: Response, id: string | undefined): string => {
    const enterpriseId = id ?? tenantOf(res);
    if (enterpriseId === null) throw new HttpError(400, 'bad_request', 'enterpriseId: which enterprise’s plan');
    const known = records.planEnterprise(enterpriseId);
    if (!known || !sees(res, enterpriseId)) throw new HttpError(404, 'not_found', `enterprise "${enterpriseId}" not found`);
    return enterpriseId;
  };
  const thisYear = () => Number(localDate(now(), utcOffsetMinutes).slice(0, 4));

  r.get(
    '/',
    'records.read',
    {
      summary: { en: 'Who has filed the year’s start/stop plan', zh: '开停车计划报送情况' },
      description: 'Enterprises with a production line (and any that filed), not filed first; year defaults to the current one.',
      query: planQuery,
      response: itemsOf(planStatusSchema),
    },
    async (req, res) => {
      const q = planQuery.parse(req.query);
      const tenant = tenantOf(res);
      if (tenant !== null && q.enterpriseId !== undefined && q.enterpriseId !== tenant) return void res.json({ items: [] });
      res.json({ items: await records.planStatuses(q.year ?? thisYear(), tenant ?? q.enterpriseId) });
    },
  );
  r.get(
    '/:enterpriseId/:year',
    'records.read',
    {
      summary: { en: 'An enterprise’s start/stop plan of a year', zh: '企业年度开停车计划' },
      params: planParams,
      response: z.object({ plan: startStopPlanSchema.nullable(), due: z.string() }),
    },
    async (req, res) => {
      const { enterpriseId, year } = z.object(planParams).parse(req.params);
      const id = target(res, enterpriseId);
      res.json({ plan: await records.plan(id, year), due: planDueDate(year) });
    },
  );
  r.post(
    '/',
    'records.write',
    {
      summary: { en: 'File a year’s start/stop plan', zh: '报送年度开停车计划' },
      description: 'An enterprise files its own (enterpriseId may be left out); an officer names the enterprise.',
      body: planBodySchema,
      status: 201,
      response: z.object({ plan: startStopPlanSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const b = planBodySchema.parse(req.body ?? {});
      const id = target(res, b.enterpriseId);
      res.status(201).json({ plan: await records.putPlan(id, b.year, b.entries, acting(req, res), 0) });
    },
  );
  r.put(
    '/:enterpriseId/:year',
    'records.write',
    {
      summary: { en: 'File or replace a year’s start/stop plan', zh: '修改年度开停车计划' },
      description: 'version: the one read (0 when none was filed); another change since answers 409.',
      params: planParams,
      body: planPut,
      response: z.object({ plan: startStopPlanSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const { enterpriseId, year } = z.object(planParams).parse(req.params);
      const id = target(res, enterpriseId);
      const b = planPut.parse(req.body ?? {});
      // The year's dates are checked as on filing.
      const checked = planBodySchema.parse({ year, entries: b.entries });
      res.json({ plan: await records.putPlan(id, year, checked.entries, acting(req, res), b.version) });
    },
  );
  return r.router;
}

/** `/api/start-stop-events`. */
export function startStopEventsRouter({ records, now }: FacilityRecordsPorts): Router {
  const r = routes();
  r.get(
    '/',
    'records.read',
    {
      summary: { en: 'Start/stop events of production lines, counted per enterprise', zh: '生产设施启停次数统计' },
      description: 'from/to default to the last 24 h; at most a year and a day. An enterprise user sees its own only.',
      query: eventsQuery,
      response: z.object({ counts: z.array(startStopCountSchema), events: z.array(startStopEventSchema) }),
    },
    async (req, res) => {
      const q = eventsQuery.parse(req.query);
      const range = resolveRange(q, now());
      if (range.to - range.from > YEAR_MS) throw new HttpError(400, 'bad_request', 'from: at most a year and a day at a time');
      const tenant = tenantOf(res);
      if (tenant !== null && q.enterpriseId !== undefined && q.enterpriseId !== tenant) return void res.json({ counts: [], events: [] });
      res.json(
        await records.events({
          ...range,
          ...((tenant ?? q.enterpriseId) !== undefined ? { enterpriseId: (tenant ?? q.enterpriseId) as string } : {}),
        }),
      );
    },
  );
  return r.router;
}
