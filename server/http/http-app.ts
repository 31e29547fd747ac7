/**
 * The Express app: security headers; health, readiness and metrics; the JSON API under /api —
 * state-changing requests only from the app's own origin, and every route but the public ones
 * (sign-in) behind the session gate; then the built dashboard. `trust proxy` comes from the config
 * (`server.trustProxy`): the client address, HTTPS and host that the proxies forward are believed
 * only from them; `app.get('trust proxy fn')` gives the same check to the socket.io handshake.
 * The API's own description (GET /api/openapi.json, /api/docs) is public and covers every mount.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../logger';
import { originCheck, securityHeaders } from '../auth/auth-middleware';
import { assertDeclared } from '../auth/route-access';
import { FORCE_SECURE_COOKIE_SETTING } from '../auth/session-cookie';
import { apiDocsRouter } from './api-docs-router';
import { clientFiles } from './client-files';
import { errorMiddleware, notFound } from './errors';

export interface HttpAppParts {
  health: RequestHandler;
  ready: RequestHandler;
  /** Prometheus scrape endpoint. */
  metrics: RequestHandler;
  /** Reachable without a session (sign-in); they check sessions themselves where needed. */
  publicRouters?: Record<string, express.Router>;
  /** In front of `routers`: sets `res.locals.principal` or answers 401 (then e.g. the audit trail). */
  gate: RequestHandler | RequestHandler[];
  routers: Record<string, express.Router>;
  clientDir: string;
  /** Express `trust proxy`: false, a hop count, or the proxies' addresses / CIDR ranges. */
  trustProxy?: false | number | string[];
  /** Mark the session cookie Secure on every request, not only HTTPS ones. */
  forceSecureCookie?: boolean;
}

export function createHttpApp(parts: HttpAppParts, log: Logger): Express {
  const mounts: Record<string, express.Router> = { ...parts.publicRouters, ...parts.routers };
  const docs = apiDocsRouter(() => ({ '/api': docs, ...mounts }));
  assertDeclared({ '/api': docs, ...mounts }); // every route names its permission (domain/access.ts)
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parts.trustProxy ?? false);
  app.set(FORCE_SECURE_COOKIE_SETTING, parts.forceSecureCookie === true);
  app.use(securityHeaders());
  app.get('/healthz', parts.health);
  app.get('/readyz', parts.ready);
  app.get('/metrics', parts.metrics);
  app.use('/api', originCheck(), express.json({ limit: '256kb' }));
  app.use('/api', docs);
  for (const [path, router] of Object.entries(parts.publicRouters ?? {})) app.use(path, router);
  app.use('/api', parts.gate); // everything below needs a session: 401 even for unknown paths
  for (const [path, router] of Object.entries(parts.routers)) app.use(path, router);
  app.use('/api', notFound);
  if (existsSync(join(parts.clientDir, 'index.html'))) {
    app.use(clientFiles(parts.clientDir));
  } else {
    log.warn({ clientDir: parts.clientDir }, 'dashboard not built (npm run build); serving the API only');
  }
  app.use(notFound);
  app.use(errorMiddleware(log));
  return app;
}
