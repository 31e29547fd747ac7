/** Builds the dashboard with Vite when dist/client is missing or older than its sources. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'dist/client/index.html');
const INPUTS = ['client', 'server/domain', 'vite.config.ts', 'package-lock.json'].map((p) => join(ROOT, p));

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), st.mtimeMs);
}

export function clientIsStale(): boolean {
  return !existsSync(OUT) || Math.max(...INPUTS.map(newestMtime)) > statSync(OUT).mtimeMs;
}

export async function buildClientIfStale(): Promise<boolean> {
  if (!clientIsStale()) return false;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}
