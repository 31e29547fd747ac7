/**
 * The ingest stage as app.ts builds it, in two steps. `prepareIngest` (before the telemetry stage):
 * the server's MQTT client, not yet connected, its counters and the dead-letter port, which the
 * telemetry stage's writer is handed for the readings the store refuses. `startIngest`: the embedded
 * MQTT broker (when no external one is set), the HJ 212 ingest (TCP listener, raw-frame archive,
 * logger boards) and the MQTT client connected with its handlers, all feeding one reading sink. The
 * embedded broker authenticates every client: loggers as their MN, users with their account, and the
 * server's own ingest client with credentials only it knows.
 */
import { randomBytes } from 'node:crypto';
import type { AuthModule } from '../auth/auth-module';
import { createBrokerAuth, userChecker } from '../broker/broker-auth';
import { EmbeddedBroker } from '../broker/embedded-broker';
import { maxPacketBytes } from '../broker/packet-size-guard';
import type { AppConfig } from '../config';
import type { EventBus } from '../domain/internal-events';
import { loggersWithoutPassword, type Source } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import { signalChannels, type SignalChannels } from '../domain/signal-acceptance';
import type { Logger } from '../logger';
import type { RawArchive } from '../storage/raw-archive';
import { Hj212Ingest, type Hj212IngestDeps, type Hj212IngestOptions } from './hj212/hj212-ingest';
import { BrokerDropWatch, type BrokerDropStats } from './broker-drops';
import { IngestStats } from './ingest-stats';
import { JsonMessageHandler } from './json-handler';
import { credentialsOf, loggersToCutOff } from './logger-credentials';
import { LoggerLinks } from './logger-links';
import { MqttDeadLetters } from './mqtt-dead-letters';
import { MqttTransport } from './mqtt-transport';
import { startPartitionedIntake, type PartitionedIntakeOptions, type PartitionStats } from '../cluster/partitioned-intake';
import { tracedSink, type ReadingSink } from './reading-sink';

/** What ingest offers before it starts: the dead letters (publish once connected) and their counters. */
export interface IngestOutlet {
  transport: MqttTransport;
  /** Dead letters and HJ 212 replies go out here: through the transport, or what `publishVia` was given. */
  publish: Publisher['publish'];
  /** An ingest worker publishes through its partition sessions instead of the transport. */
  publishVia(publisher: Publisher): void;
  stats: IngestStats;
  deadLetters: MqttDeadLetters;
  /** Stops the rejection log (after the telemetry stage: its writer may refuse readings until it stops). */
  stop(): void;
}

/** What publishes at QoS 1 (the ingest client, or the partition sessions of an ingest worker). */
export type Publisher = Pick<MqttTransport, 'publish'>;

export function prepareIngest(config: AppConfig, log: Logger, now: () => number): IngestOutlet {
  const stats = new IngestStats();
  const transport = new MqttTransport({ clientId: config.mqtt.clientId }, log.child({ module: 'ingest' }));
  let publisher: Publisher = transport;
  const publish: Publisher['publish'] = (t, p, onError) => publisher.publish(t, p, onError);
  const deadLetters = new MqttDeadLetters({
    publish,
    stats,
    log: log.child({ module: 'ingest' }),
    maxPayloadBytes: config.ingest.maxPayloadBytes,
    now,
  });
  return { transport, publish, publishVia: (p) => void (publisher = p), stats, deadLetters, stop: () => deadLetters.stop() };
}

export interface IngestDeps {
  /** Built by prepareIngest before the telemetry stage. */
  outlet: IngestOutlet;
  /** The live registry: on `registry:changed` a removed logger (or one with new credentials) is disconnected. */
  registry: RegistryView;
  /** The registry's sources by MN (live). */
  lookup: (mn: string) => Source | undefined;
  sink: ReadingSink;
  auth: Pick<AuthModule, 'users' | 'deviceGuard'>;
  /**
   * `user:revoked`: a user's MQTT connections end with their identity; `registry:changed`: a logger's
   * with its registration; announces `logger:status`.
   */
  events: EventBus;
  /** null when the sink takes more now; else resolves when it does (back-pressure into mqtt.js). */
  ready(): Promise<void> | null;
  /** Where every raw HJ 212 frame heard goes, accepted or refused (core's; pruned by the jobs part). */
  rawArchive: RawArchive;
  /** Hears every accepted raw HJ 212 frame of a registered source (the transport signatures). */
  onFrame?: Hj212IngestDeps['onFrame'];
  /**
   * An ingest worker (`--role ingest`): the MQTT intake reads the partitions it owns, one persistent
   * session each (partitioned-intake.ts), instead of one subscription to every source.
   */
  partitions?: PartitionedIntakeOptions;
  log: Logger;
  now: () => number;
}

