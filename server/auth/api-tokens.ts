/**
 * API tokens for machines (issue 21). An administrator creates one for the whole bureau or for one
 * enterprise; an enterprise user for its own enterprise. The token (`o3s_` + 32 random bytes,
 * base64url) is answered once; only its SHA-256 and first characters are kept (auth.db, Kysely).
 *
 * `Authorization: Bearer o3s_…` (the `gate`, one branch of `authenticate`) authenticates a REST
 * request as the token's principal: its creator's role and enterprise, narrowed to the token's tenant
 * (a token for one enterprise acts as that enterprise's user) and scope (a read token changes
 * nothing: 403 `token_read_only`). At every use the token must be unrevoked and unexpired and its
 * creator still the same (not deleted or disabled, same role and enterprise) — else 401 at once, as
 * sessions never outlive their identity; each token has its own token bucket (429 with Retry-After).
 * Creation, revocation and every refused use of a real token are audited; an unknown token only counted.
 * A token never reaches socket.io (the handshake reads the session cookie only).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { isEnterpriseRole } from '../domain/access';
import {
  API_TOKEN_PREFIX,
  API_TOKEN_REFUSALS,
  API_TOKEN_SHOWN_CHARS,
  apiTokenState,
  type ApiTokenRefusal,
  type ApiTokenScope,
  type ApiTokenView,
  type CreatedApiToken,
  type NewApiToken,
} from '../domain/api-token';
import type { ApiTokenAuditAction } from '../domain/audit';
import { HttpError } from '../domain/errors';
import type { Principal, Role } from '../domain/principal';
import type { Logger } from '../logger';
import type { ApiTokenRow, ApiTokenStore } from '../storage/sql/api-token-store';
import type { AuditInput } from './audit-log';
import { TokenBuckets } from './token-bucket';

const DAY_MS = 86_400_000;
/** The last use is written at most this often per token (not at every request). */
const TOUCH_EVERY_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The creator as the token checks it at each use (the user store's row; sync today, async later). */
export interface TokenUser {
  id: number;
  username: string;
  role: Role;
  enterpriseId: string | null;
  disabled: boolean;
}

export interface ApiTokensDeps {
  store: ApiTokenStore;
  users: { get(id: number): TokenUser | undefined | Promise<TokenUser | undefined> };
  audit: { record(input: AuditInput): unknown };
  enterpriseExists(id: string): boolean;
  /** Per token: up to `burst` requests at once, refilled at `perMinute`. */
  limits: { burst: number; perMinute: number };
  log: Logger;
  now: () => number;
}

export type BearerOutcome =
  { ok: true; principal: Principal } | { ok: false; status: 401 | 403 | 429; reason: ApiTokenRefusal; retryAfterS?: number };

const ANSWERS: Record<ApiTokenRefusal, { error: string; message: string }> = {
  unknown: { error: 'token_invalid', message: 'unknown API token' },
  revoked: { error: 'token_revoked', message: 'this API token was revoked' },
  expired: { error: 'token_expired', message: 'this API token has expired' },
  identity: { error: 'token_identity_changed', message: 'the user who created this API token was disabled or changed' },
  read_only: { error: 'token_read_only', message: 'a read token cannot change anything' },
  rate_limited: { error: 'rate_limited', message: 'too many requests with this API token' },
};

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The token of an `Authorization: Bearer …` header, or null when there is none. */
export function bearerOf(req: Pick<Request, 'get'>): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m ? (m[1] as string) : null;
}

function viewOf(r: ApiTokenRow, now: number): ApiTokenView {
  const view = {
    id: r.id,
    name: r.name,
    scope: r.scope === 'write' ? 'write' : 'read',
    enterpriseId: r.enterprise_id,
    shown: r.shown,
    createdBy: r.username,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  } satisfies Omit<ApiTokenView, 'state'>;
  return { ...view, state: apiTokenState(view, now) };
}

/** The principal a token acts as: its tenant's enterprise user, or its creator bureau-wide. */
function principalOf(r: ApiTokenRow, user: TokenUser): Principal {
  const scope: ApiTokenScope = r.scope === 'write' ? 'write' : 'read';
  const role: Role = r.enterprise_id === null ? user.role : 'enterprise';
  // No department: department users hold no tokens (tokens.manage), so such a token's scope is closed.
  return { userId: user.id, username: user.username, role, enterpriseId: r.enterprise_id, department: null, token: { id: r.id, scope } };
}

export class ApiTokens {
  private readonly buckets: TokenBuckets;
  /** Bearer requests refused, per reason (/metrics `o3s_refused_total{door="api_token"}`); `unknown` is not audited. */
  readonly refused: Record<ApiTokenRefusal, number> = Object.fromEntries(API_TOKEN_REFUSALS.map((r) => [r, 0])) as Record<
    ApiTokenRefusal,
    number
  >;

  constructor(private readonly deps: ApiTokensDeps) {
    this.buckets = new TokenBuckets(deps.limits.burst, deps.limits.perMinute, deps.now);
  }

