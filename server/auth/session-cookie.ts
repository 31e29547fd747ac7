/**
 * The session cookie `o3s_session`: httpOnly, SameSite=Strict, Path=/, Secure when the request
 * came over HTTPS (`req.secure`, which honours Express's `trust proxy` behind a TLS proxy) or when
 * the app forces it (`server.forceSecureCookie`, the app setting `FORCE_SECURE_COOKIE_SETTING`).
 * Also: resolving a cookie header to the signed-in principal, shared by HTTP and socket.io.
 */
import type { CookieOptions, Request, Response } from 'express';
import type { Principal } from '../domain/principal';
import type { Session, SessionStore } from './session-store';
import { toPrincipal, type User, type UserStore } from './user-store';

export const SESSION_COOKIE = 'o3s_session';

/** The value of one cookie in a `Cookie` header, or null. Tolerates whitespace and other cookies. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value; // not percent-encoded: taken as is (a token is base64url and never needs decoding)
    }
  }
  return null;
}

/** Express app setting: when true, the session cookie is always Secure. */
export const FORCE_SECURE_COOKIE_SETTING = 'o3s force secure cookie';

export function sessionCookieOptions(req: Request, maxAgeMs?: number): CookieOptions {
  const secure = req.secure || req.app?.get(FORCE_SECURE_COOKIE_SETTING) === true;
  return { httpOnly: true, sameSite: 'strict', secure, path: '/', ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }) };
}

export function setSessionCookie(req: Request, res: Response, token: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, token, sessionCookieOptions(req, maxAgeMs));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, sessionCookieOptions(req));
}

export interface SignedIn {
  principal: Principal;
  user: User;
  session: Session;
  token: string;
}

/**
 * The signed-in user behind a `Cookie` header, or null (no cookie, unknown/expired session, the
 * user deleted or disabled). The principal is built from the user's current row, so a role change
 * applies at the next request even before its sessions are revoked.
 */
export async function signedInFromCookieHeader(
  cookieHeader: string | undefined,
  sessions: SessionStore,
  users: UserStore,
): Promise<SignedIn | null> {
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  if (!token) return null;
  const session = await sessions.validate(token);
  if (!session) return null;
  const user = await users.get(session.userId);
  if (!user || user.disabled) {
    await sessions.revoke(token);
    return null;
  }
  return { principal: toPrincipal(user), user, session, token };
}
