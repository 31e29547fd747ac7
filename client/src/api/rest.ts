/** Typed helpers for the server's REST API (same origin). Each body is checked before it is used. */
import type { Alert, AlertState } from '@domain/alert';
import type { SourceView } from '@domain/events';
import { isAlert, isItems, isSeriesPoint, isSourceView, type SeriesPoint } from './guards';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type Fetch = typeof fetch;

async function getJson<T>(path: string, valid: (v: unknown) => v is T, fetchFn: Fetch): Promise<T> {
  let res: Response;
  try {
    res = await fetchFn(path, { headers: { accept: 'application/json' } });
  } catch (cause) {
    throw new ApiError(`GET ${path} failed: network error`, null, { cause });
  }
  if (!res.ok) throw new ApiError(`GET ${path} failed: HTTP ${res.status}`, res.status);
  const body: unknown = await res.json();
  if (!valid(body)) throw new ApiError(`GET ${path} returned an unexpected body`, res.status);
  return body;
}

export async function fetchAlerts(state?: AlertState, fetchFn: Fetch = fetch): Promise<Alert[]> {
  const query = state ? `?state=${encodeURIComponent(state)}` : '';
  return (await getJson(`/api/alerts${query}`, isItems(isAlert), fetchFn)).items;
}

export async function fetchSources(fetchFn: Fetch = fetch): Promise<SourceView[]> {
  return (await getJson('/api/sources', isItems(isSourceView), fetchFn)).items;
}

/** Real-time values of one factor of one source since `from` (epoch ms), oldest first. */
export async function fetchSeries(mn: string, factor: string, from: number, fetchFn: Fetch = fetch): Promise<SeriesPoint[]> {
  const query = new URLSearchParams({ factor, cn: '2011', from: String(from) });
  return (await getJson(`/api/sources/${encodeURIComponent(mn)}/series?${query}`, isItems(isSeriesPoint), fetchFn)).items;
}
