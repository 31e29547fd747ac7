/**
 * HTTP middleware for accounts and the browser's security boundary:
 * - `authenticate` resolves the `o3s_session` cookie to `res.locals.principal` or answers 401, and
 *   answers 403 `password_change_required` while the user must replace a password someone else
 *   knows (only /api/auth/me, logout and the change itself let such a user through);
 * - what a role may do is server/domain/access.ts, checked per route (route-access.ts);
 * - `originCheck` is the CSRF defence next to SameSite=Strict: a state-changing request must carry
 *   an `Origin` (or, failing that, a `Referer`) whose host is the request's Host — unless it carries
 *   `Authorization: Bearer` and no session cookie (a machine's API token, server/auth/api-tokens.ts:
 *   a browser never adds that header across sites); a cookie never skips the check;
 * - `securityHeaders` sets helmet's headers with this app's CSP.
 * No CORS headers are ever set: the API serves only the app's own origin.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Principal } from '../domain/principal';
import { HttpError } from '../domain/errors';
import { clearSessionCookie, SESSION_COOKIE, signedInFromCookieHeader } from './session-cookie';
import type { Session, SessionStore } from './session-store';
import type { UserStore } from './user-store';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by `authenticate`. */
      principal?: Principal;
      /** The session behind the request and its token (for logout and password change). */
      session?: Session & { token: string };
    }
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Does an `Authorization` header carry a bearer token (an API token's request)? */
export const hasBearer = (authorization: string | undefined): boolean => /^Bearer\s/i.test(authorization ?? '');

/** The principal `authenticate` set; a router mounted without it fails loudly, never open. */
export function principalOf(res: Response): Principal {
  const p = res.locals.principal;
  if (!p) throw new HttpError(401, 'unauthenticated', 'sign in first');
  return p;
}

export interface AuthenticateOptions {
  /** Let a user who must change their password through (who am I, sign out, change it). */
  allowPasswordChangeRequired?: boolean;
}

export const PASSWORD_CHANGE_REQUIRED = {
  error: 'password_change_required',
  message: 'change your password first (POST /api/auth/password)',
} as const;

/** `bearer`: the gate for `Authorization: Bearer` requests (ApiTokens.gate); such requests never use the cookie. */
export function authenticate(
  sessions: SessionStore,
  users: UserStore,
  options: AuthenticateOptions = {},
  bearer?: RequestHandler,
): RequestHandler {
  return async (req, res, next) => {
    if (bearer && hasBearer(req.get('authorization'))) return bearer(req, res, next);
    const signedIn = await signedInFromCookieHeader(req.headers.cookie, sessions, users);
    if (!signedIn) {
      if (req.headers.cookie?.includes(`${SESSION_COOKIE}=`)) clearSessionCookie(req, res);
      res.status(401).json({ error: 'unauthenticated', message: 'sign in first' });
      return;
    }
    // The session is valid (so the user can still sign out and change the password), nothing else.
    if (signedIn.user.mustChangePassword && !options.allowPasswordChangeRequired) {
      res.status(403).json(PASSWORD_CHANGE_REQUIRED);
      return;
    }
    res.locals.principal = signedIn.principal;
    res.locals.session = { ...signedIn.session, token: signedIn.token };
    next();
  };
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

export interface OriginCheckOptions {
  /** Further exact origins allowed to send state-changing requests (e.g. `http://localhost:5173`). */
  allowedOrigins?: string[];
}

/** The hosts of `allowedOrigins`, for `claimedHostAllowed`. */
export const extraHosts = (options: OriginCheckOptions = {}): Set<string> =>
  new Set((options.allowedOrigins ?? []).map((o) => hostOf(o)).filter((h): h is string => h !== null));

/** The host a request claims to come from: its Origin (unless `null`), else its Referer, else null. */
export function claimedHost(origin: string | undefined, referer: string | undefined): string | null {
  return origin && origin !== 'null' ? hostOf(origin) : referer ? hostOf(referer) : null;
}

/** Is a claimed page host this very host (as the request names it) or one of the extra ones? */
export const claimedHostAllowed = (claimed: string | null, host: string, extra: ReadonlySet<string>): boolean =>
  claimed !== null && host !== '' && (claimed === host.toLowerCase() || extra.has(claimed));

/** CSRF defence: state-changing requests must come from a page of this very host. */
export function originCheck(options: OriginCheckOptions = {}): RequestHandler {
  const extra = extraHosts(options);
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (hasBearer(req.get('authorization')) && !req.headers.cookie?.includes(`${SESSION_COOKIE}=`)) return next();
    const claimed = claimedHost(req.get('origin'), req.get('referer'));
    if (claimedHostAllowed(claimed, req.host ?? '', extra)) return next();
    res.status(403).json({
      error: 'bad_origin',
      message: claimed === null ? 'a state-changing request needs an Origin or Referer header' : 'cross-origin requests are not accepted',
    });
  };
}

const HOST_RE = /^[A-Za-z0-9.\-:[\]]{1,255}$/;
const sameHost = (scheme: 'ws' | 'wss') => (req: IncomingMessage) => {
  const host = req.headers.host;
  // Only a well-formed Host goes into the header; anything else leaves 'self' alone.
  return host && HOST_RE.test(host) ? `${scheme}://${host}` : "'self'";
};

/**
 * helmet with this app's Content-Security-Policy: scripts only from the app; inline styles (Vue
 * style bindings, ECharts tooltips); images from the app and `data:` (ECharts exports); socket.io
 * over ws/wss to the same host; no framing, no plugins. `upgrade-insecure-requests` is left out so
 * a plain-HTTP LAN deployment keeps working (HSTS still applies once served over HTTPS).
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", sameHost('ws'), sameHost('wss')],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  }) as RequestHandler;
}
