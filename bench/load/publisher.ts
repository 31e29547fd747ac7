/**
 * One publisher process of the load generator (started by load-generator.ts with IPC). It opens
 * several MQTT connections, paces QoS 1 publishes with a token bucket, keeps a bounded in-flight
 * window per connection and counts what the broker acknowledged (PUBACK), per source.
 */
import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { loadTemplates, render, variantOf, type PayloadTemplate } from '../payloads';
import type { FromPublisher, PublisherCounts, PublisherSpec, ToPublisher } from './protocol';

const TICK_MS = 1;
const BURST_S = 0.02;
const PROGRESS_MS = 500;
const ACK_WAIT_MS = 15_000;

interface Connection {
  client: MqttClient;
  inFlight: number;
}

const send = (m: FromPublisher): void => void process.send?.(m);

class Publisher {
  readonly counts: PublisherCounts = { sent: 0, acked: 0, failed: 0 };
  private readonly topics: string[];
  private readonly templates: PayloadTemplate[][];
  private readonly ackedPerSource: Uint32Array;
  private readonly opts: IClientPublishOptions = { qos: 1 };
  private conns: Connection[] = [];
  private next = 0;
  private turn = 0;
  private stopped = false;
  private startedAt = 0;

  constructor(private readonly spec: PublisherSpec) {
    this.topics = spec.sources.map((s) => dataTopic(s.mn));
    const byKind = new Map<string, PayloadTemplate[]>();
    this.templates = spec.sources.map((s) => byKind.get(s.kind) ?? byKind.set(s.kind, loadTemplates(s.kind)).get(s.kind)!);
    this.ackedPerSource = new Uint32Array(spec.sources.length);
  }

  async connect(): Promise<void> {
    const ids = Array.from({ length: this.spec.connections }, (_, i) => `${this.spec.clientIdPrefix}-${i}`);
    const clients = await Promise.all(
      ids.map((clientId) => mqtt.connectAsync(this.spec.url, { clientId, clean: true, reconnectPeriod: 1_000 })),
    );
    this.conns = clients.map((client) => ({ client, inFlight: 0 }));
    for (const c of clients) c.on('error', (err) => send({ type: 'error', message: err.message }));
  }

  /** Publishes until the duration ends, every source is done or stop() is called. */
  async run(): Promise<number> {
    this.startedAt = performance.now();
    const { rate, durationMs } = this.spec;
    const burst = Math.max(10, rate * BURST_S);
    let tokens = 0;
    let last = this.startedAt;
    const progress = setInterval(() => send({ type: 'progress', ...this.counts }), PROGRESS_MS);
    await new Promise<void>((finish) => {
      const tick = () => {
        const now = performance.now();
        tokens = Math.min(burst, tokens + ((now - last) * rate) / 1000);
        last = now;
        const timeUp = durationMs !== null && now - this.startedAt >= durationMs;
        if (this.stopped || timeUp || this.exhausted()) return finish();
        while (tokens >= 1 && this.publishOne()) tokens -= 1;
        setTimeout(tick, TICK_MS);
      };
      tick();
    });
    const elapsed = performance.now() - this.startedAt;
    const deadline = Date.now() + ACK_WAIT_MS;
    while (this.conns.some((c) => c.inFlight > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    clearInterval(progress);
    return elapsed;
  }

  stop(): void {
    this.stopped = true;
  }

  perSource(): number[] {
    return [...this.ackedPerSource];
  }

  async close(): Promise<void> {
    await Promise.all(this.conns.map((c) => c.client.endAsync(true)));
  }

  private exhausted(): boolean {
    const { perSource, sources } = this.spec;
    return perSource !== null && this.next >= perSource * sources.length;
  }

  /** Publishes the next message on a connection with room in its window; false if none has room. */
  private publishOne(): boolean {
    if (this.exhausted()) return false;
    const conn = this.freeConnection();
    if (!conn) return false;
    const n = this.spec.sources.length;
    const source = this.next % n;
    const k = Math.floor(this.next / n);
    this.next++;
    const variants = this.templates[source]!;
    const { tsBase, tsStep, tsWrap } = this.spec;
    const payload = render(variants[variantOf(k, variants.length)]!, tsBase + (k % tsWrap) * tsStep + Math.floor(k / tsWrap));
    conn.inFlight++;
    this.counts.sent++;
    conn.client.publish(this.topics[source]!, payload, this.opts, (err) => {
      conn.inFlight--;
      if (err) this.counts.failed++;
      else {
        this.counts.acked++;
        this.ackedPerSource[source]!++;
      }
    });
    return true;
  }

  private freeConnection(): Connection | undefined {
    for (let i = 0; i < this.conns.length; i++) {
      const c = this.conns[(this.turn + i) % this.conns.length]!;
      if (c.inFlight < this.spec.window) {
        this.turn = (this.turn + i + 1) % this.conns.length;
        return c;
      }
    }
    return undefined;
  }
}

let publisher: Publisher | null = null;
// Never outlive the bench (its IPC channel closes when it exits).
process.on('disconnect', () => process.exit(0));

process.on('message', (m: ToPublisher) => {
  if (m.type === 'connect') {
    publisher = new Publisher(m.spec);
    publisher.connect().then(
      () => send({ type: 'ready' }),
      (err: Error) => (send({ type: 'error', message: `connect failed: ${err.message}` }), process.exit(1)),
    );
  } else if (m.type === 'go' && publisher) {
    const p = publisher;
    void p.run().then(async (elapsedMs) => {
      send({ type: 'done', elapsedMs, ackedPerSource: p.perSource(), ...p.counts });
      await p.close();
      process.disconnect?.();
    });
  } else if (m.type === 'stop') {
    publisher?.stop();
  }
});
