/**
 * socket.io handshake checks: the browser sends its `o3s_session` cookie with the handshake (same
 * origin); the realtime hub resolves it to the principal and the session behind it (to close that
 * session's sockets when it ends), and refuses a handshake from a foreign page (`Origin`), as the
 * REST API refuses a cross-origin write.
 */
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../domain/principal';
import { claimedHost, claimedHostAllowed } from './auth-middleware';
import { signedInFromCookieHeader } from './session-cookie';
import type { SessionStore } from './session-store';
import type { UserStore } from './user-store';

/** Who is behind a socket: the principal, and the session (`Session.id`) it was granted under. */
export interface SocketIdentity {
  principal: Principal;
  sessionId: string;
  /** The user must change their password first: the hub refuses the socket (`password_change_required`). */
  mustChangePassword: boolean;
}

export async function principalFromCookieHeader(
  cookieHeader: string | undefined,
  sessions: SessionStore,
  users: UserStore,
): Promise<Principal | null> {
  return (await signedInFromCookieHeader(cookieHeader, sessions, users))?.principal ?? null;
}

export async function socketIdentityFromCookieHeader(
  cookieHeader: string | undefined,
  sessions: SessionStore,
  users: UserStore,
): Promise<SocketIdentity | null> {
  const signedIn = await signedInFromCookieHeader(cookieHeader, sessions, users);
  return signedIn
    ? { principal: signedIn.principal, sessionId: signedIn.session.id, mustChangePassword: signedIn.user.mustChangePassword }
    : null;
}

/** Express's compiled `trust proxy` setting (`app.get('trust proxy fn')`): is the hop at `addr` a trusted proxy? */
export type TrustProxyFn = (addr: string, hop: number) => boolean;

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The host a raw request names, exactly as Express's `req.host`: X-Forwarded-Host from a trusted proxy, else Host. */
export function requestHost(req: IncomingMessage, trust: TrustProxyFn): string {
  const forwarded = header(req, 'x-forwarded-host');
  if (forwarded && trust(req.socket.remoteAddress ?? '', 0)) return (forwarded.split(',')[0] ?? '').trim();
  return header(req, 'host') ?? '';
}

/**
 * Cross-site WebSocket hijacking defence for the socket.io handshake. A browser sends `Origin` on
 * every WebSocket and every cross-origin request, so a foreign (or `null`) Origin is refused. A
 * request without one passes: a same-origin polling GET, or a client that is no browser (which
 * needs the session cookie itself, so a foreign page cannot borrow it).
 */
export function socketOriginAllowed(req: IncomingMessage, trust: TrustProxyFn, extraHosts: ReadonlySet<string> = new Set()): boolean {
  const origin = header(req, 'origin');
  if (origin === undefined) return true;
  return claimedHostAllowed(claimedHost(origin, undefined), requestHost(req, trust), extraHosts);
}
