/** Typed helpers for the server's REST API (same origin). Each body is checked before it is used. */
import type { SourceView } from '@domain/events';
import { isItems, isSourceView } from './guards';

export class ApiError extends Error {
  override name = 'ApiError';
  /** The form field the server's refusal is about (`to: must be in the future` → 'to'), if any. */
  readonly field: string | null;
  /** The refusal's whole body (e.g. a forecast import's per-row errors), when there was one. */
  readonly body: unknown;
  /** The server's error code (`{error: "unknown_assignee"}`), `network` when it was not reached, else null. */
  readonly code: string | null;
  constructor(
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown; field?: string | null; body?: unknown; code?: string | null },
  ) {
    super(message, options);
    this.field = options?.field ?? null;
    this.body = options?.body ?? null;
    this.code = options?.code ?? (status === null ? 'network' : null);
  }
}

/** The error code of a refusal body, when it has one. */
const codeOf = (body: unknown): string | null => {
  const e = (body as { error?: unknown } | null)?.error;
  return typeof e === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(e) ? e : null;
};

/**
 * What to tell the user about a failed request, in their language: the message for the server's
 * error code (`errors.<code>`), else one for the HTTP status class — never the server's English text.
 */
export function errorMessage(
  err: unknown,
  t: (key: string, params?: Record<string, unknown>) => string,
  te: (key: string) => boolean,
): string {
  if (!(err instanceof ApiError)) return t('errors.unexpected');
  if (err.code !== null && te(`errors.${err.code}`)) return t(`errors.${err.code}`);
  if (err.status === null) return t('errors.network');
  if (err.status >= 500) return t('errors.server', { status: err.status });
  return t('errors.refused', { status: err.status });
}

type Fetch = typeof fetch;

/**
 * Which field a refusal names: the zod issue's first path element, else a `field: …` prefix of
 * the message (the server's own checks say "to: must be in the future").
 */
export function fieldOfRefusal(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as { issues?: unknown; message?: unknown };
  if (Array.isArray(b.issues)) {
    const path = (b.issues[0] as { path?: unknown } | undefined)?.path;
    if (Array.isArray(path) && typeof path[0] === 'string') return path[0];
  }
  if (typeof b.message === 'string') {
    const m = /^([A-Za-z][A-Za-z0-9]*): /.exec(b.message);
    if (m?.[1]) return m[1];
  }
  return null;
}

/** The server's explanation without the leading `field: `. */
const messageOf = (body: unknown, status: number): string => {
  const m = (body as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m.replace(/^[A-Za-z][A-Za-z0-9]*: /, '') : `HTTP ${status}`;
};

async function parseBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ApiError(`HTTP ${res.status}: body is not JSON`, res.status, { cause });
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One JSON request: network failures, refusals and unexpected bodies all become ApiError. */
export function requestJson<T>(
  method: Method,
  path: string,
  valid: (v: unknown) => v is T,
  body?: unknown,
  fetchFn: Fetch = fetch,
): Promise<T> {
  return send(method, path, valid, body === undefined ? undefined : { type: 'application/json', text: JSON.stringify(body) }, fetchFn);
}

/** A request whose body is text of another type (a CSV import), answered in JSON. */
export function requestWithText<T>(
  method: Method,
  path: string,
  valid: (v: unknown) => v is T,
  type: string,
  text: string,
  fetchFn: Fetch = fetch,
): Promise<T> {
  return send(method, path, valid, { type, text }, fetchFn);
}

/** A request whose body is a file (a registry workbook), answered in JSON. */
export function requestWithFile<T>(
  method: Method,
  path: string,
  valid: (v: unknown) => v is T,
  type: string,
  file: Blob,
  fetchFn: Fetch = fetch,
): Promise<T> {
  return send(method, path, valid, { type, text: file }, fetchFn);
}

async function send<T>(
  method: Method,
  path: string,
  valid: (v: unknown) => v is T,
  body: { type: string; text: string | Blob } | undefined,
  fetchFn: Fetch,
): Promise<T> {
  let res: Response;
  try {
    res = await fetchFn(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': body.type }) },
      ...(body === undefined ? {} : { body: body.text }),
    });
  } catch (cause) {
    throw new ApiError(`${method} ${path} failed: network error`, null, { cause });
  }
  if (!res.ok) {
    const refusal = await parseBody(res).catch(() => ({}));
    throw new ApiError(res.status >= 500 ? `${method} ${path} failed: HTTP ${res.status}` : messageOf(refusal, res.status), res.status, {
      field: fieldOfRefusal(refusal),
      body: refusal,
      code: codeOf(refusal),
    });
  }
  const json = await parseBody(res);
  if (!valid(json)) throw new ApiError(`${method} ${path} returned an unexpected body`, res.status, { code: 'unexpected_body' });
  return json;
}

const getJson = <T>(path: string, valid: (v: unknown) => v is T, fetchFn: Fetch): Promise<T> =>
  requestJson('GET', path, valid, undefined, fetchFn);

export async function fetchSources(fetchFn: Fetch = fetch): Promise<SourceView[]> {
  return (await getJson('/api/sources', isItems(isSourceView), fetchFn)).items;
}
