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
import type { ApiTokens } from '../auth/api-tokens';
import { clientIp } from '../auth/auth-router';
import { principalOf } from '../auth/auth-middleware';
import { newApiTokenSchema } from '../domain/api-token';
import { routes } from './access';

export function apiTokensRouter(tokens: ApiTokens): Router {
  const r = routes();
  r.get('/', 'tokens.manage', async (_req, res) => {
    res.json({ items: await tokens.list(principalOf(res)) });
  });
  r.post('/', 'tokens.manage', async (req, res) => {
    const input = newApiTokenSchema.parse(req.body ?? {});
    const created = await tokens.create(principalOf(res), input, clientIp(req));
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(created);
  });
  r.delete('/:id', 'tokens.manage', async (req, res) => {
    res.json({ token: await tokens.revoke(principalOf(res), req.params['id'] as string, clientIp(req)) });
  });
  return r.router;
}
