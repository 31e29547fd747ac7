/**
 * socket.io handshake authentication: the browser sends its `o3s_session` cookie with the
 * handshake (same origin). The realtime hub calls this in `io.use(...)` and joins the socket to
 * `role:<role>` and, for enterprise users, `ent:<enterpriseId>`.
 */
import type { Principal } from '../domain/principal';
import { signedInFromCookieHeader } from './session-cookie';
import type { SessionStore } from './session-store';
import type { UserStore } from './user-store';

export function principalFromCookieHeader(cookieHeader: string | undefined, sessions: SessionStore, users: UserStore): Principal | null {
  return signedInFromCookieHeader(cookieHeader, sessions, users)?.principal ?? null;
}

/** The rooms a principal's sockets join. */
export function roomsFor(p: Principal): string[] {
  return p.role === 'enterprise' && p.enterpriseId ? [`role:${p.role}`, `ent:${p.enterpriseId}`] : [`role:${p.role}`];
}
