/**
 * Heavy-pollution responses over REST (issue 18 item 3). The bureau sees every response whole; an
 * enterprise user sees only its own part of the responses covering it (its measures, its
 * acknowledgement, their verification) — never another enterprise's measures nor the city's check.
 *
 * GET  /api/responses?warningId=&status=active|ended → {items: ReductionResponse[]}  newest first
 * GET  /api/responses/:id                            → {response}
 * POST /api/responses/:id/acknowledge                (an enterprise in scope) → {ack, response}  已知悉; the first stands; audited
 * GET  /api/responses/:id/effect?format=json|xlsx     → ResponseEffect  the effect report (issue 18 item 6): compliance and
 *                                                      reductions achieved vs expected per enterprise; the bureau also the
 *                                                      city's sums and the ambient effect; an enterprise its own row only
 */
import type { Router } from 'express';
import { z } from 'zod';
import { described, itemsOf } from '../domain/api-schemas';
import { RESPONSE_STATUSES } from '../domain/response';
import { actorOf, routes, tenantOf } from '../http/access';
import { idParam } from '../http/alert-params';
import { HttpError } from '../http/errors';
import { responseEffectXlsx } from '../reports/response-effect-export';
import type { ResponseEffects } from './response-effects';
import type { ResponseService } from './response-service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const effectQuery = z.object({ format: z.enum(['json', 'xlsx']).default('json') }).strict();

const responseAnswer = described('ReductionResponse', 'ReductionResponse (server/domain/response.ts)');
const listQuery = z
  .object({
    warningId: z.coerce.number().int().positive().optional(),
    status: z.enum(RESPONSE_STATUSES).optional(),
  })
  .strict();

export function responsesRouter(responses: ResponseService, effects: ResponseEffects, utcOffsetMinutes: number): Router {
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

  r.get(
    '/:id/effect',
    'responses.read',
    {
      summary: {
        en: 'The effect report of a response: compliance, reductions achieved vs expected, ambient effect',
        zh: '应急响应减排效果评估',
      },
      params: { id: idParam.shape.id },
      query: effectQuery,
      response: described('ResponseEffect', 'ResponseEffect (server/domain/response-effect.ts)'),
      files: [XLSX],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const { format } = effectQuery.parse(req.query);
      const effect = await effects.report(id, tenantOf(res));
      if (format === 'json') {
        res.json(effect);
        return;
      }
      res.setHeader('content-type', XLSX);
      res.setHeader('content-disposition', `attachment; filename="o3s-response-${id}-effect.xlsx"`);
      res.send(await responseEffectXlsx(effect, utcOffsetMinutes));
    },
  );

  return r.router;
}
