/**
 * Builds the dashboard with Vite when dist/client is missing or older than its sources. The build
 * runs in a child process: Vite's memory (~700 MB at peak) goes back to the system when it exits
 * instead of staying in the server process that `npm start` runs next.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

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

/** `vite build` in a child Node process (into `outDir`, default dist/client); rejects when it fails. */
export async function buildClient(outDir: string = dirname(OUT)): Promise<void> {
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  const args = [vite, 'build', '--config', join(ROOT, 'vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  // Stopping `npm start` while it builds stops the build too.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  const code = await new Promise<number | null>((res, rej) => {
    child.once('error', rej);
    child.once('exit', (exitCode, signal) => res(signal ? null : exitCode));
  }).finally(() => process.off('SIGINT', forward).off('SIGTERM', forward));
  if (code !== 0) throw new Error(`the dashboard build failed (vite build exited with ${code ?? 'a signal'})`);
}

/** Held while a build runs: test files run in parallel, and two builds into one dist/client would clobber each other. */
const LOCK = join(ROOT, 'dist/.client-build.lock');
/** A lock older than this was left by a build that died. */
const LOCK_STALE_MS = 10 * 60_000;

async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      else await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds unless dist/client is current; waits for a build another process is running, then looks again. */
export async function buildClientIfStale(): Promise<boolean> {
  return withBuildLock(async () => {
    if (!clientIsStale()) return false;
    await buildClient();
    return true;
  });
}
