/**
 * API tokens for machines (/api/tokens): administrators all, an enterprise user its own enterprise's.
 * The token comes back once, at creation.
 */
import { API_TOKEN_SCOPES, type ApiTokenView, type CreatedApiToken, type NewApiToken } from '@domain/api-token';
import { isAnyObject, isItems } from './guards';
import { requestJson } from './rest';

export type { ApiTokenView, CreatedApiToken, NewApiToken };

type Fetch = typeof fetch;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);
const isStrOrNull = (v: unknown): boolean => v === null || isStr(v);

export const isApiToken = (v: unknown): v is ApiTokenView =>
  isAnyObject(v) &&
  isStr(v['id']) &&
  isStr(v['name']) &&
  (API_TOKEN_SCOPES as readonly unknown[]).includes(v['scope']) &&
  isStrOrNull(v['enterpriseId']) &&
  isStr(v['shown']) &&
  isStr(v['createdBy']) &&
  isNum(v['createdAt']) &&
  isNum(v['expiresAt']) &&
  isNumOrNull(v['lastUsedAt']) &&
  isNumOrNull(v['revokedAt']) &&
  isStrOrNull(v['revokedBy']) &&
  ['active', 'expired', 'revoked'].includes(v['state'] as string);

const isCreated = (v: unknown): v is CreatedApiToken => isAnyObject(v) && isApiToken(v['token']) && isStr(v['secret']);
const isRevoked = (v: unknown): v is { token: ApiTokenView } => isAnyObject(v) && isApiToken(v['token']);

export async function fetchApiTokens(fetchFn: Fetch = fetch): Promise<ApiTokenView[]> {
  return (await requestJson('GET', '/api/tokens', isItems(isApiToken), undefined, fetchFn)).items;
}

export function createApiToken(body: NewApiToken, fetchFn: Fetch = fetch): Promise<CreatedApiToken> {
  return requestJson('POST', '/api/tokens', isCreated, body, fetchFn);
}

export async function revokeApiToken(id: string, fetchFn: Fetch = fetch): Promise<ApiTokenView> {
  return (await requestJson('DELETE', `/api/tokens/${encodeURIComponent(id)}`, isRevoked, undefined, fetchFn)).token;
}
