/**
 * Maintenance windows: declared by officers (in effect at once), or by an enterprise for its own
 * sources — reviewed as maintenance-review.ts says: a short window for a named outlet takes effect
 * as declared, a longer or company-wide one waits for an officer. Only approved windows quiet
 * alerts, and never bypass, offline, instrument faults or flat-line. Enterprise users see their own
 * windows only; another enterprise's source or window answers exactly like one that does not exist
 * (404, the same message), so the API tells no one which MNs are registered elsewhere.
 *
 * GET    /api/maintenance?enterpriseId&mn&status&current=true&limit → {items}   pending first, then newest first
 * GET    /api/maintenance/:id                    → {window}
 * POST   /api/maintenance {mn? | enterpriseId?, from, to, reason} → 201 {window}  (status approved or pending)
 *          (mn: that source; enterpriseId alone: the whole enterprise)
 * PATCH  /api/maintenance/:id {from?, to?, reason?} → {window}  (an enterprise's change is reviewed again)
 * POST   /api/maintenance/:id/approve {note?}    → {window}   officers; a pending (or rejected) window still to come
 * POST   /api/maintenance/:id/reject {reason}    → {window}   officers; a pending or approved window (stops quieting)
 * DELETE /api/maintenance/:id                    → {window}  ended now (one not yet begun ends before it starts)
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { SuppressionService, WindowReview } from '../alerts/suppression-service';
import { MAINTENANCE_STATUSES, SYSTEM_ACTOR, type MaintenanceWindow } from '../domain/alert';
import { reviewDeclaration, type Declaration, type ReviewPolicy } from '../domain/maintenance-review';
import { mnSchema } from '../domain/registry';
import { itemsOf, maintenanceWindowSchema } from '../domain/api-schemas';
import { windowForEnterprise, type NameOf } from '../domain/enterprise-view';
import { derived } from '../domain/registry-derived';
import type { RegistryView } from '../domain/registry-view';
import { actorOf, routes, sees, tenantOf } from './access';
import { idParam, instant, queryBool, text } from './alert-params';
import { HttpError } from './errors';

const listQuery = z
  .object({
    enterpriseId: z.string().min(1).max(64).optional(),
    mn: mnSchema.optional(),
    status: z.enum(MAINTENANCE_STATUSES).optional(),
    current: queryBool.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
const createBody = z
  .object({ enterpriseId: z.string().min(1).max(64).optional(), mn: mnSchema.optional(), from: instant, to: instant, reason: text(500) })
  .strict()
  .refine((b) => b.mn !== undefined || b.enterpriseId !== undefined, {
    message: 'give mn (one source) or enterpriseId (the whole enterprise)',
    path: ['mn'],
  });
const patchBody = z
  .object({ from: instant.optional(), to: instant.optional(), reason: text(500).optional() })
  .strict()
  .refine((b) => b.from !== undefined || b.to !== undefined || b.reason !== undefined, {
    message: 'nothing to change: give from, to or reason',
    path: ['from'],
  });
const windowAnswer = z.object({ window: maintenanceWindowSchema });
const approveBody = z.object({ note: text(500).optional() }).strict();
const rejectBody = z.object({ reason: text(500) }).strict();

/** The review policy from config (hours). */
export const reviewPolicyOf = (c: { autoApproveMaxH: number; officerBackdateMaxH: number }): ReviewPolicy => ({
  autoApproveMaxMs: c.autoApproveMaxH * 3_600_000,
  officerBackdateMaxMs: c.officerBackdateMaxH * 3_600_000,
});

export interface MaintenanceRouterOptions {
  policy: ReviewPolicy;
  now?: () => number;
  /** How an enterprise reads a person (display name); absent: as the username. */
  nameOf?: NameOf;
}

