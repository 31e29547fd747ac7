/**
 * Alerts over REST. Reads are scoped to the caller's enterprise for enterprise users (another
 * enterprise's alert is a 404); each route declares its permission (server/domain/access.ts).
 *
 * GET  /api/alerts?state&acknowledged&open&attention&suppressed&severity=a,b&mn&enterpriseId&rule&exceedance&factor&assignee&from&to&q
 *        &district&kind&department&sort&limit&offset
 *        → {items, total, limit, offset, nextOffset}   newest first; sort=attention: open, most severe, unacknowledged, newest
 *        (exceedance=true: not an equipment alert — offline, instrument fault, maintenance flag; with limit=1 the
 *        sources overview counts today's exceedances from `total` without reading them)
 *        (district, kind, department: of the alert's source; q also matches the source's, enterprise's
 *        and factor's names — the wall of a province pages its alerts with these)
 * POST /api/alerts/acknowledge {ids, note?}      → {results: [{id, ok: true, alert} | {id, ok: false, error}]}  (bulk)
 * GET  /api/alerts/history?mn=…&limit&before   → {items: AlertHistoryEntry[]} of one source, newest first
 * GET  /api/alerts/:id                          → {alert, history, comments}
 * POST /api/alerts/:id/acknowledge {note?}      → {alert}
 * POST /api/alerts/:id/assign {assignee|null, note?} → {alert}   (400 unknown_assignee: not an enabled officer or admin)
 * POST /api/alerts/:id/comment {text, internal?} → 201 {alert, comment}  (officers: internal unless internal: false;
 *                                                 an enterprise's comments are always visible to it)
 * POST /api/alerts/:id/resolve {note?}          → {alert}   (closes it; the dashboard asks for the reason)
 * POST /api/alerts/:id/silence {reason, endsAt | durationMin} → {alert}  (a silence on its source, factor and rule)
 */
import type { Response, Router } from 'express';
import { z } from 'zod';
import type { ActionResult, AlertService } from '../alerts/alert-service';
import type { AlertDetail, AlertHistoryEntry, AlertPage, BulkResult } from '../domain/alert';
import { ALERT_SORTS, ALERT_STATES, SEVERITIES, type Alert } from '../domain/alert';
import { alertForEnterprise, historyForEnterprise, type NameOf } from '../domain/enterprise-view';
import { sourceInScope } from '../domain/access';
import { mnSchema, type Enterprise, type Source } from '../domain/registry';
import { narrowBySource, type AlertSourceFacts } from '../domain/alert-source-filter';
import { DEPARTMENTS } from '../domain/site-register';
import { SOURCE_KINDS } from '../domain/source-kinds';
import { actorOf, routes, scopeOfCaller, sees, tenantOf } from './access';
import { factorCode, idParam, instant, queryBool, ruleName, text, username } from './alert-params';
import { HttpError } from './errors';
import { MAX_SILENCE_MIN, silenceEnd } from './silences-router';
import { alertDetailSchema, alertHistoryEntrySchema, alertPageSchema, alertSchema, bulkResultSchema, itemsOf } from '../domain/api-schemas';

const severityList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(z.enum(SEVERITIES)).min(1));

const listQuery = z
  .object({
    state: z.enum(ALERT_STATES).optional(),
    acknowledged: queryBool.optional(),
    open: queryBool.optional(),
    attention: queryBool.optional(),
    suppressed: queryBool.optional(),
    severity: severityList.optional(),
    mn: mnSchema.optional(),
    enterpriseId: z.string().min(1).max(64).optional(),
    rule: ruleName.optional(),
    exceedance: queryBool.optional(),
    factor: factorCode.optional(),
    assignee: username.optional(),
    from: instant.optional(),
    to: instant.optional(),
    q: z.string().trim().min(1).max(100).optional(),
    district: z.string().trim().min(1).max(64).optional(),
    kind: z.enum(SOURCE_KINDS).optional(),
    department: z.enum(DEPARTMENTS).optional(),
    sort: z.enum(ALERT_SORTS).default('newest'),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });

const historyQuery = z
  .object({
    mn: mnSchema,
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    before: z.coerce.number().int().positive().optional(),
  })
  .strict();

