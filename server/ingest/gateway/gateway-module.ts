/**
 * The HJ 212 gateway role (`npm start -- --role gateway`, issue 15 item 4): N of these behind a TCP
 * load balancer speak HJ 212 to the data loggers and forward each accepted frame to the broker at
 * QoS 1 on its source's topic; a logger's 9014 goes out only after the broker's PUBACK.
 *
 * It runs only what that needs: the registry, read from the shared database and followed
 * (registry-follower.ts; a removed logger, or one whose PW rotated, is disconnected as in the app);
 * the same HJ 212 ingest as the app (listener, processor with every check — CRC, MN, PW, time
 * window, rewrites, split uploads, password-guess and slow-sender cut-offs) with the frame forwarder
 * as its archive and sink (frame-forwarder.ts); an MQTT client with the gateway's own credentials
 * (MQTT_USERNAME / MQTT_PASSWORD; the broker ACL lets it publish on sentinel/v1/+/hj212/gateway only);
 * and a small HTTP server on server.port: `/healthz`, `/readyz`, `/metrics`. No telemetry store, no
 * rules, no dashboard. Refused frames are archived in the shared database's raw frame table (the one
 * every process of the cluster archives into and any web process reads: raw-frame-archive.ts); the
 * accepted ones by the ingest worker that takes them from the broker.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import mqtt from 'mqtt';
import type { AppConfig } from '../../config';
import { EventBus, type InternalEvents } from '../../domain/internal-events';
import type { Logger } from '../../logger';
import { gatewayMetrics } from '../../observability/gateway-metrics';
import { openRawArchive } from '../../storage/sql/raw-frame-archive';
import { Hj212Ingest } from '../hj212/hj212-ingest';
import { hj212OptionsOf, signalChannelsOf, warnMissingLoggerPasswords } from '../ingest-module';
import { credentialsOf, loggersToCutOff } from '../logger-credentials';
import { FrameForwarder, type ForwarderStats } from './frame-forwarder';
import { followRegistry, type RegistryFollower } from './registry-follower';

export interface RunningGateway {
  /** Port of the HJ 212 TCP listener. */
  hj212Port: number;
  /** Port of /healthz, /readyz and /metrics. */
  httpPort: number;
  clientId: string;
  forwarder: ForwarderStats;
  hj212: Hj212Ingest;
  registry: RegistryFollower;
  /** Connected to the broker now. */
  connected(): boolean;
  stop(): Promise<void>;
}

/** The gateway's MQTT client id (gateway.clientId, else its MQTT username, else one from the host name). */
export const gatewayClientId = (config: AppConfig): string =>
  config.gateway.clientId || config.mqtt.username || `o3s-gateway-${hostname()}`.slice(0, 64);

