/**
 * API tokens for machines (issue 21): the REST contract shared by the server and the dashboard.
 * A token is `o3s_` + 32 random bytes in base64url, shown once when it is created and stored only as
 * its SHA-256 (plus its first characters, for people to tell tokens apart). It acts as its creator
 * (role and enterprise), narrowed by its scope (`read`: no state change) and its tenant (the whole
 * bureau, or one enterprise); it expires (at most a year), can be revoked, and is rate-limited.
 */
import { z } from 'zod';

/** Every token starts with this; `Authorization: Bearer o3s_…`. */
export const API_TOKEN_PREFIX = 'o3s_';
/** How many characters of a token are kept in clear (the prefix and the first four random ones). */
export const API_TOKEN_SHOWN_CHARS = API_TOKEN_PREFIX.length + 4;
/** `o3s_` + base64url of 32 bytes (43 characters). */
export const API_TOKEN_PATTERN = /^o3s_[A-Za-z0-9_-]{43}$/;

export const API_TOKEN_SCOPES = ['read', 'write'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export const API_TOKEN_MAX_DAYS = 365;
export const API_TOKEN_NAME_MAX = 60;

/**
 * POST /api/tokens. `enterpriseId` null/absent: bureau-wide (administrators only); an enterprise
 * user's token is always its own enterprise's.
 */
export const newApiTokenSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(API_TOKEN_NAME_MAX, `a name has at most ${API_TOKEN_NAME_MAX} characters`),
    scope: z.enum(API_TOKEN_SCOPES),
    enterpriseId: z.string().min(1).max(64).nullable().optional(),
    expiresInDays: z
      .number()
      .int()
      .min(1, 'a token lives at least one day')
      .max(API_TOKEN_MAX_DAYS, `a token lives at most ${API_TOKEN_MAX_DAYS} days`),
  })
  .strict();
export type NewApiToken = z.infer<typeof newApiTokenSchema>;

export type ApiTokenState = 'active' | 'expired' | 'revoked';

/** A token as the API lists it (never the token itself, nor its hash). Times are epoch ms. */
export interface ApiTokenView {
  id: string;
  name: string;
  scope: ApiTokenScope;
  /** The tenant: one enterprise, or null for the whole bureau. */
  enterpriseId: string | null;
  /** The first characters of the token (`o3s_AbCd`), to recognise it. */
  shown: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
  state: ApiTokenState;
}

/** POST /api/tokens answers the view and, this once, the token. */
export interface CreatedApiToken {
  token: ApiTokenView;
  secret: string;
}

export function apiTokenState(t: Pick<ApiTokenView, 'expiresAt' | 'revokedAt'>, now: number): ApiTokenState {
  if (t.revokedAt !== null) return 'revoked';
  return now >= t.expiresAt ? 'expired' : 'active';
}

/** Why a bearer token was refused (audited as `api_token.refused` with this reason, except `unknown`). */
export const API_TOKEN_REFUSALS = ['unknown', 'revoked', 'expired', 'identity', 'read_only', 'rate_limited'] as const;
export type ApiTokenRefusal = (typeof API_TOKEN_REFUSALS)[number];
