/**
 * The practical limit: the least a pipe from the broker to InfluxDB must do. An mqtt.js subscriber
 * (QoS 1), JSON.parse, the MN's tags from a Map, line protocol (the server's own readingToLine),
 * batched `/write`s (batch size, flush interval, concurrency and intake bound as the server's
 * defaults), retried on failure. No validation, no rules, no alerts, no realtime. Runs as a
 * child process with IPC.
 */
import mqtt from 'mqtt';
import { DATA_TOPIC_FILTER, mnFromTopic } from '../server/domain/mqtt-contract';
import type { Reading } from '../server/domain/reading';
import { InfluxHttp } from '../server/storage/influx/influx-http';
import { readingToLine } from '../server/storage/influx/line-protocol';
import type { BenchSource } from './bench-registry';

export interface PipeSpec {
  mqttUrl: string;
  influxUrl: string;
  db: string;
  clientId: string;
  sources: BenchSource[];
  batchSize: number;
  flushMs: number;
  /** Concurrent /write requests. */
  writers: number;
  /** Above this many buffered readings, stop taking messages until half are written; null: no bound. */
  maxBuffered: number | null;
}

export interface PipeCounts {
  received: number;
  written: number;
  buffered: number;
  retries: number;
}

export type ToPipe = { type: 'start'; spec: PipeSpec } | { type: 'stop' };
export type FromPipe = { type: 'ready' } | ({ type: 'progress' } & PipeCounts) | { type: 'error'; message: string };

const send = (m: FromPipe): void => void process.send?.(m);

async function startPipe(spec: PipeSpec): Promise<() => Promise<void>> {
  const influx = new InfluxHttp({ url: spec.influxUrl, db: spec.db, timeoutMs: 30_000 });
  await influx.query(`CREATE DATABASE "${spec.db}"`, 'POST');
  const tags = new Map(spec.sources.map((s) => [s.mn, s]));
  const counts: PipeCounts = { received: 0, written: 0, buffered: 0, retries: 0 };
  const sealed: string[][] = [];
  let current: string[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing = 0;
  let roomWaiters: (() => void)[] = [];

  /** Up to `writers` batches in flight at once (1: one at a time, as the server's BatchWriter). */
  const pump = (): void => {
    while (writing < spec.writers && sealed.length > 0) {
      const batch = sealed.shift()!;
      writing++;
      influx
        .write(batch.join('\n'))
        .then(
          () => {
            counts.written += batch.length;
            counts.buffered -= batch.length;
            if (spec.maxBuffered !== null && counts.buffered <= spec.maxBuffered / 2) {
              roomWaiters.forEach((go) => go());
              roomWaiters = [];
            }
          },
          (err: Error) => {
            counts.retries++;
            send({ type: 'error', message: err.message });
            sealed.unshift(batch);
            return new Promise((r) => setTimeout(r, 200));
          },
        )
        .finally(() => (writing--, pump()));
    }
  };
  const seal = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (current.length > 0) sealed.push(current);
    current = [];
    pump();
  };

  // Like the server's ingest: a persistent session, so a reconnect (mqtt.js drops the connection
  // when a PINGRESP queues behind a backlog for 1.5 × keepalive) loses nothing.
  const client = await mqtt.connectAsync(spec.mqttUrl, { clientId: spec.clientId, clean: false, reconnectPeriod: 1_000 });
  client.on('error', (err) => send({ type: 'error', message: `mqtt: ${err.message}` }));
  // As the server: mqtt.js takes the next packet only after this callback, so holding it keeps the
  // backlog at the broker instead of in memory.
  client.handleMessage = (_packet, callback) => {
    if (spec.maxBuffered === null || counts.buffered < spec.maxBuffered) return callback();
    roomWaiters.push(() => callback());
  };
  client.on('message', (topic, payload) => {
    counts.received++;
    const mn = mnFromTopic(topic);
    const source = mn === undefined ? undefined : tags.get(mn);
    if (!source) return;
    const msg = JSON.parse(payload.toString('utf8')) as Pick<Reading, 'cn' | 'ts' | 'factors'>;
    const reading: Reading = {
      mn: source.mn,
      enterpriseId: source.enterpriseId,
      kind: source.kind,
      cn: msg.cn,
      ts: msg.ts,
      factors: msg.factors,
    };
    if (current.length === 0) timer = setTimeout(seal, spec.flushMs);
    current.push(readingToLine(reading));
    counts.buffered++;
    if (current.length >= spec.batchSize) seal();
  });
  await client.subscribeAsync(DATA_TOPIC_FILTER, { qos: 1 });
  const progress = setInterval(() => send({ type: 'progress', ...counts }), 250);
  return async () => {
    clearInterval(progress);
    send({ type: 'progress', ...counts });
    // Leave no subscription behind: the broker would queue the server's load for this session.
    await client.unsubscribeAsync(DATA_TOPIC_FILTER);
    await client.endAsync();
  };
}

let stop: (() => Promise<void>) | null = null;
// Never outlive the bench (its IPC channel closes when it exits).
process.on('disconnect', () => process.exit(0));
process.on('message', (m: ToPipe) => {
  if (m.type === 'start') {
    startPipe(m.spec).then(
      (s) => ((stop = s), send({ type: 'ready' })),
      (err: Error) => (send({ type: 'error', message: `pipe failed to start: ${err.message}` }), process.exit(1)),
    );
  } else if (m.type === 'stop') {
    // Exit shortly after the final progress report has been sent.
    void (stop?.() ?? Promise.resolve()).then(() => setTimeout(() => process.exit(0), 200));
  }
});