export interface IngestModule {
  mqttUrl: string;
  /** Port of the HJ 212 TCP listener (null when disabled). */
  hj212Port: number | null;
  stats: IngestStats;
  hj212: Hj212Ingest;
  rawArchive: RawArchive;
  /** The ingest client is connected to the broker. */
  connected(): boolean;
  /** Refusals of the embedded broker (null with an external broker). */
  brokerHealth: (() => { refused: Record<string, number> }) | null;
  /** What an external broker reports it dropped (null with the embedded broker or the watch off). */
  brokerDrops: BrokerDropStats | null;
  /** An ingest worker's partitions: held now, acquisitions since start, hand-overs (null in one process). */
  partitions: (() => PartitionStats) | null;
  stop(): Promise<void>;
}

/** The HJ 212 ingest's options from the config (the app's and a gateway's listener alike). */
export function hj212OptionsOf(config: AppConfig): Hj212IngestOptions {
  const { hj212: hj } = config;
  return {
    tcp: hj.enabled
      ? {
          port: hj.port,
          host: hj.host,
          idleTimeoutMs: hj.idleTimeoutS * 1000,
          maxConnections: hj.maxConnections,
          maxConnectionsPerAddress: hj.maxConnectionsPerAddress,
          frameDeadlineMs: hj.frameDeadlineS * 1000,
        }
      : null,
    maxPayloadBytes: config.ingest.maxPayloadBytes,
    utcOffsetMinutes: hj.utcOffsetMinutes,
    maxFutureSkewMs: config.ingest.maxFutureSkewS * 1000,
    maxPastAgeMs: config.ingest.maxPastAgeH * 3_600_000,
    allowMissingPw: hj.allowMissingPw,
    archiveRefusalsPerMin: hj.archiveRefusalsPerMin,
    passwordGuessesPerMin: hj.passwordGuessesPerMin,
    splitTimeoutMs: hj.splitTimeoutS * 1000,
    replyRefusals: hj.replyRefusals,
  };
}

/** The channels the registry's facilities name, rebuilt when the registry's version moves (signal-acceptance.ts). */
export function signalChannelsOf(registry: RegistryView): () => SignalChannels {
  let version = -1;
  let channels: SignalChannels = new Map();
  return () => {
    if (registry.version() !== version) {
      version = registry.version();
      channels = signalChannels(registry.current().facilities ?? []);
    }
    return channels;
  };
}

/** hj212.allowMissingPw: the registry may hold loggers without a password; say so loudly. */
export function warnMissingLoggerPasswords(config: AppConfig, registry: RegistryView, log: Logger): void {
  const open = loggersWithoutPassword(registry.current());
  if (!config.hj212.allowMissingPw || open.length === 0) return;
  log.warn(
    { mns: open, setting: 'hj212.allowMissingPw' },
    'INSECURE: these sources have no HJ 212 logger password; anyone can write their data over TCP. Give each a pw',
  );
}

