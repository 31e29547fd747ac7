/**
 * Vite config of the browser client (client/). The dev server proxies the API, the health check
 * and socket.io to the O3 Sentinel server, whose port is taken from PORT (default 8080).
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { precompress } from './scripts/precompress';

function serverPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 8080;
  const port = /^\d+$/.test(raw) ? Number.parseInt(raw, 10) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw new Error(`PORT must be an integer 1–65535, got "${raw}"`);
  return port;
}

const target = `http://localhost:${serverPort(process.env['PORT'])}`;

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [vue(), precompress()],
  resolve: {
    alias: { '@domain': fileURLToPath(new URL('./server/domain', import.meta.url)) },
  },
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    // The chart chunk is ECharts (core + line + scatter + geo + dataZoom + legend ≈ 620 kB, 210 kB
    // gzip) and loads lazily with the overview and source-detail views, never on first paint.
    chunkSizeWarningLimit: 700,
    // Readable function names in a page's CPU profile (bench/phases/province-browser.ts).
    minify: process.env['VITE_NO_MINIFY'] ? false : 'esbuild',
    rolldownOptions: {
      output: {
        // Fewer requests on the start path, each an answer from an often busy server over the
        // browser's six connections: everything the entry imports statically in one file (was ~16),
        // and the sources overview and the wall each in one file with all they import (were 14 and
        // 27: Element Plus's parts, lodash helpers, composables). Another page that shares a part
        // loads that page's file (a few tens of kB more); other pages keep Rolldown's automatic chunks.
        codeSplitting: {
          groups: [
            { name: 'start', tags: ['$initial'] },
            { name: 'sources-overview', test: /features[\\/]sources[\\/]SourcesOverviewView\.vue/ },
            { name: 'alert-wall', test: /features[\\/]wall[\\/]AlertWallView\.vue/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target },
      '/healthz': { target },
      '/socket.io': { target, ws: true },
    },
  },
});
