/**
 * A fleet of simulated data loggers, one per registry source that sends data (sendsData: not while
 * its monitoring is still obligated or only installed), publishing the MQTT JSON contract
 * (sentinel/v1/{mn}/data, QoS 1). Every `intervalMs`, aligned to the clock (…:00, :05, :10 for
 * 5 s), each logger publishes CN 2011, plus CN 2051 / 2061 at minute / hour boundaries.
 * By default each logger has its own connection, as real loggers do; `connections: n` shares n
 * connections among all loggers (load tests with thousands of sources).
 */
import { z } from 'zod';
import type { Registry, Source } from '../server/domain/registry';
import { createRng, deriveSeed } from './random';
import { buildScenario, type Scenario, type ScenarioName } from './scenarios';
import { SimulatedLogger, type OutgoingMessage } from './simulated-logger';
import { mqttConnector, SILENT_LOGGER, type Connector, type FleetLogger, type Publisher } from './transport';

export type { FleetLogger } from './transport';

export interface FleetTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FleetOptions {
  url: string;
  registry: Registry;
  /** Real-time (CN 2011) interval of every logger, ms. */
  intervalMs: number;
  scenario: ScenarioName | Scenario;
  /** PRNG seed; the same seed, scenario and instants give the same payloads. Random if absent. */
  seed?: number;
  logger?: FleetLogger;
  /**
   * Client ids are `${prefix}${mn}`, or `${prefix}pool-${i}` with shared connections. A logger may
   * use only `MN` or `<tag>-MN` on a broker with authentication (docs/broker-security.md): end the
   * prefix in `-` (the default `o3sim-<seed>-` does).
   */
  clientIdPrefix?: string;
  mqttOptions?: { username?: string; password?: string };
  /** Share this many connections among all loggers instead of one connection per logger. */
  connections?: number;
  /** false: no timer; the caller drives rounds with `round()` (CLI --once, tests). Default true. */
  autoStart?: boolean;
  /** Injected for tests; default Date.now. */
  clock?: () => number;
  /** Injected for tests; default the global timers. */
  timers?: FleetTimers;
  /** Injected for tests; default MQTT to `url`. */
  connect?: Connector;
}

export interface FleetCounters {
  /** Messages the broker acknowledged. */
  published: number;
  /** Messages that could not be published. */
  failed: number;
}

export interface Fleet {
  readonly counters: Readonly<FleetCounters>;
  /** The seed in use (log it to reproduce a run). */
  readonly seed: number;
  /** Publishes one round for every logger at `at` (default now, to the second); resolves when all are settled. */
  round(at?: number): Promise<void>;
  /** Starts the timer: a round now, then one per interval (startFleet does unless autoStart is false). */
  start(): void;
  /** Stops the timer, waits for in-flight messages (bounded) and disconnects. */
  stop(): Promise<void>;
}

const optionsSchema = z.object({
  url: z.string().min(1),
  intervalMs: z.number().int().min(10),
  seed: z.number().int().optional(),
  connections: z.number().int().positive().optional(),
});

async function connectAll(connect: Connector, clientIds: readonly string[]): Promise<Publisher[]> {
  const results = await Promise.allSettled(clientIds.map((id) => connect(id)));
  const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.allSettled(ok.map((p) => p.close()));
    throw new Error('the simulator fleet could not connect', { cause: failure.reason });
  }
  return ok;
}

/**
 * Whether a source has a data logger sending: networked ones, and accepted ones (their data flows
 * while networking is finished). Monitoring still obligated or only installed sends nothing.
 */
