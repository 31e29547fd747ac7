/**
 * API tokens for machines (issue 21): administrators manage every token, an enterprise user its own
 * enterprise's (`tokens.manage`; another enterprise's token answers 404). A token itself may not use
 * these routes. Creation answers the token once (`Cache-Control: no-store`); the list never has it.
 * Each creation and revocation is audited by ApiTokens.
 *
 *   GET    /api/tokens       → {items: ApiTokenView[]} newest first
 *   POST   /api/tokens       {name, scope: read|write, enterpriseId?, expiresInDays (1–365)} → 201 {token, secret}
 *   DELETE /api/tokens/:id   → {token} (revoked; revoking again changes nothing)
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { ApiTokens } from '../auth/api-tokens';
import { clientIp } from '../auth/auth-router';
import { principalOf } from '../auth/auth-middleware';
import { newApiTokenSchema } from '../domain/api-token';
import { described, itemsOf } from '../domain/api-schemas';
import { routes } from './access';

const tokenAnswer = described('ApiTokenView', 'ApiTokenView (server/domain/api-token.ts): never the token itself');

export function apiTokensRouter(tokens: ApiTokens): Router {
  const r = routes();
  r.get(
    '/',
    'tokens.manage',
    { summary: { en: 'API tokens the caller manages, newest first', zh: '接口令牌列表' }, response: itemsOf(tokenAnswer) },
    async (_req, res) => {
      res.json({ items: await tokens.list(principalOf(res)) });
    },
  );
  r.post(
    '/',
    'tokens.manage',
    {
      summary: { en: 'Create an API token (the token is answered this once)', zh: '创建接口令牌' },
      body: newApiTokenSchema,
      status: 201,
      response: described('CreatedApiToken', 'CreatedApiToken (server/domain/api-token.ts): {token, secret}, the secret shown once'),
    },
    async (req, res) => {
      const input = newApiTokenSchema.parse(req.body ?? {});
      const created = await tokens.create(principalOf(res), input, clientIp(req));
      res.setHeader('Cache-Control', 'no-store');
      res.status(201).json(created);
    },
  );
  r.delete(
    '/:id',
    'tokens.manage',
    { summary: { en: 'Revoke an API token (it stops at once)', zh: '吊销接口令牌' }, response: z.object({ token: tokenAnswer }) },
    async (req, res) => {
      res.json({ token: await tokens.revoke(principalOf(res), req.params['id'] as string, clientIp(req)) });
    },
  );
  return r.router;
}
