/**
 * `--role ingest` worker processes for the cluster tests: the product's own entry point
 * (`server/main.ts --role ingest`) in a child process, so a test can SIGKILL it for real (its
 * PostgreSQL lease connection and MQTT sessions die with it). It logs JSON lines (pino) at `trace`:
 * the partitions it acquires and releases (`partition acquired` / `partition released`) and, in
 * arrival order, every reading it hands to its pipeline (`reading`: mn, ts; server/ingest/reading-sink.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './test-app';
import { until } from './wait';

interface LogLine {
  time: number;
  msg: string;
  partition?: number;
  mn?: string;
  ts?: number;
}

/** The parts of a worker's /healthz the tests read. */
export interface WorkerHealth {
  ingest: { accepted: number; backpressureWaits: number };
  writer: { buffered: number; written: number; retries: number };
  spool: { depth: number };
}

export class IngestWorkerProcess {
  private readonly lines: LogLine[] = [];
  private readonly proc: ChildProcess;
  private output = '';
  private exited = false;

  constructor(
    readonly name: string,
    readonly httpPort: number,
    env: Record<string, string>,
  ) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--role', 'ingest'], {
      cwd: ROOT,
      env: { ...process.env, ...env, CLUSTER_WORKER: name, PORT: String(httpPort), LOG_LEVEL: 'trace' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let rest = '';
    this.proc.stdout!.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as LogLine;
        if (parsed.msg === 'reading' || parsed.msg.startsWith('partition ')) this.lines.push(parsed);
        else if (parsed.msg !== 'reading') this.output = (this.output + line + '\n').slice(-8_000);
      }
    });
    this.proc.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-8_000)));
    this.proc.on('exit', () => (this.exited = true));
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

  /** The instants of each source's readings, in the order this worker took them. */
  readings(): Map<string, number[]> {
    const byMn = new Map<string, number[]>();
    for (const l of this.lines) {
      if (l.msg !== 'reading') continue;
      const list = byMn.get(l.mn!) ?? [];
      list.push(l.ts!);
      byMn.set(l.mn!, list);
    }
    return byMn;
  }

  /** Up: /readyz answers 200 (the store answers, every held partition's session is connected). */
  async ready(): Promise<void> {
    await until(
      async () => {
        if (this.exited) throw new Error(`worker ${this.name} exited:\n${this.output}`);
        const res = await fetch(`http://127.0.0.1:${this.httpPort}/readyz`).catch(() => null);
        return res?.status === 200;
      },
      `worker ${this.name} ready`,
      120_000,
    );
  }

  /** Its /healthz: what it took, held back and wrote. */
  async health(): Promise<WorkerHealth> {
    return (await fetch(`http://127.0.0.1:${this.httpPort}/healthz`)).json() as Promise<WorkerHealth>;
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.httpPort}/metrics`)).text();
  }

  /** Death: SIGKILL, its connections die with it. */
  async kill(): Promise<void> {
    this.proc.kill('SIGKILL');
    await until(() => this.exited, `${this.name} killed`);
  }

  /** A graceful stop (SIGTERM: it releases its partitions, drains its writer). */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGTERM');
    await until(() => this.exited, `${this.name} stopped`, 30_000);
  }
}
