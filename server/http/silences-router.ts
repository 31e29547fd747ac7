/**
 * Silences: quiet new alerts of a source, factor and/or rule until they end.
 *
 * GET    /api/silences?active=true&limit      → {items}        newest first
 * GET    /api/silences/:id                    → {silence}
 * POST   /api/silences {mn?, factor?, rule?, reason, endsAt | durationMin} → 201 {silence} (at least one of mn, factor, rule)
 * PATCH  /api/silences/:id {reason?, endsAt?} → {silence}
 * DELETE /api/silences/:id                    → {silence}      ended now, kept for the record
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { SuppressionService } from '../alerts/suppression-service';
import type { Silence } from '../domain/alert';
import { mnSchema } from '../domain/registry';
import { itemsOf, silenceSchema } from '../domain/api-schemas';
import { actorOf, routes } from './access';
import { factorCode, idParam, instant, queryBool, ruleName, text } from './alert-params';
import { HttpError } from './errors';

/** The longest a silence lasts, however it is given (durationMin or endsAt): one year. */
export const MAX_SILENCE_MIN = 525_600;

/** `endsAt` if it is in the future and within MAX_SILENCE_MIN of now; a 400 otherwise. */
export function silenceEnd(endsAt: number, now: number): number {
  if (endsAt <= now) throw new HttpError(400, 'bad_request', 'endsAt: must be in the future');
  if (endsAt > now + MAX_SILENCE_MIN * 60_000) throw new HttpError(400, 'bad_request', 'endsAt: a silence lasts at most 365 days');
  return endsAt;
}

const silenceAnswer = z.object({ silence: silenceSchema });
const listQuery = z.object({ active: queryBool.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }).strict();
const createBody = z
  .object({
    mn: mnSchema.optional(),
    factor: factorCode.optional(),
    rule: ruleName.optional(),
    reason: text(500),
    endsAt: instant.optional(),
    durationMin: z.number().int().min(1).max(MAX_SILENCE_MIN).optional(),
  })
  .strict()
  .refine((b) => b.mn !== undefined || b.factor !== undefined || b.rule !== undefined, {
    message: 'give at least one of mn, factor, rule',
    path: ['mn'],
  })
  .refine((b) => (b.endsAt === undefined) !== (b.durationMin === undefined), {
    message: 'give exactly one of endsAt and durationMin',
    path: ['endsAt'],
  });
const patchBody = z
  .object({ reason: text(500).optional(), endsAt: instant.optional() })
  .strict()
  .refine((b) => b.reason !== undefined || b.endsAt !== undefined, {
    message: 'nothing to change: give reason or endsAt',
    path: ['reason'],
  });

export function silencesRouter(
  suppressions: SuppressionService,
  isRegistered: (mn: string) => boolean,
  now: () => number = Date.now,
): Router {
  const r = routes();
  const found = async (raw: unknown): Promise<Silence> => {
    const { id } = idParam.parse(raw);
    const silence = await suppressions.getSilence(id);
    if (!silence) throw new HttpError(404, 'not_found', `silence ${id} not found`);
    return silence;
  };
  const future = (endsAt: number): number => silenceEnd(endsAt, now());

  r.get(
    '/',
    'silences.read',
    { summary: { en: 'List silences', zh: '屏蔽列表' }, query: listQuery, response: itemsOf(silenceSchema) },
    async (req, res) => {
      const q = listQuery.parse(req.query);
      res.json({ items: await suppressions.listSilences({ active: q.active ?? false, limit: q.limit }) });
    },
  );

  r.get(
    '/:id',
    'silences.read',
    { summary: { en: 'One silence', zh: '屏蔽详情' }, params: { id: idParam.shape.id }, response: silenceAnswer },
    async (req, res) => {
      res.json({ silence: await found(req.params) });
    },
  );

  r.post(
    '/',
    'silences.write',
    { summary: { en: 'Create a silence', zh: '新建屏蔽' }, body: createBody, status: 201, response: silenceAnswer },
    async (req, res) => {
      const b = createBody.parse(req.body ?? {});
      if (b.mn !== undefined && !isRegistered(b.mn)) throw new HttpError(400, 'bad_request', `mn: source "${b.mn}" is not registered`);
      const endsAt = future(b.endsAt ?? now() + (b.durationMin ?? 0) * 60_000);
      const silence = await suppressions.createSilence(
        { mn: b.mn ?? null, factor: b.factor ?? null, rule: b.rule ?? null, reason: b.reason, endsAt },
        actorOf(res),
      );
      res.status(201).json({ silence });
    },
  );

  r.patch(
    '/:id',
    'silences.write',
    { summary: { en: 'Change a silence', zh: '修改屏蔽' }, params: { id: idParam.shape.id }, body: patchBody, response: silenceAnswer },
    async (req, res) => {
      const current = await found(req.params);
      const b = patchBody.parse(req.body ?? {});
      const patch: Partial<Pick<Silence, 'reason' | 'endsAt'>> = {};
      if (b.reason !== undefined) patch.reason = b.reason;
      if (b.endsAt !== undefined) patch.endsAt = future(b.endsAt);
      res.json({ silence: await suppressions.updateSilence(current, patch) });
    },
  );

  r.delete(
    '/:id',
    'silences.write',
    {
      summary: { en: 'End a silence now (kept for the record)', zh: '结束屏蔽' },
      params: { id: idParam.shape.id },
      response: silenceAnswer,
    },
    async (req, res) => {
      res.json({ silence: await suppressions.expireSilence(await found(req.params)) });
    },
  );

  return r.router;
}
