import { describe, expect, it } from 'vitest';
import { makeAlert, makeSource } from '../testing/fixtures';
import { ApiError, fetchAlerts, fetchSources, fieldOfRefusal, requestJson } from './rest';
import { isAnyObject } from './guards';

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

  it.each([
    { body: { error: 'bad_request', message: 'to: must be in the future' }, field: 'to' },
    { body: { error: 'bad_request', message: 'reason: must not be empty', issues: [{ path: ['reason'], message: 'must not be empty' }] }, field: 'reason' },
    { body: { error: 'forbidden', message: 'an enterprise may declare maintenance for its own sources only' }, field: null },
    { body: null, field: null },
  ])('the field of a refusal: $field', ({ body, field }) => {
    expect(fieldOfRefusal(body)).toBe(field);
  });

  it('a refusal keeps the server message (without the field prefix), its status and field', async () => {
    const err = await requestJson('POST', '/api/maintenance', isAnyObject, {}, respond({ error: 'bad_request', message: 'to: must be in the future' }, 400)).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, field: 'to', message: 'must be in the future' });
  });
});
