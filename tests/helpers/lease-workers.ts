/**
 * Ingest workers as child processes (tests/helpers/lease-worker.ts) for the partition tests: start
 * one, read its events, kill it for real.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from './wait';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerEvent {
  ev: 'acquired' | 'released' | 'message' | 'ready';
  p?: number;
  epoch?: number;
  why?: string;
  at?: number;
  topic?: string;
  payload?: string;
}

export interface WorkerSetup {
  pgUrl: string;
  brokerUrl: string;
  partitions: number;
  mns: readonly string[];
  mqttVersion?: 4 | 5;
}

export class LeaseWorker {
  readonly events: WorkerEvent[] = [];
  private readonly proc: ChildProcess;
  private stderr = '';
  private exited = false;

  constructor(
    readonly name: string,
    setup: WorkerSetup,
  ) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/lease-worker.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PG_URL: setup.pgUrl,
        BROKER_URL: setup.brokerUrl,
        WORKER: name,
        PARTITIONS: String(setup.partitions),
        MNS: setup.mns.join(','),
        MQTT_VERSION: String(setup.mqttVersion ?? 4),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let rest = '';
    this.proc.stdout!.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) this.events.push(JSON.parse(line) as WorkerEvent);
    });
    this.proc.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.proc.on('exit', () => (this.exited = true));
  }

  /** The partitions it holds now, by its own events. */
  held(): Set<number> {
    const held = new Set<number>();
    for (const e of this.events) {
      if (e.ev === 'acquired') held.add(e.p!);
      if (e.ev === 'released') held.delete(e.p!);
    }
    return held;
  }

  /** When it last acquired a partition (its clock: the same machine's as the test's). */
  lastAcquiredAt(): number {
    return Math.max(0, ...this.events.filter((e) => e.ev === 'acquired').map((e) => e.at!));
  }

  messages(): WorkerEvent[] {
    return this.events.filter((e) => e.ev === 'message');
  }

  async ready(): Promise<void> {
    await until(() => this.exited || this.events.some((e) => e.ev === 'ready'), `${this.name} ready`, 120_000);
    if (this.exited) throw new Error(`worker ${this.name} exited: ${this.stderr}`);
  }

  /** Death: SIGKILL, its connections die with it. */
  async kill(): Promise<void> {
    this.proc.kill('SIGKILL');
    await until(() => this.exited, `${this.name} killed`);
  }

  /** A graceful stop (SIGTERM: it releases its partitions and disconnects). */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGTERM');
    await until(() => this.exited, `${this.name} stopped`, 30_000);
  }
}
