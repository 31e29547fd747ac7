/**
 * The dashboard's files and how long browsers keep them: content-named assets a year, the page
 * asked again every time (an upgrade never leaves a browser on an old build), a missing asset a 404.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { precompressDir } from '../../scripts/precompress';
import { ASSET_CACHE, clientFiles, PAGE_CACHE } from './client-files';
import { errorMiddleware } from './errors';

const SCRIPT = Array.from({ length: 200 }, (_, i) => `export const row${i} = { id: ${i}, label: '告警 ${i}' };`).join('\n');

describe('clientFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'o3-client-'));
  let base = '';
  let close = () => {};
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>O3</title>');
    writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'export {};');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    writeFileSync(join(dir, 'assets', 'wall-XyZ789.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', 'gone-P2.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', 'tiny-Q1.css'), 'a{}');
    expect(precompressDir(join(dir, 'assets')).sort()).toEqual([
      'gone-P2.js.br',
      'gone-P2.js.gz',
      'wall-XyZ789.js.br',
      'wall-XyZ789.js.gz',
    ]);
    const app = express()
      .use(clientFiles(dir))
      .use(errorMiddleware(createLogger('silent')));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a content-named asset is kept a year, immutable', async () => {
    const res = await fetch(`${base}/assets/index-AbC123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe(ASSET_CACHE);
  });

  it.each(['/', '/index.html', '/wall', '/sources/370300CEMS00000000000001', '/favicon.svg'])(
    '%s is asked again every time (no-cache), answered 304 while unchanged',
    async (path) => {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe(PAGE_CACHE);
      const etag = res.headers.get('etag');
      expect(etag).toBeTruthy();
      expect((await fetch(`${base}${path}`, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } })).status).toBe(304);
    },
  );

  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['identity', null],
  ])('a script compressed at build time, asked with accept-encoding %s, comes as %s', async (accept, encoding) => {
    const res = await fetch(`${base}/assets/wall-XyZ789.js`, { headers: { 'accept-encoding': accept } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe(encoding);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toBe(ASSET_CACHE);
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(await res.text()).toBe(SCRIPT); // fetch decodes what it was sent
  });

  it('a file too small to compress comes as it is', async () => {
    const res = await fetch(`${base}/assets/tiny-Q1.css`, { headers: { 'accept-encoding': 'br' } });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe('a{}');
  });

  it('a compressed file gone since the start (a rebuild) is answered by the file as it is', async () => {
    const res0 = await fetch(`${base}/assets/gone-P2.js`, { headers: { 'accept-encoding': 'br' } });
    expect(res0.headers.get('content-encoding')).toBe('br');
    rmSync(join(dir, 'assets', 'gone-P2.js.br'));
    const res = await fetch(`${base}/assets/gone-P2.js`, { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe(SCRIPT);
  });

  it('an asset not there (an old build’s) is a 404, not the page', async () => {
    const res = await fetch(`${base}/assets/index-Old999.js`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/json/);
  });
});
