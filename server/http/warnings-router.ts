/**
 * Heavy-pollution and ozone warnings over REST (issue 17 item 3). Staff see every warning; an
 * enterprise user sees only those covering its enterprise's district, without the internal note,
 * the history or who acted (others are 404); the control centre (ozone) and admins issue, change,
 * lift and cancel them.
 *
 * GET   /api/warnings                 → {items: Warning[]}  in force first, then issued, then closed
 * GET   /api/warnings/proposals       (staff) → WarningProposals: what the forecasts propose (never issued by itself)
 * GET   /api/warnings/:id             → {warning}
 * POST  /api/warnings                 (ozone, admin) {kind, level, basis, districts, startAt, plannedLiftAt?, note?} → 201 {warning}
 * PATCH /api/warnings/:id             (ozone, admin) {version, level?, note?, plannedLiftAt?} → {warning}  (409 on a stale version)
 * POST  /api/warnings/:id/lift        (ozone, admin) {note?} → {warning}  解除: ends the response
 * POST  /api/warnings/:id/cancel      (ozone, admin) {note?} → {warning}  withdraws one issued in error
 */
import type { Response, Router } from 'express';
import type { WarningService } from '../control/warning-service';
import type { RegistryView } from '../domain/registry-view';
import { coversDistrict, levelChange, warningForEnterprise, type Warning } from '../domain/warning';
import { changeWarningSchema, closeWarningSchema, issueWarningSchema } from '../domain/warning-schema';
import { actorOf, routes, tenantOf } from './access';
import { idParam } from './alert-params';
import { HttpError } from './errors';

export function warningsRouter(warnings: WarningService, registry: RegistryView): Router {
  const r = routes();

  /** The caller's view of the warnings: all (staff), or those covering its enterprise's district. */
  const viewOf = (res: Response): ((w: Warning) => Warning | null) => {
    const tenant = tenantOf(res);
    if (tenant === null) return (w) => w;
    const district = registry.current().enterprises.find((e) => e.id === tenant)?.district;
    return (w) => (district !== undefined && coversDistrict(w, district) ? warningForEnterprise(w) : null);
  };

  r.get('/', 'warnings.read', async (_req, res) => {
    const view = viewOf(res);
    res.json({ items: (await warnings.list()).map(view).filter((w): w is Warning => w !== null) });
  });

  r.get('/proposals', 'warnings.propose', async (_req, res) => {
    res.json(await warnings.proposals());
  });

  r.get('/:id', 'warnings.read', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const w = await warnings.get(id);
    const shown = w ? viewOf(res)(w) : null;
    if (!shown) throw new HttpError(404, 'not_found', `warning ${id} not found`);
    res.json({ warning: shown });
  });

  r.post('/', 'warnings.write', async (req, res) => {
    const b = issueWarningSchema.parse(req.body ?? {});
    const warning = await warnings.issue(b, actorOf(res));
    res.locals['auditDetail'] = { warning: warning.id, kind: warning.kind, level: warning.level, districts: warning.districts };
    res.status(201).json({ warning });
  });

  r.patch('/:id', 'warnings.write', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const b = changeWarningSchema.parse(req.body ?? {});
    const before = await warnings.get(id);
    const warning = await warnings.change(id, b, actorOf(res));
    const moved = before ? levelChange(before.level, warning.level) : null;
    res.locals['auditDetail'] = { warning: id, ...(moved ? { change: moved, from: before?.level, to: warning.level } : {}) };
    res.json({ warning });
  });

  r.post('/:id/lift', 'warnings.write', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const { note } = closeWarningSchema.parse(req.body ?? {});
    res.json({ warning: await warnings.lift(id, note ?? null, actorOf(res)) });
  });

  r.post('/:id/cancel', 'warnings.write', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const { note } = closeWarningSchema.parse(req.body ?? {});
    res.json({ warning: await warnings.cancel(id, note ?? null, actorOf(res)) });
  });

  return r.router;
}
