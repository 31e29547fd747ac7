/**
 * Bundles the server (or `npm start`'s composition) into one ES module under dist/server with
 * esbuild, so that it runs on plain `node` rather than under tsx: tsx compiles every module in a
 * loader thread with its own V8 heap and keeps the source maps, ~70 MB of the server's RSS
 * (README "Performance"). Packages stay imports from node_modules. Each source file keeps its own
 * `import.meta.url` / `import.meta.dirname` (paths next to it still resolve as under tsx).
 *
 * `npx tsx scripts/server-build.ts [entry …]` (default scripts/start.ts) is what `npm start` runs first.
 */
import { build, type Plugin } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
export const SERVER_DIST = join(ROOT, 'dist/server');

/** `import.meta.url` and `import.meta.dirname` of every bundled source as its own file's. */
const ownImportMeta: Plugin = {
  name: 'own-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      const contents = text
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(path)))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href));
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * Bundles each entry (a path from the repository root) into dist/server/<name>.mjs and returns
 * their paths. An entry that runs only when it is the process's main module (server/main.ts) is
 * bundled behind a one-line entry that calls it: see `runEntry`.
 */
export async function buildServer(entries: { entry: string; name: string; contents?: string }[]): Promise<string[]> {
  const outs: string[] = [];
  for (const e of entries) {
    const outfile = join(SERVER_DIST, `${e.name}.mjs`);
    // Written aside and renamed: a server starting from the previous bundle never reads half a file.
    const result = await build({
      ...(e.contents
        ? { stdin: { contents: e.contents, resolveDir: ROOT, sourcefile: `${e.name}-entry.ts`, loader: 'ts' } }
        : { entryPoints: [join(ROOT, e.entry)] }),
      outfile,
      write: false,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      plugins: [ownImportMeta],
      logLevel: 'warning',
    });
    const tmp = `${outfile}.${process.pid}.tmp`;
    mkdirSync(SERVER_DIST, { recursive: true });
    writeFileSync(tmp, result.outputFiles[0]!.contents);
    renameSync(tmp, outfile);
    outs.push(outfile);
  }
  return outs;
}

/** The server alone (`server/main.ts`'s runServer), as the bench runs it: dist/server/main.mjs. */
export const SERVER_MAIN = {
  entry: 'server/main.ts',
  name: 'main',
  contents: `import { runServer } from './server/main';\nrunServer().catch((err: unknown) => {\n  process.stderr.write(\`failed to start: \${(err as Error).stack ?? String(err)}\\n\`);\n  process.exit(1);\n});\n`,
};

/** `npm start`: scripts/start.ts (the server with the demo, or one role) as dist/server/start.mjs. */
export const SERVER_START = { entry: 'scripts/start.ts', name: 'start' };

if (process.argv[1] !== undefined && basename(process.argv[1]) === 'server-build.ts') {
  const which = process.argv.slice(2);
  const all = { main: SERVER_MAIN, start: SERVER_START } as const;
  const picked = which.length === 0 ? [SERVER_START] : which.map((w) => all[w as keyof typeof all]).filter((x) => x !== undefined);
  await buildServer(picked);
}
