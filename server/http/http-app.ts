/** The Express app: JSON API under /api, health, and the built dashboard. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../logger';
import { errorMiddleware, notFound } from './errors';

export interface HttpAppParts {
  health: RequestHandler;
  ready: RequestHandler;
  /** Prometheus scrape endpoint. */
  metrics: RequestHandler;
  routers: Record<string, express.Router>;
  clientDir: string;
}

export function createHttpApp(parts: HttpAppParts, log: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));
  app.get('/healthz', parts.health);
  app.get('/readyz', parts.ready);
  app.get('/metrics', parts.metrics);
  for (const [path, router] of Object.entries(parts.routers)) app.use(path, router);
  app.use('/api', notFound);
  if (existsSync(join(parts.clientDir, 'index.html'))) {
    app.use(express.static(parts.clientDir, { index: 'index.html', maxAge: '1h' }));
    app.get('/{*path}', (_req, res) => res.sendFile(join(parts.clientDir, 'index.html')));
  } else {
    log.warn({ clientDir: parts.clientDir }, 'dashboard not built (npm run build); serving the API only');
  }
  app.use(notFound);
  app.use(errorMiddleware(log));
  return app;
}