const noteBody = z.object({ note: text(2000).optional() }).strict();
/** At most a screenful of rows at once; duplicates are acted on once. */
const alertAnswer = z.object({ alert: alertSchema });

export const MAX_BULK = 200;
const bulkBody = z
  .object({ ids: z.array(z.number().int().positive()).min(1).max(MAX_BULK), note: text(2000).optional() })
  .strict()
  .transform((b) => ({ ...b, ids: [...new Set(b.ids)] }));
const assignBody = z.object({ assignee: username.nullable(), note: text(2000).optional() }).strict();
const commentBody = z.object({ text: text(4000), internal: z.boolean().optional() }).strict();
const silenceBody = z
  .object({ reason: text(500), endsAt: instant.optional(), durationMin: z.number().int().min(1).max(MAX_SILENCE_MIN).optional() })
  .strict()
  .refine((b) => (b.endsAt === undefined) !== (b.durationMin === undefined), {
    message: 'give exactly one of endsAt and durationMin',
    path: ['endsAt'],
  });

export interface AlertsRouterOptions {
  /** May alerts be assigned to this username (an existing, enabled officer or admin)? Unchecked when absent. */
  isAssignable?: (username: string) => boolean | Promise<boolean>;
  /** The registry's sources (a department user sees the alerts of the sites it oversees); absent: it sees none. */
  sources?: { get(mn: string): Source | undefined; all(): readonly Source[]; enterprise?(id: string): Enterprise | undefined };
  /** How an enterprise reads a person (display name); absent: as the username. */
  nameOf?: NameOf;
}

const intersect = (a: readonly string[], b: readonly string[]): string[] => {
  const inA = new Set(a);
  return b.filter((mn) => inA.has(mn));
};