export async function startGateway(config: AppConfig, log: Logger, now: () => number = Date.now): Promise<RunningGateway> {
  const stack: (() => void | Promise<void>)[] = [];
  const stop = async () => {
    for (let s = stack.pop(); s; s = stack.pop()) await s();
  };
  try {
    return await compose(config, log.child({ module: 'gateway' }), now, stack, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}

async function compose(
  config: AppConfig,
  log: Logger,
  now: () => number,
  stack: (() => void | Promise<void>)[],
  stop: () => Promise<void>,
): Promise<RunningGateway> {
  const events = new EventBus<InternalEvents>((err, event) => log.error({ err, event }, 'internal event listener failed'));
  const pollMs = config.gateway.registryPollS * 1000;
  const registry = await followRegistry(config.database.url, { events, pollMs, log, now });
  stack.push(() => registry.stop());
  warnMissingLoggerPasswords(config, registry.view, log);

  const clientId = gatewayClientId(config);
  const client = mqtt.connect(config.mqtt.url, {
    clientId,
    clean: true, // it only publishes: what awaits a PUBACK is in mqtt.js's store and sent again on reconnect
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
    ...(config.mqtt.username ? { username: config.mqtt.username, password: config.mqtt.password } : {}),
  });
  stack.push(() => client.endAsync(true));
  client.on('connect', () => log.info({ url: config.mqtt.url, clientId }, 'gateway connected to the broker'));
  client.on('offline', () => log.warn({ url: config.mqtt.url }, 'gateway: broker unreachable; frames wait for it (no 9014 meanwhile)'));
  client.on('error', (err) => log.error({ err: err.message }, 'gateway mqtt error'));
  const publish = (topic: string, payload: string) => client.publishAsync(topic, payload, { qos: 1 }).then(() => undefined);

  // DATABASE_URL: the gateway role requires it (config-role.ts).
  const refusals = await openRawArchive(config.database.url, log.child({ part: 'raw-archive' }));
  stack.push(() => refusals.close());
  const forwarder = new FrameForwarder({ gateway: clientId, maxPending: config.gateway.maxPending }, publish, refusals, log, now);
  const hj212 = new Hj212Ingest(hj212OptionsOf(config), {
    lookup: (mn) => registry.lookup(mn),
    sink: forwarder.sink,
    archive: forwarder.archive,
    signals: signalChannelsOf(registry.view),
    log: log.child({ part: 'hj212' }),
    now,
    onStatus: (event, s) => {
      if (event === 'disconnected') forwarder.connectionClosed(s.peer, [s.mn]);
    },
  });
  const hj212Port = (await hj212.start()) as number; // hj212.enabled: the config requires it for this role
  stack.push(() => hj212.stop()); // first: replies for frames already acknowledged can still go out
  let credentials = credentialsOf(registry.view.current());
  events.on('registry:changed', () => {
    const next = credentialsOf(registry.view.current());
    const cut = loggersToCutOff(credentials, next);
    credentials = next;
    const closed = hj212.closeLoggers(cut.hj212);
    if (closed > 0) log.info({ mns: cut.hj212, closed }, 'gateway: loggers disconnected: registry changed');
  });

  const metrics = gatewayMetrics({ forwarder: forwarder.stats, hj212: hj212.stats, brokerConnected: () => client.connected });
  const health = () => ({
    status: 'ok',
    role: 'gateway',
    clientId,
    broker: client.connected ? 'connected' : 'disconnected',
    registryVersion: registry.view.version(),
    gateway: { ...forwarder.stats },
    hj212: hj212.stats.snapshot(),
  });
  const http = createServer(
    (req, res) => void serve(req, res, { token: config.server.metricsToken, health, metrics, ready: () => client.connected }),
  );
  const httpPort = await new Promise<number>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.server.port, config.server.host, () => resolve((http.address() as { port: number }).port));
  });
  stack.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
  log.info({ hj212: hj212Port, http: httpPort, broker: config.mqtt.url, clientId }, 'HJ 212 gateway listening');
  return {
    hj212Port,
    httpPort,
    clientId,
    forwarder: forwarder.stats,
    hj212,
    registry,
    connected: () => client.connected,
    stop,
  };
}

interface Endpoints {
  token: string;
  health: () => unknown;
  metrics: ReturnType<typeof gatewayMetrics>;
  ready: () => boolean;
}

async function serve(req: IncomingMessage, res: ServerResponse, e: Endpoints): Promise<void> {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET') return json(405, { error: 'method_not_allowed' });
  if (path === '/healthz') return json(200, e.health());
  if (path === '/readyz') return json(e.ready() ? 200 : 503, { ready: e.ready(), broker: e.ready() ? 'connected' : 'disconnected' });
  if (path !== '/metrics') return json(404, { error: 'not_found' });
  if (e.token && req.headers.authorization !== `Bearer ${e.token}`) return json(401, { error: 'unauthenticated' });
  res.writeHead(200, { 'content-type': e.metrics.contentType }).end(await e.metrics.metrics());
}
