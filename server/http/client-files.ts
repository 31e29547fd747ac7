/**
 * The built dashboard (dist/client). Its files under /assets are named by their content (a new
 * build names new files): browsers keep them a year without asking again, one not there is a 404
 * (never the page in its place), and a browser that accepts brotli or gzip gets the file the build
 * compressed beforehand (scripts/precompress.ts): no request pays for compression. Everything else,
 * index.html above all (it names the current build's files), is asked again every time and
 * answered 304 while unchanged: a browser never keeps a page of an old build naming files gone
 * since the upgrade. Any other path answers index.html, the client's router deciding what it shows.
 */
import { existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import express, { type RequestHandler, type Response, type Router } from 'express';
import { notFound } from './errors';

export const ASSET_CACHE = 'public, max-age=31536000, immutable';
export const PAGE_CACHE = 'no-cache';

/** The encodings the build writes, in the order preferred, with their files' suffix. */
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;

const asset = (res: Response) => res.setHeader('cache-control', ASSET_CACHE);
const page = (res: Response) => res.setHeader('cache-control', PAGE_CACHE);

/**
 * The quality a client gives each content coding (RFC 9110 §12.5.3): listed without q, 1; `*` for
 * the unlisted; else 0. Browsers list gzip before br at the same quality: ties go to our order.
 */
function qualities(header: string | undefined): (encoding: string) => number {
  const listed = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name) listed.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  return (encoding) => listed.get(encoding) ?? listed.get('*') ?? 0;
}

/** An asset compressed at build time, to a browser that accepts its encoding. */
function precompressed(dir: string): RequestHandler {
  const files = new Set(existsSync(dir) ? readdirSync(dir) : []);
  return (req, res, next) => {
    const name = req.path.slice(1);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || name.includes('/')) return next();
    const offered = ENCODINGS.filter(([, suffix]) => files.has(name + suffix));
    if (offered.length === 0) return next();
    res.vary('accept-encoding');
    const q = qualities(req.headers['accept-encoding']);
    const [chosen] = offered.reduce<[string, number]>(
      (best, [encoding]) => (q(encoding) > best[1] ? [encoding, q(encoding)] : best),
      ['', 0],
    );
    const suffix = offered.find(([encoding]) => encoding === chosen)?.[1];
    if (!suffix) return next();
    res.type(extname(name));
    res.setHeader('content-encoding', chosen);
    asset(res);
    res.sendFile(join(dir, name + suffix), (err?: NodeJS.ErrnoException) => {
      // Sent; or the browser went away (a page closed mid-load: nothing to answer, nothing wrong);
      // or the compressed file is gone since the start (a rebuild): the file as it is answers.
      if (err && err.code !== 'ECONNABORTED' && !res.headersSent) {
        res.removeHeader('content-encoding');
        next();
      }
    });
  };
}

export function clientFiles(dir: string): Router {
  const r = express.Router();
  const assets = join(dir, 'assets');
  r.use('/assets', precompressed(assets), express.static(assets, { index: false, setHeaders: asset }), notFound);
  r.use(express.static(dir, { index: 'index.html', cacheControl: false, setHeaders: page }));
  r.get('/{*path}', (_req, res) => {
    page(res);
    res.sendFile(join(dir, 'index.html'));
  });
  return r;
}
