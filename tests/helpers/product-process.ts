/**
 * A process of the product in its own role (`--role web|ingest|gateway`, server/role.ts), started
 * as production starts it: the server bundled into dist/server/main.mjs on plain node (`bundle`:
 * scripts/server-build.ts; build it once with `bundledServer()`), or under tsx from the sources.
 * A child process, so a test can SIGKILL it for real (its PostgreSQL connections, MQTT sessions
 * and sockets die with it). Its pino JSON lines are read as they come: the partitions it acquires
 * and releases (`partition acquired` / `partition released`, and how each was drained) and, at log
 * level `trace`, in arrival order, every reading an ingest worker hands to its pipeline (`reading`:
 * mn, ts; server/ingest/reading-sink.ts) and every reading its rules judge (`judged`,
 * server/rules/rules-service.ts). Used by the cluster tests and by `npm run cluster:local`: plain
 * code, no test runner inside.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { buildServer, SERVER_MAIN } from '../../scripts/server-build';
import type { Role } from '../../server/config-role';
import { until } from './wait';

/** The repository root (the processes' working directory). */
export const ROOT = resolve(import.meta.dirname, '../..');

interface LogLine {
  time: number;
  msg: string;
  partition?: number;
  mn?: string;
  ts?: number;
}

/** Bundles the server (dist/server/main.mjs) and returns its path. */
export async function bundledServer(): Promise<string> {
  const [main] = await buildServer([SERVER_MAIN]);
  return main as string;
}

export interface ProductProcessOptions {
  role: Exclude<Role, 'all'>;
  /** Port of its HTTP server (/healthz, /readyz, /metrics; the app's for web and ingest). */
  httpPort: number;
  env: Record<string, string>;
  /** The bundled server (bundledServer()); without it, server/main.ts under tsx. */
  bundle?: string;
  /** Its output also goes here, line by line (`npm run cluster:local` prints warnings). */
  echo?: (name: string, line: string) => void;
}

export class ProductProcess {
  private readonly lines: LogLine[] = [];
  private proc!: ChildProcess;
  private output = '';
  private exited = false;

  constructor(
    readonly name: string,
    readonly options: ProductProcessOptions,
  ) {
    this.launch();
  }

  get pid(): number {
    return this.proc.pid as number;
  }

  get httpPort(): number {
    return this.options.httpPort;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.httpPort}`;
  }

  get alive(): boolean {
    return !this.exited;
  }

  private launch(): void {
    const { role, bundle, env, httpPort, echo } = this.options;
    const entry = bundle ? [bundle] : ['--import', 'tsx', 'server/main.ts'];
    this.exited = false;
    this.proc = spawn(process.execPath, [...entry, '--role', role], {
      cwd: ROOT,
      env: { ...process.env, CLUSTER_WORKER: this.name, ...env, PORT: String(httpPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let rest = '';
    this.proc.stdout!.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) this.take(line, echo);
    });
    this.proc.stderr!.on('data', (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-8_000);
      echo?.(this.name, chunk.toString().trimEnd());
    });
    this.proc.on('exit', () => (this.exited = true));
  }

  private take(line: string, echo: ProductProcessOptions['echo']): void {
    if (!line.startsWith('{')) return;
    const parsed = JSON.parse(line) as LogLine & { level?: number };
    if (parsed.msg === 'reading' || parsed.msg === 'judged' || parsed.msg.startsWith('partition ')) this.lines.push(parsed);
    else {
      this.output = (this.output + line + '\n').slice(-8_000);
      if ((parsed.level ?? 0) >= 40) echo?.(this.name, line);
    }
  }

  /** The partitions it holds now, by its own log. */
  held(): Set<number> {
    const held = new Set<number>();
    for (const l of this.lines) {
      if (l.msg === 'partition acquired') held.add(l.partition!);
      if (l.msg === 'partition released') held.delete(l.partition!);
    }
    return held;
  }

  /** When (its log's clock, the same machine's) it last acquired a partition. */
  lastAcquiredAt(): number {
    return Math.max(0, ...this.lines.filter((l) => l.msg === 'partition acquired').map((l) => l.time));
  }

  /** The instants of each source's readings, in the order this worker took them (log level trace). */
  readings(): Map<string, number[]> {
    return this.instants('reading');
  }

  /** The instants of each source's readings, in the order its rules judged them (log level trace). */
  judged(): Map<string, number[]> {
    return this.instants('judged');
  }

  /** Its log lines about the partitions (`partition drained`, `partition not drained: …`, …). */
  partitionLog(): string[] {
    return this.lines.filter((l) => l.msg.startsWith('partition ')).map((l) => l.msg);
  }

  private instants(msg: 'reading' | 'judged'): Map<string, number[]> {
    const byMn = new Map<string, number[]>();
    for (const l of this.lines) {
      if (l.msg !== msg) continue;
      const list = byMn.get(l.mn!) ?? [];
      list.push(l.ts!);
      byMn.set(l.mn!, list);
    }
    return byMn;
  }

  /** Up: /readyz answers 200 (web, ingest: the store answers, every held partition's session is connected; gateway: the broker is). */
  async ready(ms = 120_000): Promise<void> {
    await until(
      async () => {
        if (this.exited) throw new Error(`${this.name} (--role ${this.options.role}) exited:\n${this.output}`);
        const res = await fetch(`${this.baseUrl}/readyz`).catch(() => null);
        return res?.status === 200;
      },
      `${this.name} ready`,
      ms,
    );
  }

  async metrics(): Promise<string> {
    return (await fetch(`${this.baseUrl}/metrics`)).text();
  }

  /** Death: SIGKILL, its connections die with it. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGKILL');
    await until(() => this.exited, `${this.name} killed`);
  }

  /** A graceful stop (SIGTERM: it drains and releases its partitions, drains its writer, closes its sockets). */
  async stop(ms = 30_000): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGTERM');
    await until(() => this.exited, `${this.name} stopped`, ms);
  }

  /** Starts it again, same name, port, data dir and environment (its log starts afresh). */
  async restart(): Promise<void> {
    await this.stop();
    this.lines.length = 0;
    this.launch();
    await this.ready();
  }
}
