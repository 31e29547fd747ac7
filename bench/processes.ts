/**
 * The processes under test: the server (bundled into dist/server/main.mjs and run on plain node
 * with the V8 flags `npm start` uses, as production runs it; the child's pid is the server's own
 * node process) and the minimal pipe; their memory from /proc.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { buildServer, SERVER_MAIN } from '../scripts/server-build';
import { signIn } from '../tests/helpers/test-app';
import type { FromPipe, PipeCounts, PipeSpec, ToPipe } from './minimal-pipe';

export const ROOT = resolve(import.meta.dirname, '..');

/** VmRSS and VmHWM (peak RSS) of a process, MiB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** The node flags of `npm start` (package.json): the bench runs the server with the same ones. */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const run = / node ((?:--\S+ )*)dist\/server\//.exec(pkg.scripts.start);
  if (!run) throw new Error('package.json scripts.start does not run node … dist/server/start.mjs');
  return run[1]!.trim().split(' ').filter(Boolean);
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

/** The server's memory by part at one instant, MiB (its /metrics: prom-client's process metrics). */
export interface MemoryBreakdown {
  rssMb: number;
  /** V8 heap: committed (heapTotal) and live plus not yet collected (heapUsed). */
  heapTotalMb: number;
  heapUsedMb: number;
  /** Per heap space (new, old, code, large_object, …): used. */
  spacesUsedMb: Record<string, number>;
  /** Buffers and other memory V8 objects hold outside the heap. */
  externalMb: number;
  /** RSS outside the V8 heap and external memory: node's code, native modules, malloc arenas, thread stacks. */
  otherMb: number;
  /**
   * The event loop's delay since the previous /metrics request (prom-client resets its histogram on
   * each one), ms: its 99th percentile and its longest. What a request arriving then waited.
   */
  loopP99Ms: number;
  loopMaxMs: number;
}

const metricRe =
  /^o3s_(process_resident_memory_bytes|nodejs_heap_size_total_bytes|nodejs_heap_size_used_bytes|nodejs_external_memory_bytes|nodejs_heap_space_size_used_bytes|nodejs_eventloop_lag_p99_seconds|nodejs_eventloop_lag_max_seconds)(?:\{space="(\w+)"\})? (\S+)$/gm;

export function parseMemoryMetrics(text: string): MemoryBreakdown {
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  const v: Record<string, number> = {};
  const spacesUsedMb: Record<string, number> = {};
  for (const [, name, space, value] of text.matchAll(metricRe)) {
    if (space) spacesUsedMb[space] = mb(Number(value));
    else v[name!] = Number(value);
  }
  const rss = v.process_resident_memory_bytes ?? NaN;
  const total = v.nodejs_heap_size_total_bytes ?? NaN;
  const external = v.nodejs_external_memory_bytes ?? NaN;
  return {
    rssMb: mb(rss),
    heapTotalMb: mb(total),
    heapUsedMb: mb(v.nodejs_heap_size_used_bytes ?? NaN),
    spacesUsedMb,
    externalMb: mb(external),
    otherMb: mb(rss - total - external),
    loopP99Ms: Math.round(1000 * (v.nodejs_eventloop_lag_p99_seconds ?? NaN)),
    loopMaxMs: Math.round(1000 * (v.nodejs_eventloop_lag_max_seconds ?? NaN)),
  };
}

export interface ServerChild {
  pid: number;
  baseUrl: string;
  /** The duty officer's session cookie (the server runs with the demo accounts). */
  cookie: string;
  health(): Promise<Health>;
  /** Its memory by part, from /metrics. */
  memoryBreakdown(): Promise<MemoryBreakdown>;
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
  const [main] = await buildServer([SERVER_MAIN]);
  const extra = process.env.O3_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(process.execPath, [...startNodeFlags(), ...extra, ...profile, main!], {
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
    memoryBreakdown: async () => {
      const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(30_000) });
      return parseMemoryMetrics(await res.text());
    },
    // SIGTERM: the server flushes and exits (and writes its CPU profile with --profile: a long
    // profile takes a while to write, and a SIGKILL would lose it).
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await waitExit(proc, opts.cpuProfDir ? 180_000 : 30_000);
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
