/**
 * The OpenAPI 3.1 document of the REST API, built from the routes themselves: every route of the
 * mounted routers (server/auth/route-access.ts `routeTable`) with its method, path, permission
 * (server/domain/access.ts: who may call it) and the `RouteDoc` it was registered with (summary in
 * English and Chinese, the zod schemas of its query, body and answer; server/domain/route-doc.ts).
 * A route registered without a description is listed in `undescribed` (a test keeps it empty).
 *
 * The document holds no data: only route shapes and schemas, the same for every deployment and
 * every caller (no registry, no config values), which is why it is served without a session.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { rolesWith } from '../domain/access';
import { errorSchema } from '../domain/api-schemas';
import type { RouteDoc } from '../domain/route-doc';
import { routeTable, type RouteEntry } from '../auth/route-access';
import { SESSION_COOKIE } from '../auth/session-cookie';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** A route as the document lists it. */
export interface DescribedRoute extends RouteEntry {
  /** The OpenAPI path: `/api/alerts/{id}` (no trailing slash). */
  apiPath: string;
  /** The group it is listed in: the resource under /api (`alerts`), or `api` for the description itself. */
  tag: string;
}

const JSON_TYPE = 'application/json';

/** Express `/api/alerts/:id` (or `/api/alerts/`) → OpenAPI `/api/alerts/{id}`. */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/(.)\/$/, '$1');
const pathNames = (path: string): string[] => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);

/** Every route under these mounts, as the document lists them. */
export function describedRoutes(mounts: Record<string, { stack?: unknown }>): DescribedRoute[] {
  return Object.entries(mounts).flatMap(([prefix, router]) =>
    routeTable(router, prefix).map((e) => ({ ...e, apiPath: openApiPath(e.path), tag: prefix.split('/')[2] ?? 'api' })),
  );
}

/** The routes registered without a description. */
export const undescribed = (mounts: Record<string, { stack?: unknown }>): RouteEntry[] =>
  describedRoutes(mounts).filter((e) => e.doc === undefined);

const refusal = (description: string) => ({ description, content: { [JSON_TYPE]: { schema: errorSchema } } });
const REFUSALS: Record<number, string> = {
  400: 'bad request: the issues say what',
  401: 'not signed in (no session or token)',
  403: 'the caller’s role lacks the permission, or its password must be changed first',
  404: 'not found, or not the caller’s to see (another enterprise’s)',
  409: 'conflict with the current state',
  413: 'the body is too large',
  415: 'unsupported content type',
  429: 'too many attempts: Retry-After says when to try again',
  503: 'a store behind it cannot be read',
};

function responsesOf(route: DescribedRoute, doc: RouteDoc): RouteConfig['responses'] {
  const status = doc.status ?? 200;
  const content: Record<string, { schema: z.ZodType }> = {};
  if (doc.response) content[JSON_TYPE] = { schema: doc.response };
  for (const type of doc.files ?? []) content[type] = { schema: z.string().meta({ format: 'binary' }) };
  const out: RouteConfig['responses'] = {
    [status]: { description: status === 204 ? 'done, no content' : 'success', ...(status === 204 ? {} : { content }) },
  };
  const codes = new Set(doc.refusals ?? []);
  if (doc.query || doc.body || doc.upload || doc.params) codes.add(400);
  if (route.permission !== 'public') [401, 403].forEach((c) => codes.add(c));
  if (pathNames(route.path).length > 0) codes.add(404);
  for (const code of [...codes].sort()) out[code] = refusal(REFUSALS[code] ?? 'refused');
  return out;
}

function requestOf(route: DescribedRoute, doc: RouteDoc): RouteConfig['request'] {
  const names = pathNames(route.path);
  const params = names.length > 0 ? z.object(Object.fromEntries(names.map((n) => [n, doc.params?.[n] ?? z.string()]))) : undefined;
  const body = doc.body
    ? { required: true, content: { [JSON_TYPE]: { schema: doc.body } } }
    : doc.upload
      ? {
          required: true,
          description: doc.upload.description,
          content: Object.fromEntries(doc.upload.types.map((t) => [t, { schema: z.string().meta({ format: 'binary' }) }])),
        }
      : undefined;
  return { ...(params ? { params } : {}), ...(doc.query ? { query: doc.query as z.ZodObject } : {}), ...(body ? { body } : {}) };
}

function permissionText(route: DescribedRoute): string {
  if (route.permission === 'public' || route.permission === null) return 'Public: no session needed.';
  return `Permission \`${route.permission}\`: ${rolesWith(route.permission).join(', ')}.`;
}

/** The OpenAPI 3.1 document of these mounts (described routes only; see `undescribed`). */
export function openApiDocument(mounts: Record<string, { stack?: unknown }>, version: string): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'the session of a signed-in user (POST /api/auth/login); state-changing calls also need the app’s Origin',
  });
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'an API token (Authorization: Bearer …), for machines',
  });
  for (const route of describedRoutes(mounts)) {
    const doc = route.doc;
    if (!doc) continue;
    const permission = route.permission === 'public' ? null : route.permission;
    registry.registerPath({
      method: route.method.toLowerCase() as RouteConfig['method'],
      path: route.apiPath,
      operationId: `${route.method.toLowerCase()}${route.apiPath.replace(/[{}]/g, '').replace(/[/-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      tags: [route.tag],
      summary: doc.summary.en,
      description: [doc.summary.zh, doc.description, permissionText(route)].filter(Boolean).join('\n\n'),
      security: permission === null ? [] : [{ sessionCookie: [] }, { bearerAuth: [] }],
      'x-summary-zh': doc.summary.zh,
      'x-permission': route.permission,
      ...(permission === null ? {} : { 'x-roles': [...rolesWith(permission)] }),
      request: requestOf(route, doc),
      responses: responsesOf(route, doc),
    } as RouteConfig);
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'O3 Sentinel API',
      version,
      description:
        'Real-time monitoring and alerting for ozone precursors and emission sources. Times are epoch ms unless a field ' +
        'says otherwise; an enterprise user sees its own enterprise only (another enterprise’s things answer 404).',
    },
    servers: [{ url: '/' }],
  });
}
