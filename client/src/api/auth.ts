/** Sign-in over REST: the session lives in an httpOnly cookie the browser sends by itself. */
import type { SessionUser } from '@domain/principal';
import { isSessionUser } from './guards';
import { ApiError } from './rest';

export type { SessionUser } from '@domain/principal';

/** A refusal as the server explains it: message, and the field it is about when there is one. */
export class AuthError extends ApiError {
  constructor(message: string, status: number | null, field: string | null = null, options?: { cause?: unknown; code?: string | null }) {
    super(message, status, { field, ...options });
  }
}

async function send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      // A GET sends no header of its own: index.html preloads /api/auth/me, and the browser reuses a
      // preloaded answer only for a request with the same headers (an Accept would make it ask twice).
      ...(body ? { headers: { accept: 'application/json', 'content-type': 'application/json' } } : {}),
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch (cause) {
    throw new AuthError(`${method} ${path} failed: network error`, null, null, { cause });
  }
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : {};
  if (!res.ok) {
    const e = json as { message?: unknown; error?: unknown; field?: unknown };
    const message = typeof e.message === 'string' ? e.message : typeof e.error === 'string' ? e.error : `HTTP ${res.status}`;
    const code = typeof e.error === 'string' ? e.error : null;
    throw new AuthError(message, res.status, typeof e.field === 'string' ? e.field : null, { code });
  }
  return json;
}

const userOf = (body: unknown): SessionUser => {
  const user = (body as { user?: unknown }).user ?? body;
  if (!isSessionUser(user)) throw new AuthError('unexpected session body', 200);
  return user;
};

/** The signed-in user, or null when there is no valid session. */
export async function fetchMe(): Promise<SessionUser | null> {
  try {
    return userOf(await send('GET', '/api/auth/me'));
  } catch (err) {
    if (err instanceof AuthError && err.status === 401) return null;
    throw err;
  }
}

export async function login(username: string, password: string): Promise<SessionUser> {
  return userOf(await send('POST', '/api/auth/login', { username, password }));
}

export async function logout(): Promise<void> {
  await send('POST', '/api/auth/logout');
}

/**
 * Replaces the signed-in user's password (and clears `mustChangePassword`). The user's other
 * sessions end; this browser's continues under a fresh cookie. Refusals: 403 `wrong_password`,
 * 400 `weak_password`, 429 `too_many_attempts` (the `code` of the AuthError).
 */
export async function changePassword(currentPassword: string, newPassword: string): Promise<SessionUser> {
  return userOf(await send('POST', '/api/auth/password', { currentPassword, newPassword }));
}
