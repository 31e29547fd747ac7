/**
 * The OpenAPI document is built from the routes themselves: it validates against the OpenAPI 3.1
 * schema, describes every mounted route and only those, says who may call each, and its page
 * renders every operation without a script.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { mounted } from '../../tests/helpers/inert-mounts';
import { routes, routeTable } from '../auth/route-access';
import { rolesWith } from '../domain/access';
import { apiDocsPage } from './api-docs-page';
import { describedRoutes, openApiDocument, openApiPath, undescribed } from './openapi';

type Operation = { summary: string; security: unknown[]; 'x-permission': string; 'x-roles'?: string[]; responses: Record<string, unknown> };
const operations = (doc: ReturnType<typeof openApiDocument>) =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );

describe('the OpenAPI document', () => {
  const mounts = mounted();
  const doc = openApiDocument(mounts, '0.0.0-test');

  it('validates against the OpenAPI 3.1 schema', async () => {
    const result = await new Validator().validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('describes every mounted route, and no route that is not mounted', () => {
    expect(undescribed(mounts).map((e) => `${e.method} ${e.path}`)).toEqual([]);
    const table = Object.entries(mounts).flatMap(([prefix, router]) => routeTable(router, prefix));
    const described = operations(doc).map((o) => o.key);
    expect(described.sort()).toEqual(table.map((e) => `${e.method} ${openApiPath(e.path)}`).sort());
    expect(new Set(described).size).toBe(table.length);
  });

  it('gives each operation its permission and roles from the access table; public ones need no credentials', () => {
    const byKey = new Map(operations(doc).map((o) => [o.key, o.op]));
    for (const route of describedRoutes(mounts)) {
      const op = byKey.get(`${route.method} ${route.apiPath}`) as Operation;
      expect(op['x-permission']).toBe(route.permission);
      if (route.permission === 'public') {
        expect(op.security).toEqual([]);
        expect(op.responses['401']).toBeUndefined();
      } else {
        expect(op['x-roles']).toEqual(rolesWith(route.permission as never));
        expect(op.security).toEqual([{ sessionCookie: [] }, { bearerAuth: [] }]);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    expect(Object.keys(doc.components?.securitySchemes ?? {})).toEqual(['sessionCookie', 'bearerAuth']);
    expect(describedRoutes(mounts).find((r) => r.apiPath === '/api/openapi.json')).toMatchObject({ permission: 'public', tag: 'api' });
  });

  it('documents the error shape on refusals, and request schemas from the routes’ own zod schemas', () => {
    const byKey = new Map(operations(doc).map((o) => [o.key, o.op as unknown as Record<string, unknown>]));
    const list = byKey.get('GET /api/alerts') as { parameters: { name: string; schema: { default?: unknown; enum?: unknown } }[] };
    const param = (n: string) => list.parameters.find((p) => p.name === n)?.schema;
    expect(param('limit')).toMatchObject({ default: 200, maximum: 1000 });
    expect(param('sort')).toMatchObject({ enum: ['attention', 'newest'], default: 'newest' });
    const refusal = (byKey.get('GET /api/alerts/{id}') as { responses: Record<string, { content: Record<string, { schema: unknown }> }> })
      .responses['404'];
    expect(refusal?.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.components?.schemas?.['Error']).toMatchObject({ required: ['error', 'message'] });
  });

  it('lists a route registered without a description, also in a nested router', () => {
    const r = routes();
    r.get('/described', 'alerts.read', { summary: { en: 'x', zh: 'x' } }, (_req, res) => void res.json({}));
    const inner = routes().get('/plain', 'alerts.read', (_req, res) => void res.json({}));
    r.router.use(inner.router);
    expect(undescribed({ '/api/x': r.router })).toEqual([
      { method: 'GET', path: '/api/x/plain', apiPath: '/api/x/plain', tag: 'x', permission: 'alerts.read' },
    ]);
  });

  it('renders as a page of every operation, with no script', () => {
    const page = apiDocsPage(doc);
    for (const { key } of operations(doc)) expect(page).toContain(`<code>${key.split(' ')[1]}</code>`);
    expect(page).not.toMatch(/<script|https?:\/\/(?!localhost)/i);
    expect(page).toContain('id="schema-Alert"');
  });
});
