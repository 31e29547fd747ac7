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
 * POST  /api/warnings/:id/acknowledge (an enterprise of a district in scope) → {recipient}  已知悉; the first time is kept
 * GET   /api/warnings/:id/acknowledgements → {warningId, items: NoticeRecipient[]}  who was notified and acknowledged
 *                                     (an enterprise: its own entry)
 * GET   /api/warnings/:id/effect?format=json|xlsx (staff) → WarningEffect  the effect report once lifted (409 before)
 */
import type { ReductionResponse } from '../domain/response';
import { complianceOf } from '../domain/warning-effect';
import type { Response, Router } from 'express';
import { z } from 'zod';
import type { WarningNotices } from '../control/warning-notices';
import type { WarningService } from '../control/warning-service';
import { warningEffectXlsx } from '../reports/warning-effect-export';
import type { RegistryView } from '../domain/registry-view';
import { coversDistrict, levelChange, warningForEnterprise, type Warning } from '../domain/warning';
import { changeWarningSchema, closeWarningSchema, issueWarningSchema } from '../domain/warning-schema';
import { described, itemsOf } from '../domain/api-schemas';
import { actorOf, routes, tenantOf } from './access';
import { idParam } from './alert-params';
import { HttpError } from './errors';
import { enterpriseById } from '../domain/registry';

const warningAnswer = described('Warning', 'Warning (server/domain/warning.ts)');
const oneWarning = z.object({ warning: warningAnswer });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const effectQuery = z.object({ format: z.enum(['json', 'xlsx']).default('json') }).strict();

export function warningsRouter(
  warnings: WarningService,
  registry: RegistryView,
  notices: WarningNotices,
  utcOffsetMinutes: number,
  /** The warning's response (issue 18), for the effect report's compliance; null: none. */
  responseOf: (warningId: number) => Promise<ReductionResponse | null> = () => Promise.resolve(null),
): Router {
  const r = routes();

  /** The caller's view of the warnings: all (staff), or those covering its enterprise's district. */
  const viewOf = (res: Response): ((w: Warning) => Warning | null) => {
    const tenant = tenantOf(res);
    if (tenant === null) return (w) => w;
    const district = enterpriseById(registry.current().enterprises, tenant)?.district;
    return (w) => (district !== undefined && coversDistrict(w, district) ? warningForEnterprise(w) : null);
  };

  r.get(
    '/',
    'warnings.read',
    { summary: { en: 'Warnings, in force first', zh: '预警列表' }, response: itemsOf(warningAnswer) },
    async (_req, res) => {
      const view = viewOf(res);
      res.json({ items: (await warnings.list()).map(view).filter((w): w is Warning => w !== null) });
    },
  );

  r.get(
    '/proposals',
    'warnings.propose',
    {
      summary: { en: 'Warnings the forecasts propose (never issued by themselves)', zh: '预报建议的预警' },
      response: described('WarningProposals', 'WarningProposals (server/domain/warning.ts)'),
    },
    async (_req, res) => {
      res.json(await warnings.proposals());
    },
  );

  r.get(
    '/:id',
    'warnings.read',
    { summary: { en: 'One warning', zh: '预警详情' }, params: { id: idParam.shape.id }, response: oneWarning },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const w = await warnings.get(id);
      const shown = w ? viewOf(res)(w) : null;
      if (!shown) throw new HttpError(404, 'not_found', `warning ${id} not found`);
      res.json({ warning: shown });
    },
  );

  r.post(
    '/',
    'warnings.write',
    { summary: { en: 'Issue a warning', zh: '发布预警' }, body: issueWarningSchema, status: 201, response: oneWarning },
    async (req, res) => {
      const b = issueWarningSchema.parse(req.body ?? {});
      const warning = await warnings.issue(b, actorOf(res));
      res.locals['auditDetail'] = { warning: warning.id, kind: warning.kind, level: warning.level, districts: warning.districts };
      res.status(201).json({ warning });
    },
  );

  r.patch(
    '/:id',
    'warnings.write',
    {
      summary: { en: 'Change a warning’s level, note or planned lift', zh: '调整预警' },
      params: { id: idParam.shape.id },
      body: changeWarningSchema,
      response: oneWarning,
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const b = changeWarningSchema.parse(req.body ?? {});
      const before = await warnings.get(id);
      const warning = await warnings.change(id, b, actorOf(res));
      const moved = before ? levelChange(before.level, warning.level) : null;
      res.locals['auditDetail'] = { warning: id, ...(moved ? { change: moved, from: before?.level, to: warning.level } : {}) };
      res.json({ warning });
    },
  );

  // Both end a warning, with an optional note: lifting ends the response, cancelling withdraws one issued in error.
  const endings = {
    lift: { en: 'Lift a warning (ends the response)', zh: '解除预警' },
    cancel: { en: 'Cancel a warning issued in error', zh: '撤销预警' },
  } as const;
  for (const [action, summary] of Object.entries(endings) as [keyof typeof endings, (typeof endings)[keyof typeof endings]][]) {
    r.post(
      `/:id/${action}`,
      'warnings.write',
      { summary, params: { id: idParam.shape.id }, body: closeWarningSchema, response: oneWarning, refusals: [409] },
      async (req, res) => {
        const { id } = idParam.parse(req.params);
        const { note } = closeWarningSchema.parse(req.body ?? {});
        res.json({ warning: await warnings[action](id, note ?? null, actorOf(res)) });
      },
    );
  }

  r.post(
    '/:id/acknowledge',
    'warnings.acknowledge',
    {
      summary: { en: 'Acknowledge a warning’s notice (an enterprise in scope)', zh: '企业确认预警通知（已知悉）' },
      params: { id: idParam.shape.id },
      response: z.object({ recipient: described('NoticeRecipient', 'NoticeRecipient (server/domain/prenotice.ts)') }),
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const tenant = tenantOf(res);
      if (tenant === null) throw new HttpError(403, 'forbidden', 'only an enterprise in scope acknowledges a warning’s notice');
      res.locals['auditDetail'] = { warning: id, enterprise: tenant };
      res.json({ recipient: await notices.acknowledgeWarning(id, tenant, actorOf(res)) });
    },
  );

  r.get(
    '/:id/acknowledgements',
    'warnings.read',
    {
      summary: { en: 'Who a warning’s notice went to and who acknowledged it', zh: '预警通知知悉情况' },
      params: { id: idParam.shape.id },
      response: described('WarningAcknowledgements', 'WarningAcknowledgements (server/domain/prenotice.ts)'),
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const w = await warnings.get(id);
      if (!w || !viewOf(res)(w)) throw new HttpError(404, 'not_found', `warning ${id} not found`);
      res.json({ warningId: id, items: await notices.warningRecipients(id, tenantOf(res)) });
    },
  );

  r.get(
    '/:id/effect',
    'warnings.report',
    {
      summary: { en: 'The effect report of a lifted warning', zh: '预警应急响应效果评估' },
      params: { id: idParam.shape.id },
      query: effectQuery,
      response: described('WarningEffect', 'WarningEffect (server/domain/warning-effect.ts)'),
      files: [XLSX],
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const { format } = effectQuery.parse(req.query);
      const effect = { ...(await notices.effect(id)), compliance: complianceOf(await responseOf(id)) };
      if (format === 'json') {
        res.json(effect);
        return;
      }
      res.setHeader('content-type', XLSX);
      res.setHeader('content-disposition', `attachment; filename="o3s-warning-${id}-effect.xlsx"`);
      res.send(await warningEffectXlsx(effect, utcOffsetMinutes));
    },
  );

  return r.router;
}
