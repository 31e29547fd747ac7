/**
 * Heavy-pollution responses over REST (issue 18 item 3). The bureau sees every response whole; an
 * enterprise user sees only its own part of the responses covering it (its measures, its
 * acknowledgement, their verification) — never another enterprise's measures nor the city's check.
 *
 * GET  /api/responses?warningId=&status=active|ended → {items: ReductionResponse[]}  newest first
 * GET  /api/responses/:id                            → {response}
 * POST /api/responses/:id/acknowledge                (an enterprise in scope) → {ack, response}  已知悉; the first stands; audited
 */
import type { Router } from 'express';
import { z } from 'zod';
import { described, itemsOf } from '../domain/api-schemas';
import { RESPONSE_STATUSES } from '../domain/response';
import { actorOf, routes, tenantOf } from '../http/access';
import { idParam } from '../http/alert-params';
import { HttpError } from '../http/errors';
import type { ResponseService } from './response-service';

const responseAnswer = described('ReductionResponse', 'ReductionResponse (server/domain/response.ts)');
const listQuery = z
  .object({
    warningId: z.coerce.number().int().positive().optional(),
    status: z.enum(RESPONSE_STATUSES).optional(),
  })
  .strict();

export function responsesRouter(responses: ResponseService): Router {
  const r = routes();

  r.get(
    '/',
    'responses.read',
    {
      summary: { en: 'Heavy-pollution responses, newest first', zh: '重污染天气应急响应列表' },
      query: listQuery,
      response: itemsOf(responseAnswer),
    },
    async (req, res) => {
      const q = listQuery.parse(req.query);
      const filter = { ...(q.warningId !== undefined && { warningId: q.warningId }), ...(q.status !== undefined && { status: q.status }) };
      res.json({ items: await responses.list(filter, tenantOf(res)) });
    },
  );

  r.get(
    '/:id',
    'responses.read',
    {
      summary: { en: 'One response: measures, acknowledgements, verification', zh: '应急响应详情' },
      params: { id: idParam.shape.id },
      response: z.object({ response: responseAnswer }),
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      res.json({ response: await responses.get(id, tenantOf(res)) });
    },
  );

  r.post(
    '/:id/acknowledge',
    'responses.acknowledge',
    {
      summary: { en: 'Acknowledge the measures of a response (an enterprise in scope)', zh: '企业确认应急减排措施（已知悉）' },
      params: { id: idParam.shape.id },
      response: z.object({ ack: described('ResponseAck', 'ResponseAck (server/domain/response.ts)'), response: responseAnswer }),
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const tenant = tenantOf(res);
      if (tenant === null) throw new HttpError(403, 'forbidden', 'only an enterprise in scope acknowledges its measures');
      res.locals['auditDetail'] = { response: id, enterprise: tenant };
      res.json(await responses.acknowledge(id, tenant, actorOf(res)));
    },
  );

  return r.router;
}
