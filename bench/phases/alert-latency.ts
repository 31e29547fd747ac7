/**
 * Alert latency under load: with a background load running, each probe source alternately gets an
 * exceeding ammonia-slip reading (a21001 9.5 > 8) and a normal one (5). Measured: publish →
 * `alert:opened` (or `alert:updated`) on a socket.io dashboard client, and publish → `alert:resolved`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/domain/events';
import { dataTopic } from '../../server/domain/mqtt-contract';
import type { BenchSource } from '../bench-registry';
import { startLoad, type LoadOptions } from '../load/load-generator';
import { ammoniaPayload } from '../payloads';
import { cpuMeter, distribution, type Distribution } from '../stats';

export interface LatencyOptions {
  baseUrl: string;
  /** A signed-in session's cookie. */
  cookie: string;
  mqttUrl: string;
  probes: readonly BenchSource[];
  samples: number;
  background: Omit<LoadOptions, 'name'>;
  warmupMs: number;
  timeoutMs: number;
  /** Processes whose CPU use is reported, besides the publishers. */
  cpuGroups: Record<string, number[]>;
  /** The server's intake (healthz): messages taken and readings waiting for the store. */
  serverProgress: () => Promise<{ taken: number; buffered: number }>;
}

export interface LatencyResult {
  opened: Distribution;
  resolved: Distribution;
  timeouts: number;
  backgroundTarget: number;
  backgroundRate: number;
  cpuPercent: Record<string, number>;
  /** Messages/s the server took from the broker while the samples ran, and its largest write backlog. */
  serverTakenRate: number;
  serverMaxBuffered: number;
}

const EXCEEDING = 9.5;
const NORMAL = 5;
const PAUSE_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Waiter = { kind: 'opened' | 'resolved'; done: (at: number) => void };

async function connectDashboard(baseUrl: string, cookie: string): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie },
  });
  await new Promise<void>((res, rej) => {
    socket.once('state:snapshot', () => res());
    socket.once('connect_error', rej);
  });
  return socket;
}

/** Publishes probe readings and times the dashboard events they cause. */
class Prober {
  readonly opened: number[] = [];
  readonly resolved: number[] = [];
  timeouts = 0;
  private readonly waiters = new Map<string, Waiter>();
  private lastTs = 0;

  constructor(
    private readonly logger: MqttClient,
    socket: Socket<ServerToClientEvents, ClientToServerEvents>,
    private readonly timeoutMs: number,
  ) {
    socket.on('alert:opened', (e) => this.notify('opened', e.alert.mn));
    socket.on('alert:updated', (e) => this.notify('opened', e.alert.mn));
    socket.on('alert:cleared', (e) => this.notify('resolved', e.alert.mn));
  }

  /** Exceeding, then normal, on one source until `samples` openings are timed (or as many timeouts). */
  async cycle(mn: string, samples: number): Promise<void> {
    while (this.opened.length < samples && this.timeouts < samples) {
      const up = await this.probe(mn, EXCEEDING, 'opened');
      if (up === undefined) this.timeouts++;
      else this.opened.push(up);
      await sleep(PAUSE_MS);
      const down = await this.probe(mn, NORMAL, 'resolved');
      if (down === undefined) this.timeouts++;
      else this.resolved.push(down);
      await sleep(PAUSE_MS);
    }
  }

  private notify(kind: Waiter['kind'], mn: string): void {
    const w = this.waiters.get(mn);
    if (w?.kind === kind) {
      this.waiters.delete(mn);
      w.done(performance.now());
    }
  }

  /** Publishes one reading (stamped now) and resolves with the ms to the expected event, undefined on timeout. */
  private async probe(mn: string, value: number, kind: Waiter['kind']): Promise<number | undefined> {
    const ts = (this.lastTs = Math.max(Date.now(), this.lastTs + 1));
    const seen = new Promise<number | undefined>((res) => {
      const timer = setTimeout(() => (this.waiters.delete(mn), res(undefined)), this.timeoutMs);
      this.waiters.set(mn, { kind, done: (at) => (clearTimeout(timer), res(at)) });
    });
    const t0 = performance.now();
    await this.logger.publishAsync(dataTopic(mn), ammoniaPayload(ts, value), { qos: 1 });
    const at = await seen;
    return at === undefined ? undefined : at - t0;
  }
}

/** Follows the server's intake while the probes run: messages/s taken and the largest write backlog. */
async function watchServer(progress: LatencyOptions['serverProgress']): Promise<() => { takenRate: number; maxBuffered: number }> {
  const first = await progress();
  const t0 = performance.now();
  let last = first;
  let maxBuffered = first.buffered;
  const timer = setInterval(() => {
    void progress().then(
      (p) => ((last = p), (maxBuffered = Math.max(maxBuffered, p.buffered))),
      () => undefined,
    );
  }, 1_000);
  return () => {
    clearInterval(timer);
    return { takenRate: Math.round((last.taken - first.taken) / ((performance.now() - t0) / 1000)), maxBuffered };
  };
}

export async function runAlertLatency(o: LatencyOptions, log: (s: string) => void): Promise<LatencyResult> {
  const background = await startLoad({ ...o.background, name: 'background' });
  const meter = cpuMeter({ ...o.cpuGroups, publishers: background.pids });
  const socket = await connectDashboard(o.baseUrl, o.cookie);
  const logger = await mqtt.connectAsync(o.mqttUrl, { clientId: `o3-bench-probe-${process.pid}`, clean: true });
  const prober = new Prober(logger, socket, o.timeoutMs);
  await sleep(o.warmupMs);

  const server = await watchServer(o.serverProgress);
  const progress = setInterval(
    () => log(`  alert latency: ${prober.opened.length}/${o.samples} samples, background ${background.totals().acked} published`),
    5_000,
  );
  await Promise.all(o.probes.map((p) => prober.cycle(p.mn, o.samples)));
  clearInterval(progress);
  const intake = server();
  background.stop();
  const bg = await background.done;
  const cpuPercent = meter.stop();
  socket.close();
  await logger.endAsync();
  return {
    opened: distribution(prober.opened),
    resolved: distribution(prober.resolved),
    timeouts: prober.timeouts,
    backgroundTarget: o.background.rate,
    backgroundRate: Math.round(bg.offeredRate),
    cpuPercent,
    serverTakenRate: intake.takenRate,
    serverMaxBuffered: intake.maxBuffered,
  };
}
