/**
 * The load generator: P publisher child processes (node + tsx, IPC), sources split among them,
 * the rate split evenly. Reports live totals and, at the end, what the broker acknowledged per
 * source ("published" = PUBACK received).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { BenchSource } from '../bench-registry';
import type { FromPublisher, PublisherCounts, PublisherSpec, ToPublisher } from './protocol';

const PUBLISHER = resolve(import.meta.dirname, 'publisher.ts');

export interface LoadOptions {
  url: string;
  /** Distinguishes the client ids of successive loads. */
  name: string;
  sources: readonly BenchSource[];
  /** Offered messages/s in total. */
  rate: number;
  durationMs: number | null;
  publishers: number;
  connectionsPerPublisher: number;
  window: number;
  perSource: number | null;
  tsBase: number;
  tsStep: number;
  /** See PublisherSpec.tsWrap. */
  tsWrap: number;
}

export interface LoadResult extends PublisherCounts {
  /** Longest publishing time of the publishers, ms. */
  elapsedMs: number;
  /** Acknowledged messages per MN. */
  ackedBySource: Map<string, number>;
  /** Acknowledged messages/s achieved. */
  offeredRate: number;
  errors: string[];
}

export interface RunningLoad {
  /** Process ids of the publishers. */
  readonly pids: number[];
  /** Live totals from the publishers' latest progress reports. */
  totals(): PublisherCounts;
  /** Asks every publisher to stop (for open-ended loads). */
  stop(): void;
  readonly done: Promise<LoadResult>;
}

interface Child {
  proc: ChildProcess;
  sources: BenchSource[];
  counts: PublisherCounts;
  final?: Extract<FromPublisher, { type: 'done' }>;
}

const tell = (c: Child, m: ToPublisher): void => void c.proc.send(m);

export async function startLoad(o: LoadOptions): Promise<RunningLoad> {
  const n = Math.min(o.publishers, o.sources.length);
  const errors: string[] = [];
  const children: Child[] = Array.from({ length: n }, (_, i) => ({
    proc: fork(PUBLISHER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    sources: o.sources.filter((_, j) => j % n === i),
    counts: { sent: 0, acked: 0, failed: 0 },
  }));
  const finished = children.map(
    (c) =>
      new Promise<void>((res, rej) => {
        c.proc.on('message', (m: FromPublisher) => {
          if (m.type === 'progress') c.counts = { sent: m.sent, acked: m.acked, failed: m.failed };
          else if (m.type === 'done') {
            c.final = m;
            c.counts = { sent: m.sent, acked: m.acked, failed: m.failed };
            res();
          } else if (m.type === 'error' && errors.length < 20) errors.push(m.message);
        });
        c.proc.once('exit', (code) => (c.final ? res() : rej(new Error(`publisher exited with code ${code}: ${errors.join('; ')}`))));
      }),
  );
  const ready = children.map((c) => new Promise<void>((res) => c.proc.on('message', (m: FromPublisher) => m.type === 'ready' && res())));
  children.forEach((c, i) => {
    const spec: PublisherSpec = {
      url: o.url,
      clientIdPrefix: `o3-bench-${o.name}-${process.pid}-${i}`,
      connections: o.connectionsPerPublisher,
      window: o.window,
      rate: o.rate / n,
      durationMs: o.durationMs,
      sources: c.sources.map((s) => ({ mn: s.mn, kind: s.kind })),
      perSource: o.perSource,
      tsBase: o.tsBase,
      tsStep: o.tsStep,
      tsWrap: o.tsWrap,
    };
    tell(c, { type: 'connect', spec });
  });
  await Promise.race([Promise.all(ready), Promise.all(finished)]);
  for (const c of children) tell(c, { type: 'go' });

  const totals = (): PublisherCounts =>
    children.reduce((t, c) => ({ sent: t.sent + c.counts.sent, acked: t.acked + c.counts.acked, failed: t.failed + c.counts.failed }), {
      sent: 0,
      acked: 0,
      failed: 0,
    });

  const done = Promise.all(finished).then((): LoadResult => {
    const ackedBySource = new Map<string, number>();
    for (const c of children) c.sources.forEach((s, j) => ackedBySource.set(s.mn, c.final?.ackedPerSource[j] ?? 0));
    const elapsedMs = Math.max(...children.map((c) => c.final?.elapsedMs ?? 0));
    const t = totals();
    return { ...t, elapsedMs, ackedBySource, offeredRate: t.acked / (elapsedMs / 1000), errors };
  });
  return {
    pids: children.map((c) => c.proc.pid!),
    totals,
    stop: () => children.forEach((c) => c.proc.connected && tell(c, { type: 'stop' })),
    done,
  };
}
