/**
 * A steady QoS 1 load for the chaos tests: round-robin over a few loggers, one reading every
 * `everyMs`, each stamped with its own instant (per source: t0, t0 + 1 s, …) so that every reading
 * published can be looked for in the store. Survives broker restarts: mqtt.js keeps unacknowledged
 * publishes and resends them after reconnecting; `stop()` waits until the broker has acknowledged all.
 * By default one anonymous connection carries every source; with `asLoggers` each source has its
 * own connection signed in as that logger (username = MN), as on a broker with authentication.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { until } from './wait';

export interface LoadSource {
  mn: string;
  factor: string;
  /** The value of the i-th reading of this source. */
  value: (i: number) => number;
}

export interface LoggerConnections {
  /** The logger's credentials (its registry `mqttPassword`). */
  password: (mn: string) => string;
  /** Its client id (default `load-<MN>`). */
  clientId?: (mn: string) => string;
}

export class SteadyLoad {
  /** Readings published per source (each with a distinct instant). */
  readonly published = new Map<string, number>();
  private acked = 0;
  private sent = 0;
  private errors: string[] = [];
  private timer: NodeJS.Timeout | null = null;

  /** Connections lost (closed by the broker) per client id, e.g. by a takeover. */
  readonly closes = new Map<string, number>();

  private constructor(
    private readonly clientOf: (mn: string) => MqttClient,
    private readonly clients: readonly MqttClient[],
    private readonly sources: readonly LoadSource[],
    private readonly t0: number,
  ) {
    for (const s of sources) this.published.set(s.mn, 0);
    for (const c of clients) {
      const id = c.options.clientId as string;
      this.closes.set(id, 0);
      c.on('close', () => this.closes.set(id, (this.closes.get(id) ?? 0) + 1));
    }
  }

  static async start(
    url: string,
    sources: readonly LoadSource[],
    everyMs: number,
    t0: number,
    asLoggers?: LoggerConnections,
  ): Promise<SteadyLoad> {
    let load: SteadyLoad;
    if (asLoggers) {
      const idOf = asLoggers.clientId ?? ((mn: string) => `load-${mn}`);
      const byMn = new Map<string, MqttClient>();
      for (const s of sources) {
        const options = { clientId: idOf(s.mn), clean: true, reconnectPeriod: 500, username: s.mn, password: asLoggers.password(s.mn) };
        byMn.set(s.mn, await mqtt.connectAsync(url, options));
      }
      load = new SteadyLoad((mn) => byMn.get(mn) as MqttClient, [...byMn.values()], sources, t0);
    } else {
      const client = await mqtt.connectAsync(url, { clientId: `chaos-load-${process.pid}`, clean: true, reconnectPeriod: 500 });
      load = new SteadyLoad(() => client, [client], sources, t0);
    }
    load.resume(everyMs);
    return load;
  }

  get total(): number {
    return this.sent;
  }

  resume(everyMs: number): void {
    let k = 0;
    this.timer = setInterval(() => {
      const source = this.sources[k++ % this.sources.length] as LoadSource;
      const i = this.published.get(source.mn) as number;
      this.published.set(source.mn, i + 1);
      this.sent++;
      const body = JSON.stringify({
        cn: '2011',
        ts: this.t0 + i * 1000,
        factors: { [source.factor]: { rtd: source.value(i), flag: 'N' } },
      });
      this.clientOf(source.mn).publish(dataTopic(source.mn), body, { qos: 1 }, (err) => {
        if (err) this.errors.push(err.message);
        else this.acked++;
      });
    }, everyMs);
  }

  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops publishing and waits until the broker acknowledged every reading. */
  async stop(ms = 60_000): Promise<void> {
    this.pause();
    await until(
      () => this.acked + this.errors.length >= this.sent,
      `the broker to acknowledge ${this.sent} publishes (${this.acked} so far)`,
      ms,
    );
    if (this.errors.length > 0) throw new Error(`publishes failed: ${this.errors.slice(0, 3).join('; ')}`);
  }

  async close(): Promise<void> {
    this.pause();
    await Promise.all(this.clients.map((c) => c.endAsync()));
  }
}
