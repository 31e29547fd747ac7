import { describe, expect, it } from 'vitest';
import { makeAlert, makeSource } from '../testing/fixtures';
import { ApiError, fetchAlerts, fetchSources } from './rest';

const calls: string[] = [];
const respond =
  (body: unknown, status = 200): typeof fetch =>
  (input) => {
    calls.push(String(input));
    return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  };

describe('REST helpers', () => {
  it('fetchAlerts asks for a state and returns the items', async () => {
    calls.length = 0;
    const items = await fetchAlerts('active', respond({ items: [makeAlert()] }));
    expect(calls).toEqual(['/api/alerts?state=active']);
    expect(items).toHaveLength(1);
  });

  it('fetchSources returns the items', async () => {
    expect(await fetchSources(respond({ items: [makeSource()] }))).toHaveLength(1);
  });

  it.each([
    { name: 'HTTP error', fetchFn: respond({ error: 'boom' }, 503), message: /HTTP 503/ },
    { name: 'unexpected body', fetchFn: respond({ items: [{ id: 'x' }] }), message: /unexpected body/ },
    { name: 'network error', fetchFn: (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch, message: /network error/ },
  ])('$name → ApiError', async ({ fetchFn, message }) => {
    const err = await fetchSources(fetchFn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(message);
  });
});