export function sendsData(source: Pick<Source, 'onboarding'>): boolean {
  const status = source.onboarding?.status;
  return status === undefined || status === 'networked' || status === 'accepted';
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const checked = optionsSchema.safeParse(opts);
  if (!checked.success) throw new RangeError(`invalid fleet options: ${z.prettifyError(checked.error)}`);
  const logger = opts.logger ?? SILENT_LOGGER;
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const scenario = typeof opts.scenario === 'string' ? buildScenario(opts.scenario, opts.registry) : opts.scenario;
  const loggers = opts.registry.sources.filter(sendsData).map(
    (source) =>
      new SimulatedLogger({
        source,
        rng: createRng(deriveSeed(seed, source.mn)),
        scenario,
        intervalMs: opts.intervalMs,
        facilities: opts.registry.facilities,
        facilityRng: createRng(deriveSeed(seed, `${source.mn}#facilities`)),
      }),
  );
  const prefix = opts.clientIdPrefix ?? `o3sim-${seed.toString(16)}-`;
  const clientIds =
    opts.connections === undefined
      ? loggers.map((l) => `${prefix}${l.source.mn}`)
      : Array.from({ length: Math.min(opts.connections, loggers.length) }, (_, i) => `${prefix}pool-${i}`);
  // One connection per logger signs in as that logger (username = MN, its own MQTT password),
  // as the broker's ACL expects; shared connections use the given credentials.
  const sourceOf = new Map(loggers.map((l) => [`${prefix}${l.source.mn}`, l.source]));
  const perLogger = opts.connections === undefined && !opts.mqttOptions?.username;
  const connect =
    opts.connect ??
    (perLogger
      ? (clientId: string) => {
          const source = sourceOf.get(clientId);
          const credentials = source?.mqttPassword ? { username: source.mn, password: source.mqttPassword } : {};
          return mqttConnector(opts.url, { ...credentials, logger })(clientId);
        }
      : mqttConnector(opts.url, { ...opts.mqttOptions, logger }));
  const publishers = await connectAll(connect, clientIds);
  const fleet = new RunningFleet(loggers, publishers, {
    intervalMs: opts.intervalMs,
    seed,
    logger,
    clock: opts.clock ?? Date.now,
    timers: opts.timers ?? globalTimers(),
  });
  logger.info(
    { sources: loggers.length, connections: publishers.length, intervalMs: opts.intervalMs, scenario: scenario.name, seed },
    'simulator fleet started',
  );
  if (opts.autoStart ?? true) fleet.start();
  return fleet;
}

function globalTimers(): FleetTimers {
  return {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

interface RunningFleetOptions {
  intervalMs: number;
  seed: number;
  logger: FleetLogger;
  clock: () => number;
  timers: FleetTimers;
}

class RunningFleet implements Fleet {
  readonly counters: FleetCounters = { published: 0, failed: 0 };
  readonly seed: number;
  private readonly startedAt: number;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: unknown;
  private stopped = false;
  private started = false;

  constructor(
    private readonly loggers: readonly SimulatedLogger[],
    private readonly publishers: readonly Publisher[],
    private readonly opts: RunningFleetOptions,
  ) {
    this.seed = opts.seed;
    this.startedAt = opts.clock();
  }

  /** First round now (to the second), then on every interval boundary; once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.round(Math.floor(this.opts.clock() / 1000) * 1000);
    this.scheduleNext();
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const now = this.opts.clock();
    const next = (Math.floor(now / this.opts.intervalMs) + 1) * this.opts.intervalMs;
    this.timer = this.opts.timers.setTimeout(() => {
      this.timer = undefined;
      void this.round(next);
      this.scheduleNext();
    }, next - now);
  }

  async round(at: number = Math.floor(this.opts.clock() / 1000) * 1000): Promise<void> {
    if (this.stopped) return;
    const sends: Promise<void>[] = [];
    this.loggers.forEach((logger, i) => {
      const publisher = this.publishers[i % this.publishers.length];
      if (!publisher) return;
      for (const message of logger.tick(at, Math.max(0, at - this.startedAt))) sends.push(this.send(publisher, message));
    });
    await Promise.all(sends);
  }

  private send(publisher: Publisher, message: OutgoingMessage): Promise<void> {
    const sent = publisher.publish(message.topic, message.payload).then(
      () => {
        this.counters.published += 1;
      },
      (err: unknown) => {
        this.counters.failed += 1;
        // The first failure and every hundredth after it: a broker outage must not flood the log.
        if (this.counters.failed % 100 === 1) {
          this.opts.logger.warn({ topic: message.topic, failed: this.counters.failed, err: String(err) }, 'simulator publish failed');
        }
      },
    );
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
    return sent;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) this.opts.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled(this.publishers.map((p) => p.close()));
    await Promise.allSettled([...this.inFlight]);
    this.opts.logger.info({ ...this.counters }, 'simulator fleet stopped');
  }
}