export function maintenanceRouter(suppressions: SuppressionService, registry: RegistryView, options: MaintenanceRouterOptions): Router {
  const r = routes();
  const now = options.now ?? Date.now;
  const nameOf: NameOf = options.nameOf ?? ((u) => u);
  /** What the caller receives of a window: an enterprise reads the people by name. */
  const shown = (res: Response, w: MaintenanceWindow): MaintenanceWindow => (tenantOf(res) === null ? w : windowForEnterprise(w, nameOf));
  // The registry as it is at each request.
  const known = derived(registry, (reg) => ({
    enterpriseOf: new Map(reg.sources.map((s) => [s.mn, s.enterpriseId])),
    enterprises: new Set(reg.enterprises.map((e) => e.id)),
  }));

  const visible = async (res: Response, raw: unknown): Promise<MaintenanceWindow> => {
    const { id } = idParam.parse(raw);
    const window = await suppressions.getWindow(id);
    if (!window || !sees(res, window.enterpriseId)) throw new HttpError(404, 'not_found', `maintenance window ${id} not found`);
    return window;
  };
  /** The declaration judged for this caller: refused (400), or how it takes effect. */
  const review = (res: Response, d: Declaration): WindowReview => {
    const bureau = tenantOf(res) === null;
    const outcome = reviewDeclaration(d, bureau ? 'bureau' : 'enterprise', now(), options.policy);
    if (!outcome.ok) throw new HttpError(400, 'bad_request', `${outcome.field}: ${outcome.message}`);
    if (outcome.status === 'pending') return { status: 'pending' };
    return { status: 'approved', by: bureau ? actorOf(res) : SYSTEM_ACTOR };
  };
  /** The enterprise a declaration is for; one the caller may not see answers like one that does not exist. */
  const targetOf = (res: Response, b: { mn?: string; enterpriseId?: string }): string => {
    if (b.mn !== undefined) {
      const owner = known().enterpriseOf.get(b.mn);
      if (owner === undefined || !sees(res, owner)) throw new HttpError(404, 'not_found', `mn: source "${b.mn}" is not registered`);
      if (b.enterpriseId !== undefined && b.enterpriseId !== owner) {
        throw new HttpError(400, 'bad_request', `enterpriseId: source "${b.mn}" belongs to "${owner}"`);
      }
      return owner;
    }
    const id = b.enterpriseId as string;
    if (!known().enterprises.has(id) || !sees(res, id)) {
      throw new HttpError(404, 'not_found', `enterpriseId: enterprise "${id}" is not registered`);
    }
    return id;
  };

  r.get(
    '/',
    'maintenance.read',
    { summary: { en: 'List maintenance windows', zh: '维护报备列表' }, query: listQuery, response: itemsOf(maintenanceWindowSchema) },
    async (req, res) => {
      const q = listQuery.parse(req.query);
      const tenant = tenantOf(res);
      if (tenant !== null && q.enterpriseId !== undefined && q.enterpriseId !== tenant) return void res.json({ items: [] });
      res.json({
        items: (await suppressions.listWindows({ ...q, enterpriseId: tenant ?? q.enterpriseId, current: q.current ?? false })).map((w) =>
          shown(res, w),
        ),
      });
    },
  );

  r.get(
    '/:id',
    'maintenance.read',
    { summary: { en: 'One maintenance window', zh: '维护报备详情' }, params: { id: idParam.shape.id }, response: windowAnswer },
    async (req, res) => {
      res.json({ window: shown(res, await visible(res, req.params)) });
    },
  );

  r.post(
    '/',
    'maintenance.declare',
    {
      summary: { en: 'Declare maintenance of a source or an enterprise', zh: '报备维护' },
      body: createBody,
      status: 201,
      response: windowAnswer,
      refusals: [404],
    },
    async (req, res) => {
      const b = createBody.parse(req.body ?? {});
      const enterpriseId = targetOf(res, b);
      const mn = b.mn ?? null;
      const decided = review(res, { mn, from: b.from, to: b.to });
      const window = await suppressions.declareWindow(
        { enterpriseId, mn, from: b.from, to: b.to, reason: b.reason },
        actorOf(res),
        decided,
      );
      res.status(201).json({ window: shown(res, window) });
    },
  );

  r.patch(
    '/:id',
    'maintenance.declare',
    {
      summary: { en: 'Change a maintenance window', zh: '修改维护报备' },
      params: { id: idParam.shape.id },
      body: patchBody,
      response: windowAnswer,
      refusals: [409],
    },
    async (req, res) => {
      const current = await visible(res, req.params);
      const b = patchBody.parse(req.body ?? {});
      const bureau = tenantOf(res) === null;
      if (current.endedAt !== null) throw new HttpError(409, 'conflict', 'the window was ended: declare a new one');
      if (!bureau && current.status === 'rejected') throw new HttpError(409, 'conflict', 'the window was rejected: declare a new one');
      const next = { from: b.from ?? current.from, to: b.to ?? current.to };
      const decided = review(res, { mn: current.mn, ...next, keepsStart: b.from === undefined || b.from === current.from });
      const patch = { ...next, ...(b.reason !== undefined ? { reason: b.reason } : {}) };
      // An officer's change keeps the window's standing; an enterprise's change is a new declaration.
      res.json({ window: shown(res, await suppressions.updateWindow(current, patch, bureau ? undefined : decided)) });
    },
  );

  r.post(
    '/:id/approve',
    'maintenance.review',
    {
      summary: { en: 'Approve a maintenance window', zh: '批准维护报备' },
      params: { id: idParam.shape.id },
      body: approveBody,
      response: windowAnswer,
      refusals: [409],
    },
    async (req, res) => {
      const current = await visible(res, req.params);
      const { note } = approveBody.parse(req.body ?? {});
      if (current.status === 'approved') throw new HttpError(409, 'conflict', 'the window is already approved');
      if (current.to <= now()) throw new HttpError(409, 'conflict', 'the window is over');
      res.json({ window: await suppressions.decideWindow(current, 'approved', actorOf(res), note ?? null) });
    },
  );

  r.post(
    '/:id/reject',
    'maintenance.review',
    {
      summary: { en: 'Reject a maintenance window', zh: '驳回维护报备' },
      params: { id: idParam.shape.id },
      body: rejectBody,
      response: windowAnswer,
      refusals: [409],
    },
    async (req, res) => {
      const current = await visible(res, req.params);
      const { reason } = rejectBody.parse(req.body ?? {});
      if (current.status === 'rejected') throw new HttpError(409, 'conflict', 'the window is already rejected');
      res.json({ window: await suppressions.decideWindow(current, 'rejected', actorOf(res), reason) });
    },
  );

  r.delete(
    '/:id',
    'maintenance.declare',
    { summary: { en: 'End a maintenance window now', zh: '结束维护' }, params: { id: idParam.shape.id }, response: windowAnswer },
    async (req, res) => {
      const current = await visible(res, req.params);
      res.json({ window: shown(res, await suppressions.endWindow(current, actorOf(res))) });
    },
  );

  return r.router;
}