export async function startIngest(config: AppConfig, deps: IngestDeps): Promise<IngestModule> {
  const { auth, log, now, lookup } = deps;
  const sink = tracedSink(deps.sink, log.child({ module: 'ingest' }));
  let broker: EmbeddedBroker | null = null;
  let brokerHealth: (() => { refused: Record<string, number> }) | null = null;
  /** Closes the MQTT connections of these loggers (the embedded broker; an external one: see mosquitto-credentials.ts). */
  let disconnectLoggers: (mns: ReadonlySet<string>) => number = () => 0;
  let mqttUrl = config.mqtt.url;
  let ingestCredentials = { username: config.mqtt.username, password: config.mqtt.password };
  const links = new LoggerLinks((e) => deps.events.emit('logger:status', e), now);
  if (!mqttUrl) {
    const internal = {
      username: config.mqtt.username || 'o3s-ingest',
      password: config.auth.internalMqttPassword || randomBytes(24).toString('base64url'),
    };
    const brokerAuth = createBrokerAuth({
      source: (mn) => lookup(mn),
      internal,
      ingestClientId: config.mqtt.clientId,
      checkUser: userChecker(auth.users),
      guard: auth.deviceGuard,
      log: log.child({ module: 'broker-auth' }),
    });
    broker = new EmbeddedBroker(log.child({ module: 'broker' }), {
      auth: brokerAuth,
      maxPacketBytes: maxPacketBytes(config.ingest.maxPayloadBytes),
      onClient: (client, connected) => {
        const id = brokerAuth.identityOf(client);
        if (id?.kind !== 'logger') return;
        if (connected) links.mqttOpened(id.mn);
        else links.mqttClosed(id.mn);
      },
    });
    const embedded = broker;
    disconnectLoggers = (mns) =>
      embedded.disconnectClients((c) => {
        const id = brokerAuth.identityOf(c);
        return id?.kind === 'logger' && mns.has(id.mn);
      });
    brokerHealth = () => ({ refused: { ...brokerAuth.refused, packet_too_large: embedded.oversizePackets } });
    mqttUrl = `mqtt://127.0.0.1:${await broker.start(config.mqtt.embeddedPort, config.server.host)}`;
    ingestCredentials = internal;
    // A user's password, role, enterprise or account changed: their MQTT connections end too.
    deps.events.on('user:revoked', (e) => {
      if (e.sessionId !== undefined) return; // one web session ended; MQTT connections are not tied to it
      embedded.disconnectClients((c) => {
        const id = brokerAuth.identityOf(c);
        return id?.kind === 'user' && id.principal.userId === e.userId;
      });
    });
  }

  warnMissingLoggerPasswords(config, deps.registry, log);
  const signals = signalChannelsOf(deps.registry);
  const { rawArchive } = deps;
  // An ingest worker hears loggers through the broker only: a logger's TCP connection could land on
  // a worker that does not own its source (HJ 212 over TCP is the gateways' part: `--role gateway`).
  const hj212 = new Hj212Ingest(
    { ...hj212OptionsOf(config), ...(deps.partitions ? { tcp: null } : {}) },
    {
      lookup: (mn) => lookup(mn),
      sink,
      signals,
      archive: rawArchive,
      log: log.child({ module: 'hj212' }),
      now,
      ...(deps.onFrame ? { onFrame: deps.onFrame } : {}),
      onStatus: (event, s) => {
        if (s.transport === 'tcp' && (event === 'connected' || event === 'disconnected')) links.hj212(s.mn, event === 'connected');
      },
    },
  );
  // The server's MQTT client: a transport dispatching by topic to the HJ 212 and JSON handlers; what
  // they (or the store) refuse goes to its dead letters.
  const { transport: ingest, stats, deadLetters } = deps.outlet;
  const jsonHandler = new JsonMessageHandler(
    {
      maxPayloadBytes: config.ingest.maxPayloadBytes,
      maxFutureSkewMs: config.ingest.maxFutureSkewS * 1000,
      maxPastAgeMs: config.ingest.maxPastAgeH * 3_600_000,
    },
    { lookup: (mn) => lookup(mn), sink, stats, deadLetters, now, signals },
  );
  // Raw HJ 212 frames on sentinel/v1/{mn}/hj212 first (replies on …/hj212/reply), then the frames HJ 212
  // gateways forward (…/hj212/gateway); the JSON contract takes the rest.
  // An external broker's count of dropped messages (mqtt.dropCounterTopic): readings lost before ingest.
  const drops =
    config.mqtt.url && config.mqtt.dropCounterTopic
      ? new BrokerDropWatch(config.mqtt.dropCounterTopic, log.child({ module: 'ingest' }), now)
      : null;
  const mqttRoutes = {
    handlers: [hj212.mqttHandler((t, b) => deps.outlet.publish(t, Buffer.from(b))), hj212.gatewayHandler(), jsonHandler],
    watches: drops ? [drops] : [],
    ready: () => deps.ready(),
    onWait: () => void stats.backpressureWaits++,
  };

  const intake = deps.partitions
    ? await startPartitionedIntake(
        deps.partitions,
        { url: mqttUrl, ...ingestCredentials },
        { routes: mqttRoutes, registry: deps.registry, events: deps.events, outlet: deps.outlet, log },
      )
    : null;
  if (!intake) await ingest.start(mqttRoutes, { url: mqttUrl, ...ingestCredentials });
  const hj212Port = await hj212.start();
  // A logger removed from the registry, or whose credentials changed, is cut off at once: it must
  // reconnect, and is judged by the registry as it is now (refused, or with its new credentials).
  let credentials = credentialsOf(deps.registry.current());
  deps.events.on('registry:changed', () => {
    const next = credentialsOf(deps.registry.current());
    const cut = loggersToCutOff(credentials, next);
    credentials = next;
    const mqttClosed = cut.mqtt.length === 0 ? 0 : disconnectLoggers(new Set(cut.mqtt));
    const tcpClosed = hj212.closeLoggers(cut.hj212);
    if (mqttClosed + tcpClosed > 0) {
      log.info({ mqtt: cut.mqtt, hj212: cut.hj212, mqttClosed, tcpClosed }, 'loggers disconnected: registry changed');
    }
    warnMissingLoggerPasswords(config, deps.registry, log);
  });
  return {
    mqttUrl,
    hj212Port,
    stats,
    hj212,
    rawArchive,
    connected: () => intake?.connected() ?? ingest.connected,
    brokerHealth,
    brokerDrops: drops?.stats ?? null,
    partitions: intake ? () => intake.stats() : null,
    async stop() {
      await hj212.stop(); // first: replies for readings already durable can still go out
      await intake?.stop();
      await ingest.stop();
      await broker?.stop();
    },
  };
}
