/**
 * The API's description, public (no session): it holds route shapes and schemas only, no data —
 * the same for every deployment and caller, and no more than the dashboard's own script already
 * tells anyone who loads it; an integrator (or a code generator) reads it before holding a token.
 *
 * GET /api/openapi.json → the OpenAPI 3.1 document (server/http/openapi.ts)
 * GET /api/docs         → the same as a readable page, rendered on the server (no script, no CDN)
 *
 * Mounted at /api by createHttpApp, which hands it every mount (itself included); the document is
 * built on the first request and kept (the routes do not change while the server runs).
 */
import { createRequire } from 'node:module';
import type { Router } from 'express';
import { z } from 'zod';
import { routes } from '../auth/route-access';
import { apiDocsPage } from './api-docs-page';
import { openApiDocument, type OpenApiDocument } from './openapi';

const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export function apiDocsRouter(mounts: () => Record<string, { stack?: unknown }>): Router {
  let doc: OpenApiDocument | undefined;
  let page: string | undefined;
  const document = () => (doc ??= openApiDocument(mounts(), version));
  const r = routes();
  r.get(
    '/openapi.json',
    'public',
    {
      summary: { en: 'This API described (OpenAPI 3.1)', zh: '本接口说明（OpenAPI 3.1）' },
      response: z.object({ openapi: z.string() }).loose().meta({ id: 'OpenApiDocument', description: 'an OpenAPI 3.1 document' }),
    },
    (_req, res) => {
      res.set('Cache-Control', 'no-cache').json(document());
    },
  );
  r.get('/docs', 'public', { summary: { en: 'This API described, as a page', zh: '接口说明页面' }, files: ['text/html'] }, (_req, res) => {
    page ??= apiDocsPage(document());
    res.set('Cache-Control', 'no-cache').type('html').send(page);
  });
  return r.router;
}