  async create(actor: Principal, input: NewApiToken, ip: string | null): Promise<CreatedApiToken> {
    const now = this.deps.now();
    const enterpriseId = this.tenantFor(actor, input.enterpriseId ?? null);
    const secret = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const row: ApiTokenRow = {
      id: randomUUID(),
      name: input.name,
      token_hash: hashToken(secret),
      shown: secret.slice(0, API_TOKEN_SHOWN_CHARS),
      scope: input.scope,
      enterprise_id: enterpriseId,
      user_id: actor.userId,
      username: actor.username,
      creator_role: actor.role,
      creator_enterprise_id: actor.enterpriseId,
      created_at: now,
      expires_at: now + input.expiresInDays * DAY_MS,
      last_used_at: null,
      revoked_at: null,
      revoked_by: null,
    };
    await this.deps.store.insert(row);
    const detail = { name: row.name, scope: row.scope, enterpriseId, expiresAt: row.expires_at, shown: row.shown };
    await this.audit('api_token.created', actor, row.id, detail, ip);
    return { token: viewOf(row, now), secret };
  }

  /** The tokens the actor manages: all (administrators) or its enterprise's. Newest first. */
  async list(actor: Principal): Promise<ApiTokenView[]> {
    const rows = await this.deps.store.list(isEnterpriseRole(actor.role) ? (actor.enterpriseId ?? '') : undefined);
    const now = this.deps.now();
    return rows.map((r) => viewOf(r, now));
  }

  /** Revokes a token the actor manages (another enterprise's: 404); revoking twice changes nothing. */
  async revoke(actor: Principal, id: string, ip: string | null): Promise<ApiTokenView> {
    const row = await this.deps.store.get(id);
    if (!row || (isEnterpriseRole(actor.role) && row.enterprise_id !== actor.enterpriseId)) {
      throw new HttpError(404, 'not_found', `API token ${id} not found`);
    }
    const now = this.deps.now();
    if (await this.deps.store.revoke(id, now, actor.username)) {
      this.buckets.forget(id);
      await this.audit('api_token.revoked', actor, id, { name: row.name, scope: row.scope, enterpriseId: row.enterprise_id }, ip);
    }
    return viewOf((await this.deps.store.get(id)) as ApiTokenRow, now);
  }

  /** Checks a bearer token for one request (method: whether it changes state). */
  async authenticate(token: string, method: string, path: string, ip: string | null): Promise<BearerOutcome> {
    const row = token.startsWith(API_TOKEN_PREFIX) ? await this.deps.store.findByHash(hashToken(token)) : null;
    if (!row) {
      this.refused.unknown += 1;
      return { ok: false, status: 401, reason: 'unknown' };
    }
    const now = this.deps.now();
    const refuse = async (status: 401 | 403 | 429, reason: ApiTokenRefusal, audited = true, retryAfterS?: number) => {
      this.refused[reason] += 1;
      this.deps.log.info({ token: row.id, shown: row.shown, reason, method, path }, 'API token refused');
      if (audited) await this.audit('api_token.refused', null, row.id, { reason, method, path, name: row.name }, ip, row);
      return { ok: false as const, status, reason, ...(retryAfterS === undefined ? {} : { retryAfterS }) };
    };
    if (row.revoked_at !== null) return refuse(401, 'revoked');
    if (now >= row.expires_at) return refuse(401, 'expired');
    const user = await this.deps.users.get(row.user_id);
    const same = user && !user.disabled && user.role === row.creator_role && user.enterpriseId === row.creator_enterprise_id;
    if (!user || !same) return refuse(401, 'identity');
    const take = this.buckets.take(row.id);
    if (!take.ok) return refuse(429, 'rate_limited', take.first, take.retryAfterS);
    if (row.scope !== 'write' && !SAFE_METHODS.has(method)) return refuse(403, 'read_only');
    if (row.last_used_at === null || now - row.last_used_at >= TOUCH_EVERY_MS) await this.deps.store.touch(row.id, now);
    return { ok: true, principal: principalOf(row, user) };
  }

  /** The `Authorization: Bearer` branch of the API gate: sets the principal or answers the refusal. */
  gate: RequestHandler = async (req, res, next) => {
    const path = req.originalUrl.split('?')[0] as string;
    const outcome = await this.authenticate(bearerOf(req) ?? '', req.method, path, req.ip ?? null);
    if (outcome.ok) {
      res.locals.principal = outcome.principal;
      next();
      return;
    }
    if (outcome.retryAfterS !== undefined) res.setHeader('Retry-After', String(outcome.retryAfterS));
    res.status(outcome.status).json({ ...ANSWERS[outcome.reason], ...(outcome.retryAfterS ? { retryAfterS: outcome.retryAfterS } : {}) });
  };

  /** An administrator names any enterprise or none; an enterprise user gets its own, and may name no other. */
  private tenantFor(actor: Principal, asked: string | null): string | null {
    if (isEnterpriseRole(actor.role)) {
      const own = actor.enterpriseId ?? '';
      if (asked !== null && asked !== own)
        throw new HttpError(403, 'forbidden', 'an enterprise user creates tokens for its own enterprise only');
      return own;
    }
    if (asked !== null && !this.deps.enterpriseExists(asked)) throw new HttpError(400, 'unknown_enterprise', `no enterprise "${asked}"`);
    return asked;
  }

  private async audit(
    action: ApiTokenAuditAction,
    actor: Principal | null,
    id: string,
    detail: Record<string, unknown>,
    ip: string | null,
    row?: ApiTokenRow,
  ): Promise<void> {
    const who = actor ?? (row ? { userId: row.user_id, username: row.username, role: row.creator_role as Role } : null);
    await this.deps.audit.record({ actor: who, action, target: `api-token:${id}`, detail, ip });
  }
}