export function alertsRouter(alerts: AlertService, now: () => number = Date.now, options: AlertsRouterOptions = {}): Router {
  const r = routes();

  /** May the caller see this alert: its enterprise's, or (a department user) its source's. */
  const seesAlert = (res: Response, alert: Alert): boolean => {
    const scope = scopeOfCaller(res);
    if (!('department' in scope)) return sees(res, alert.enterpriseId);
    const source = options.sources?.get(alert.mn);
    return source !== undefined && sourceInScope(scope, source);
  };
  /** The MNs a department user's alert list is narrowed to (undefined for everyone else). */
  const overseenMns = (res: Response): string[] | undefined => {
    const scope = scopeOfCaller(res);
    if (!('department' in scope)) return undefined;
    return (options.sources?.all() ?? []).filter((s) => sourceInScope(scope, s)).map((s) => s.mn);
  };
  /**
   * The registry's facts behind the source filters and the name search (none without a registry),
   * read one source at a time and only when a filter asks (most lists have none: a province has
   * 20,000 sources).
   */
  function* sourceFacts(): Generator<AlertSourceFacts> {
    const dir = options.sources;
    for (const s of dir?.all() ?? []) {
      const e = dir?.enterprise?.(s.enterpriseId);
      yield {
        mn: s.mn,
        name: s.name,
        kind: s.kind,
        district: s.district ?? e?.district ?? '',
        enterpriseName: e?.name ?? s.enterpriseId,
        ownerDepartment: s.ownerDepartment,
      };
    }
  }
  const bySourceFacts = (f: Parameters<typeof narrowBySource>[1]) => narrowBySource(sourceFacts(), f);
  /** The alert, if the caller may see it; 404 otherwise (another enterprise's alert does not exist for them). */
  const visible = async (res: Response, raw: unknown): Promise<Alert> => {
    const { id } = idParam.parse(raw);
    const alert = await alerts.get(id);
    if (!alert || !seesAlert(res, alert)) throw new HttpError(404, 'not_found', `alert ${id} not found`);
    return alert;
  };
  /** What this caller may receive of an alert and its history. */
  const nameOf: NameOf = options.nameOf ?? ((u) => u);
  const alertView = (res: Response, a: Alert): Alert => (tenantOf(res) === null ? a : alertForEnterprise(a, nameOf));
  const historyView = (res: Response, h: AlertHistoryEntry[]): AlertHistoryEntry[] =>
    tenantOf(res) === null ? h : historyForEnterprise(h, nameOf);
  const answer = (r: ActionResult): Alert => {
    if (r.ok) return r.alert;
    if (r.reason === 'closed') throw new HttpError(409, 'conflict', 'the alert is closed');
    throw new HttpError(404, 'not_found', 'alert not found');
  };

  r.get(
    '/',
    'alerts.read',
    {
      summary: { en: 'List alerts', zh: '告警列表' },
      query: listQuery,
      response: alertPageSchema,
      description:
        'Newest first; sort=attention: open, most severe, unacknowledged, newest. exceedance=true: not an equipment alert (offline, instrument fault, maintenance flag). assignee, suppressed and q are not filters for enterprise users.',
    },
    async (req, res) => {
      const q = listQuery.parse(req.query);
      const tenant = tenantOf(res);
      // These would tell an enterprise who handles its alerts and which the bureau silenced.
      const internal = (['assignee', 'suppressed', 'q'] as const).find((k) => q[k] !== undefined);
      if (tenant !== null && internal) throw new HttpError(400, 'bad_request', `${internal}: not a filter for enterprise users`);
      const mns = overseenMns(res);
      if (mns === undefined && tenant !== null && q.enterpriseId !== undefined && q.enterpriseId !== tenant) {
        res.json({ items: [], total: 0, limit: q.limit, offset: q.offset, nextOffset: null } satisfies AlertPage);
        return;
      }
      // A department user: its sites' alerts (of the enterprise asked for, if it asked).
      const narrowed = mns === undefined ? { enterpriseId: tenant ?? q.enterpriseId } : { enterpriseId: q.enterpriseId, mns };
      const { district, kind, department, ...rest } = q;
      const bySource = bySourceFacts({ district, kind, department, q: q.q });
      // Both a department's sites and the filter's sources: the alerts of sources in both.
      if (bySource.mns && narrowed.mns) bySource.mns = intersect(narrowed.mns, bySource.mns);
      const { items, total } = await alerts.list({ ...rest, ...narrowed, ...bySource });
      const next = q.offset + items.length;
      const nextOffset = next < total ? next : null;
      res.json({ items: items.map((a) => alertView(res, a)), total, limit: q.limit, offset: q.offset, nextOffset } satisfies AlertPage);
    },
  );

  r.post(
    '/acknowledge',
    'alerts.handle',
    {
      summary: { en: 'Acknowledge several alerts', zh: '批量确认告警' },
      body: bulkBody,
      response: z.object({ results: z.array(bulkResultSchema) }),
    },
    async (req, res) => {
      const { ids, note } = bulkBody.parse(req.body ?? {});
      const results: BulkResult[] = [];
      for (const id of ids) {
        const alert = await alerts.get(id);
        if (!alert || !seesAlert(res, alert)) {
          results.push({ id, ok: false, error: 'not_found' });
          continue;
        }
        const r = await alerts.acknowledge(id, actorOf(res), note ?? null);
        results.push(r.ok ? { id, ok: true, alert: r.alert } : { id, ok: false, error: r.reason === 'closed' ? 'conflict' : 'not_found' });
      }
      res.locals['auditDetail'] = { ids, acknowledged: results.filter((r) => r.ok).map((r) => r.id) };
      res.json({ results });
    },
  );

  r.get(
    '/history',
    'alerts.read',
    {
      summary: { en: 'Alert history of one source', zh: '某监测点的告警历史' },
      query: historyQuery,
      response: itemsOf(alertHistoryEntrySchema),
    },
    async (req, res) => {
      const q = historyQuery.parse(req.query);
      const tenant = tenantOf(res);
      const items = await alerts.sourceHistory(q.mn, q.limit, q.before);
      // An enterprise sees the history of its own alerts only; a department those of its sites.
      const seen = new Set<number>();
      if (tenant !== null)
        for (const id of new Set(items.map((e) => e.alertId))) {
          const alert = await alerts.get(id);
          if (alert !== undefined && seesAlert(res, alert)) seen.add(id);
        }
      const own = tenant === null ? items : items.filter((e) => seen.has(e.alertId));
      res.json({ items: historyView(res, own) });
    },
  );

  r.get(
    '/:id',
    'alerts.read',
    {
      summary: { en: 'One alert, its history and comments', zh: '告警详情' },
      params: { id: idParam.shape.id },
      response: alertDetailSchema,
    },
    async (req, res) => {
      const alert = await visible(res, req.params);
      const history = historyView(res, await alerts.history(alert.id));
      res.json({ alert: alertView(res, alert), history, comments: history.filter((e) => e.kind === 'commented') } satisfies AlertDetail);
    },
  );

  r.post(
    '/:id/acknowledge',
    'alerts.handle',
    {
      summary: { en: 'Acknowledge an alert', zh: '确认告警' },
      params: { id: idParam.shape.id },
      body: noteBody,
      response: alertAnswer,
      refusals: [409],
    },
    async (req, res) => {
      const alert = await visible(res, req.params);
      const { note } = noteBody.parse(req.body ?? {});
      res.json({ alert: answer(await alerts.acknowledge(alert.id, actorOf(res), note ?? null)) });
    },
  );

  r.post(
    '/:id/assign',
    'alerts.handle',
    {
      summary: { en: 'Assign an alert (null: unassign)', zh: '指派告警' },
      params: { id: idParam.shape.id },
      body: assignBody,
      response: alertAnswer,
      refusals: [409],
    },
    async (req, res) => {
      const alert = await visible(res, req.params);
      const body = assignBody.parse(req.body ?? {});
      if (body.assignee !== null && options.isAssignable && !(await options.isAssignable(body.assignee))) {
        throw new HttpError(400, 'unknown_assignee', `assignee: "${body.assignee}" is not an enabled officer or administrator`);
      }
      res.json({ alert: answer(await alerts.assign(alert.id, actorOf(res), body.assignee, body.note ?? null)) });
    },
  );

  r.post(
    '/:id/comment',
    'alerts.comment',
    {
      summary: { en: 'Comment on an alert', zh: '评论告警' },
      params: { id: idParam.shape.id },
      body: commentBody,
      status: 201,
      response: z.object({ alert: alertSchema, comment: alertHistoryEntrySchema }),
      refusals: [409],
    },
    async (req, res) => {
      const alert = await visible(res, req.params);
      const body = commentBody.parse(req.body ?? {});
      const bureau = tenantOf(res) === null;
      if (!bureau && body.internal === true) {
        throw new HttpError(400, 'bad_request', 'internal: an enterprise’s comments are always visible to it');
      }
      // The duty room writes for colleagues: a comment stays internal unless the officer says it is for the enterprise.
      const r = await alerts.comment(alert.id, actorOf(res), body.text, bureau && body.internal !== false);
      res.status(201).json({ alert: alertView(res, answer(r)), comment: r.entry });
    },
  );

  r.post(
    '/:id/resolve',
    'alerts.handle',
    {
      summary: { en: 'Resolve (close) an alert', zh: '办结告警' },
      params: { id: idParam.shape.id },
      body: noteBody,
      response: alertAnswer,
      refusals: [409],
    },
    async (req, res) => {
      const alert = await visible(res, req.params);
      const { note } = noteBody.parse(req.body ?? {});
      res.json({ alert: answer(await alerts.resolve(alert.id, actorOf(res), note ?? null)) });
    },
  );

  r.post(
    '/:id/silence',
    'alerts.handle',
    {
      summary: { en: 'Silence an alert’s source, factor and rule', zh: '屏蔽同类告警' },
      params: { id: idParam.shape.id },
      body: silenceBody,
      response: alertAnswer,
      refusals: [409],
    },
    async (req, res) => {
      const alert = await visible(res, req.params);
      const body = silenceBody.parse(req.body ?? {});
      const at = now();
      const endsAt = silenceEnd(body.endsAt ?? at + (body.durationMin ?? 0) * 60_000, at);
      res.json({ alert: answer(await alerts.silence(alert.id, actorOf(res), { reason: body.reason, endsAt })) });
    },
  );

  return r.router;
}
