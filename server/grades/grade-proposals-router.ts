/**
 * Grade downgrade proposals over REST (issue 18 item 4), for officers and administrators only
 * (`grades.review`): an enterprise never reads the bureau's proposal (403), it gets a notice once a
 * downgrade is confirmed. Decisions are audited by the service (reductions.downgrade_confirmed,
 * reductions.downgrade_dismissed; the grade change itself registry.grade_changed).
 *
 * GET  /api/grade-proposals?status=pending|confirmed|dismissed → {items: GradeProposal[]}  newest first
 * GET  /api/grade-proposals/:id                               → {proposal}
 * POST /api/grade-proposals/:id/confirm  {note?}               → {proposal}  the grade one level lower; 409 decided, grade changed
 * POST /api/grade-proposals/:id/dismiss  {reason}              → {proposal}  409 decided
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { clientIp } from '../auth/auth-router';
import { principalOf } from '../auth/auth-middleware';
import { described, itemsOf } from '../domain/api-schemas';
import { GRADE_PROPOSAL_STATUSES } from '../domain/grade-downgrade';
import { routes } from '../http/access';
import { idParam } from '../http/alert-params';
import type { Deciding, GradeProposalService } from './grade-proposal-service';

const proposalAnswer = described('GradeProposal', 'GradeProposal (server/domain/grade-downgrade.ts)');
const listQuery = z.object({ status: z.enum(GRADE_PROPOSAL_STATUSES).optional() }).strict();
const confirmBody = z.object({ note: z.string().trim().max(500).optional() }).strict();
const dismissBody = z.object({ reason: z.string().trim().min(2, 'reason: say why the proposal is dismissed').max(500) }).strict();

const deciding = (req: Request, res: Response): Deciding => {
  const p = principalOf(res);
  return { actor: p, username: p.username, ip: clientIp(req) };
};

export function gradeProposalsRouter(service: GradeProposalService): Router {
  const r = routes();

  r.get(
    '/',
    'grades.review',
    {
      summary: { en: 'Grade downgrade proposals, newest first', zh: '绩效分级下调建议列表' },
      query: listQuery,
      response: itemsOf(proposalAnswer),
    },
    async (req, res) => {
      const q = listQuery.parse(req.query);
      res.json({ items: await service.list(q.status) });
    },
  );

  r.get(
    '/:id',
    'grades.review',
    {
      summary: { en: 'One grade downgrade proposal with its evidence', zh: '绩效分级下调建议详情' },
      params: { id: idParam.shape.id },
      response: z.object({ proposal: proposalAnswer }),
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      res.json({ proposal: await service.get(id) });
    },
  );

  r.post(
    '/:id/confirm',
    'grades.review',
    {
      summary: { en: 'Confirm a downgrade: the grade one level lower, kept in its history', zh: '确认下调绩效分级' },
      params: { id: idParam.shape.id },
      body: confirmBody,
      response: z.object({ proposal: proposalAnswer }),
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const { note } = confirmBody.parse(req.body);
      res.json({ proposal: await service.confirm(id, note || null, deciding(req, res)) });
    },
  );

  r.post(
    '/:id/dismiss',
    'grades.review',
    {
      summary: { en: 'Dismiss a downgrade proposal with a reason', zh: '驳回降级建议' },
      params: { id: idParam.shape.id },
      body: dismissBody,
      response: z.object({ proposal: proposalAnswer }),
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const { reason } = dismissBody.parse(req.body);
      res.json({ proposal: await service.dismiss(id, reason, deciding(req, res)) });
    },
  );

  return r.router;
}
