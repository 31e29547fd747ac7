import { describe, expect, it } from 'vitest';
import { makeSource } from '../testing/fixtures';
import { ApiError, errorMessage, fetchSources, fieldOfRefusal, requestJson } from './rest';
import { isAnyObject } from './guards';

const calls: string[] = [];
const respond =
  (body: unknown, status = 200): typeof fetch =>
  (input) => {
    calls.push(String(input));
    return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  };

describe('REST helpers', () => {
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
    {
      body: { error: 'bad_request', message: 'reason: must not be empty', issues: [{ path: ['reason'], message: 'must not be empty' }] },
      field: 'reason',
    },
    { body: { error: 'forbidden', message: 'an enterprise may declare maintenance for its own sources only' }, field: null },
    { body: null, field: null },
  ])('the field of a refusal: $field', ({ body, field }) => {
    expect(fieldOfRefusal(body)).toBe(field);
  });

  it('a refusal keeps the server message (without the field prefix), its status and field', async () => {
    const err = await requestJson(
      'POST',
      '/api/maintenance',
      isAnyObject,
      {},
      respond({ error: 'bad_request', message: 'to: must be in the future' }, 400),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, field: 'to', message: 'must be in the future' });
  });
});

describe('errorMessage: the server error code in the user language, never its English text', () => {
  const messages: Record<string, string> = {
    'errors.unknown_assignee': '处理人不存在或已停用',
    'errors.network': '无法连接服务器',
    'errors.server': '服务器出错',
    'errors.refused': '请求被拒绝',
    'errors.unexpected': '发生意外错误',
  };
  const t = (key: string) => messages[key] ?? `missing:${key}`;
  const te = (key: string) => key in messages;

  it.each([
    ['a known code', new ApiError('assignee: "x" is not an enabled officer', 400, { code: 'unknown_assignee' }), '处理人不存在或已停用'],
    ['an unknown code: the status class', new ApiError('role "ozone" may not', 403, { code: 'brand_new' }), '请求被拒绝'],
    ['a 5xx', new ApiError('GET /x failed: HTTP 502', 502), '服务器出错'],
    ['the network', new ApiError('GET /x failed: network error', null), '无法连接服务器'],
    ['not an ApiError', new Error('boom'), '发生意外错误'],
  ])('%s', (_name, err, expected) => {
    expect(errorMessage(err, t, te)).toBe(expected);
  });

  it('keeps the code the server sent', async () => {
    const fetchFn = (() =>
      Promise.resolve(
        new Response(JSON.stringify({ error: 'unknown_assignee', message: 'assignee: no' }), { status: 400 }),
      )) as typeof fetch;
    const err = await requestJson('POST', '/api/alerts/1/assign', (v): v is object => typeof v === 'object', {}, fetchFn).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'unknown_assignee', status: 400 });
  });
});
