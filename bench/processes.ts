/**
 * The processes under test: the server (`node --import tsx server/main.ts`, so the child's pid is
 * the server's own node process, not a tsx wrapper) and the minimal pipe; their memory from /proc.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { signIn } from '../tests/helpers/test-app';
import type { FromPipe, PipeCounts, PipeSpec, ToPipe } from './minimal-pipe';

export const ROOT = resolve(import.meta.dirname, '..');

/** VmRSS and VmHWM (peak RSS) of a process, MiB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Resets a process's VmHWM to its current RSS (Linux clear_refs 5); false if not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const healthSchema = z.object({
  status: z.string(),
  broker: z.string(),
  ingest: z.object({ accepted: z.number(), rejected: z.record(z.string(), z.number()), backpressureWaits: z.number().optional() }),
  writer: z.object({
    buffered: z.number(),
    written: z.number(),
    retries: z.number(),
    refused: z.number(),
    lastError: z.string().nullable(),
  }),
  /** Readings spooled and not yet in the store (some only on disk, not in the writer's memory). */
  spool: z.object({ depth: z.number() }),
});
export type Health = z.infer<typeof healthSchema>;

export interface ServerChild {
  pid: number;
  baseUrl: string;
  /** The duty officer's session cookie (the server runs with the demo accounts). */
  cookie: string;
  health(): Promise<Health>;
  stop(): Promise<void>;
  /** kill -9: no flush, no goodbye (chaos tests). */
  kill(): Promise<void>;
}

async function waitExit(proc: ChildProcess, timeoutMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export async function startServer(
  env: Record<string, string>,
  opts: { logFile: string; cpuProfDir?: string; appendLog?: boolean; startTimeoutMs?: number },
): Promise<ServerChild> {
  const profile = opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [];
  const proc = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    // The bench signs in with a demo account and has no use for the forced first password change.
    env: { ...process.env, AUTH_DEMO_ACCOUNTS: 'true', AUTH_FORCE_PASSWORD_CHANGE: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(opts.logFile, { flags: opts.appendLog ? 'a' : 'w' });
  proc.stdout?.pipe(log);
  proc.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const health = async (): Promise<Health> => {
    const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(30_000) });
    return healthSchema.parse(await res.json());
  };
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the server exited with code ${proc.exitCode}; see ${opts.logFile}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`the server did not answer /healthz within ${startTimeoutMs / 1000} s; see ${opts.logFile}`);
    }
    const ok = await health().then(
      (h) => h.broker === 'connected',
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const { cookie } = await signIn(baseUrl, 'officer');
  return {
    pid: proc.pid!,
    baseUrl,
    cookie,
    health,
    // SIGTERM: the server flushes and exits (and writes its CPU profile with --profile).
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await waitExit(proc, 30_000);
    },
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await waitExit(proc, 5_000);
    },
  };
}

export interface PipeChild {
  pid: number;
  counts(): PipeCounts;
  stop(): Promise<void>;
}

export async function startPipe(spec: PipeSpec, onError: (message: string) => void): Promise<PipeChild> {
  const proc = fork(resolve(ROOT, 'bench/minimal-pipe.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let counts: PipeCounts = { received: 0, written: 0, buffered: 0, retries: 0 };
  await new Promise<void>((res, rej) => {
    proc.on('message', (m: FromPipe) => {
      if (m.type === 'ready') res();
      else if (m.type === 'progress') counts = { received: m.received, written: m.written, buffered: m.buffered, retries: m.retries };
      else if (m.type === 'error') onError(m.message);
    });
    proc.once('exit', (code) => rej(new Error(`the minimal pipe exited with code ${code}`)));
    proc.send({ type: 'start', spec } satisfies ToPipe);
  });
  return {
    pid: proc.pid!,
    counts: () => counts,
    stop: async () => {
      if (proc.connected) proc.send({ type: 'stop' } satisfies ToPipe);
      await waitExit(proc, 15_000);
    },
  };
}
