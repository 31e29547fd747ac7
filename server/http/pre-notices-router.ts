/**
 * Pre-notices (预通知, issue 17 item 3, PLANS E8) over REST. Staff see every pre-notice and what the
 * forecasts propose; the control centre (ozone) and admins issue one (never sent by itself); an
 * enterprise user sees only those addressed to its enterprise, with its own entry only, and
 * acknowledges them (已知悉; others are 404).
 *
 * GET  /api/pre-notices                  → {items: PreNotice[]}  newest first
 * GET  /api/pre-notices/proposal         (staff) → PreNoticeProposal: the outlook and whom it would reach
 * POST /api/pre-notices                  (ozone, admin) {districts, level?, from?, to?, message?} → 201 {preNotice}
 * POST /api/pre-notices/:id/acknowledge  (an addressed enterprise's user) → {preNotice}  the first time is kept
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { WarningNotices } from '../control/warning-notices';
import { described, itemsOf } from '../domain/api-schemas';
import { preNoticeForEnterprise, type PreNotice } from '../domain/prenotice';
import { issuePreNoticeSchema } from '../domain/prenotice-schema';
import { actorOf, routes, tenantOf } from './access';
import { idParam } from './alert-params';
import { HttpError } from './errors';

const preNoticeAnswer = described('PreNotice', 'PreNotice (server/domain/prenotice.ts)');
const onePreNotice = z.object({ preNotice: preNoticeAnswer });

export function preNoticesRouter(notices: WarningNotices): Router {
  const r = routes();

  r.get(
    '/',
    'warnings.read',
    { summary: { en: 'Pre-notices, newest first', zh: '预通知列表' }, response: itemsOf(preNoticeAnswer) },
    async (_req, res) => {
      const tenant = tenantOf(res);
      const all = await notices.preNotices();
      const items = tenant === null ? all : all.map((p) => preNoticeForEnterprise(p, tenant)).filter((p): p is PreNotice => p !== null);
      res.json({ items });
    },
  );

  r.get(
    '/proposal',
    'warnings.propose',
    {
      summary: { en: 'Whether frequent orange-or-worse warnings are forecast, and whom a pre-notice would reach', zh: '预通知建议' },
      response: described('PreNoticeProposal', 'PreNoticeProposal (server/domain/prenotice.ts)'),
    },
    async (_req, res) => {
      res.json(await notices.proposal());
    },
  );

  r.post(
    '/',
    'warnings.write',
    { summary: { en: 'Issue a pre-notice', zh: '发布预通知' }, body: issuePreNoticeSchema, status: 201, response: onePreNotice },
    async (req, res) => {
      const b = issuePreNoticeSchema.parse(req.body ?? {});
      const preNotice = await notices.issue(b, actorOf(res));
      res.locals['auditDetail'] = { preNotice: preNotice.id, districts: preNotice.districts, enterprises: preNotice.recipients.length };
      res.status(201).json({ preNotice });
    },
  );

  r.post(
    '/:id/acknowledge',
    'warnings.acknowledge',
    {
      summary: { en: 'Acknowledge a pre-notice (the addressed enterprise)', zh: '企业确认预通知（已知悉）' },
      params: { id: idParam.shape.id },
      response: onePreNotice,
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const tenant = tenantOf(res);
      if (tenant === null) throw new HttpError(403, 'forbidden', 'only an addressed enterprise acknowledges its pre-notice');
      const p = await notices.acknowledgePreNotice(id, tenant, actorOf(res));
      res.json({ preNotice: preNoticeForEnterprise(p, tenant) });
    },
  );

  return r.router;
}
