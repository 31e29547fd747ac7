/**
 * The built dashboard (dist/client). Its files under /assets are named by their content (a new
 * build names new files): browsers keep them a year without asking again, and one not there is a
 * 404, never the page in its place. Everything else, index.html above all (it names the current
 * build's files), is asked again every time and answered 304 while unchanged: a browser never
 * keeps a page of an old build naming files gone since the upgrade. Any other path answers
 * index.html, the client's router deciding what it shows.
 */
import { join } from 'node:path';
import express, { type Router } from 'express';
import { notFound } from './errors';

export const ASSET_CACHE = 'public, max-age=31536000, immutable';
export const PAGE_CACHE = 'no-cache';

export function clientFiles(dir: string): Router {
  const r = express.Router();
  const page = (res: express.Response) => res.setHeader('cache-control', PAGE_CACHE);
  r.use(
    '/assets',
    express.static(join(dir, 'assets'), { index: false, setHeaders: (res) => res.setHeader('cache-control', ASSET_CACHE) }),
    notFound,
  );
  r.use(express.static(dir, { index: 'index.html', cacheControl: false, setHeaders: page }));
  r.get('/{*path}', (_req, res) => {
    page(res);
    res.sendFile(join(dir, 'index.html'));
  });
  return r;
}
