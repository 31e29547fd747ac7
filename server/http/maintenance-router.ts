/**
 * Maintenance windows: declared by officers, or by an enterprise for its own sources; alerts of
 * the covered sources opened inside one are recorded quietly. Enterprise users see their own only.
 *
 * GET    /api/maintenance?enterpriseId&mn&current=true&limit → {items}   newest first
 * GET    /api/maintenance/:id                    → {window}
 * POST   /api/maintenance {mn? | enterpriseId?, from, to, reason} → 201 {window}
 *          (mn: that source; enterpriseId alone: the whole enterprise)
 * PATCH  /api/maintenance/:id {from?, to?, reason?} → {window}
 * DELETE /api/maintenance/:id                    → {window}  ended now (one not yet begun ends before it starts)
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { SuppressionService } from '../alerts/suppression-service';
import type { MaintenanceWindow } from '../domain/alert';
import { mnSchema, type Registry } from '../domain/registry';
import { actorOf, requirePermission, sees, tenantOf } from './access';
import { idParam, instant, queryBool, text } from './alert-params';
import { HttpError } from './errors';

const MAX_SPAN_MS = 31 * 86_400_000;

const listQuery = z
  .object({
    enterpriseId: z.string().min(1).max(64).optional(),
    mn: mnSchema.optional(),
    current: queryBool.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
const createBody = z
  .object({ enterpriseId: z.string().min(1).max(64).optional(), mn: mnSchema.optional(), from: instant, to: instant, reason: text(500) })
  .strict()
  .refine((b) => b.mn !== undefined || b.enterpriseId !== undefined, { message: 'give mn (one source) or enterpriseId (the whole enterprise)', path: ['mn'] });
const patchBody = z
  .object({ from: instant.optional(), to: instant.optional(), reason: text(500).optional() })
  .strict()
  .refine((b) => b.from !== undefined || b.to !== undefined || b.reason !== undefined, { message: 'nothing to change: give from, to or reason', path: ['from'] });

export function maintenanceRouter(suppressions: SuppressionService, registry: Registry, now: () => number = Date.now): Router {
  const router = Router();
  const enterpriseOf = new Map(registry.sources.map((s) => [s.mn, s.enterpriseId]));
  const enterprises = new Set(registry.enterprises.map((e) => e.id));

  const visible = (res: Response, raw: unknown): MaintenanceWindow => {
    const { id } = idParam.parse(raw);
    const window = suppressions.getWindow(id);
    if (!window || !sees(res, window.enterpriseId)) throw new HttpError(404, 'not_found', `maintenance window ${id} not found`);
    return window;
  };
  const checkSpan = (from: number, to: number): void => {
    if (from >= to) throw new HttpError(400, 'bad_request', 'from: must be before to');
    if (to <= now()) throw new HttpError(400, 'bad_request', 'to: must be in the future');
    if (to - from > MAX_SPAN_MS) throw new HttpError(400, 'bad_request', 'to: a window lasts at most 31 days');
  };

  router.get('/', (req, res) => {
    requirePermission(res, 'read', 'see maintenance windows');
    const q = listQuery.parse(req.query);
    const tenant = tenantOf(res);
    if (tenant !== null && q.enterpriseId !== undefined && q.enterpriseId !== tenant) return void res.json({ items: [] });
    res.json({ items: suppressions.listWindows({ enterpriseId: tenant ?? q.enterpriseId, mn: q.mn, current: q.current ?? false, limit: q.limit }) });
  });

  router.get('/:id', (req, res) => {
    res.json({ window: visible(res, req.params) });
  });

  router.post('/', (req, res) => {
    requirePermission(res, 'maintenance', 'declare maintenance');
    const b = createBody.parse(req.body ?? {});
    let enterpriseId = b.enterpriseId;
    if (b.mn !== undefined) {
      const owner = enterpriseOf.get(b.mn);
      if (owner === undefined) throw new HttpError(400, 'bad_request', `mn: source "${b.mn}" is not registered`);
      if (enterpriseId !== undefined && enterpriseId !== owner) throw new HttpError(400, 'bad_request', `enterpriseId: source "${b.mn}" belongs to "${owner}"`);
      enterpriseId = owner;
    }
    if (enterpriseId === undefined || !enterprises.has(enterpriseId)) throw new HttpError(400, 'bad_request', `enterpriseId: enterprise "${enterpriseId}" is not registered`);
    if (!sees(res, enterpriseId)) throw new HttpError(403, 'forbidden', 'an enterprise may declare maintenance for its own sources only');
    checkSpan(b.from, b.to);
    const window = suppressions.declareWindow({ enterpriseId, mn: b.mn ?? null, from: b.from, to: b.to, reason: b.reason }, actorOf(res));
    res.status(201).json({ window });
  });

  router.patch('/:id', (req, res) => {
    const current = visible(res, req.params);
    requirePermission(res, 'maintenance', 'change maintenance windows');
    const b = patchBody.parse(req.body ?? {});
    const next = { from: b.from ?? current.from, to: b.to ?? current.to };
    checkSpan(next.from, next.to);
    res.json({ window: suppressions.updateWindow(current, { ...next, ...(b.reason !== undefined ? { reason: b.reason } : {}) }) });
  });

  router.delete('/:id', (req, res) => {
    const current = visible(res, req.params);
    requirePermission(res, 'maintenance', 'end maintenance windows');
    res.json({ window: suppressions.endWindow(current) });
  });

  return router;
}
