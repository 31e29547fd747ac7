/**
 * The dashboard's build writes each script, stylesheet and other text file under `assets/` also
 * compressed, beside it (`x.js.br`, `x.js.gz`: brotli at its best, gzip at 9), once, at build time:
 * the server answers a browser that accepts them with those (server/http/client-files.ts), so no
 * request pays for compression and a slow link carries about a third of the bytes (the start
 * script: 444 KB → ~140 KB). Files that would not shrink by a tenth are left alone.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const TEXT = /\.(js|mjs|css|svg|json|html|txt|map)$/;
/** Smaller files gain too little to be worth a second request path. */
const MIN_BYTES = 1_024;

/** Writes `.br` and `.gz` beside each text file of `dir` (not recursive); the files written. */
export function precompressDir(dir: string): string[] {
  const written: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!TEXT.test(name)) continue;
    const path = join(dir, name);
    const raw = readFileSync(path);
    if (raw.length < MIN_BYTES) continue;
    const br = brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    });
    const gz = gzipSync(raw, { level: 9 });
    if (br.length > raw.length * 0.9) continue;
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gz);
    written.push(`${name}.br`, `${name}.gz`);
  }
  return written;
}

/** The Vite plugin: after the bundle is written, its `assets/` precompressed. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'o3-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      precompressDir(join(outDir, 'assets'));
    },
  };
}
