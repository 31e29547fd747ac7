/**
 * Composition root: builds every module from the validated config, wires them, starts and stops
 * them in order. No singletons: tests build as many apps as they like.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { AlertService } from './alerts/alert-service';
import { EmbeddedBroker } from './broker/embedded-broker';
import type { AppConfig } from './config';
import { alertsRouter } from './http/alerts-router';
import { hj212LoggersRouter, rawFramesRouter } from './http/raw-frames-router';
import { createHttpApp } from './http/http-app';
import { sourcesRouter } from './http/sources-router';
import { Hj212Ingest } from './ingest/hj212/hj212-ingest';
import { IngestStats } from './ingest/ingest-stats';
import { MqttIngest } from './ingest/mqtt-ingest';
import type { Logger } from './logger';
import { ReadingPipeline } from './pipeline';
import { RealtimeHub } from './realtime/realtime-hub';
import { SourceDirectory } from './sources/source-directory';
import { sourceViews } from './sources/source-views';
import { BatchWriter } from './storage/batch-writer';
import { SqliteRawArchive } from './storage/embedded/sqlite-raw-archive';
import { SqliteStateStore } from './storage/embedded/sqlite-state-store';
import { SqliteTelemetryStore } from './storage/embedded/sqlite-telemetry-store';
import { InfluxTelemetryStore } from './storage/influx/influx-telemetry-store';
import type { TelemetryStore } from './storage/telemetry-store';

export interface RunningApp {
  httpPort: number;
  mqttUrl: string;
  /** Port of the HJ 212 TCP listener (null when disabled). */
  hj212Port: number | null;
  stats: IngestStats;
  stop(): Promise<void>;
}

const CLIENT_DIR = resolve(import.meta.dirname, '../dist/client');

function createTelemetryStore(config: AppConfig): TelemetryStore {
  const { influx } = config;
  if (!influx.url) return new SqliteTelemetryStore(join(config.dataDir, 'telemetry.db'));
  return new InfluxTelemetryStore({
    url: influx.url,
    db: influx.db,
    token: influx.token,
    username: influx.username,
    password: influx.password,
    timeoutMs: influx.timeoutMs,
    createDb: influx.createDb,
  });
}

/** Prepares the store; if it is unreachable, keeps trying in the background (writes retry meanwhile). */
async function initStore(telemetry: TelemetryStore, log: Logger): Promise<NodeJS.Timeout | null> {
  try {
    await telemetry.init();
    log.info({ store: telemetry.name }, 'telemetry store ready');
    return null;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'telemetry store not ready; retrying every 5 s');
    const timer: NodeJS.Timeout = setInterval(() => {
      telemetry.init().then(
        () => (clearInterval(timer), log.info({ store: telemetry.name }, 'telemetry store ready')),
        (e: Error) => log.debug({ err: e.message }, 'telemetry store still not ready'),
      );
    }, 5_000);
    return timer;
  }
}

export async function startApp(config: AppConfig, log: Logger, now: () => number = Date.now): Promise<RunningApp> {
  mkdirSync(config.dataDir, { recursive: true });
  const stateStore = new SqliteStateStore(join(config.dataDir, 'state.db'));
  const telemetry = createTelemetryStore(config);
  const initTimer = await initStore(telemetry, log);

  const directory = new SourceDirectory(config.registry, config.limits);
  // The store may be down at start: ingest still runs (the writer retries), and the latest values
  // fill in as readings arrive.
  try {
    for (const lv of await telemetry.latest('2011')) directory.noteLatest(lv);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'telemetry store unreachable at start: latest values will fill in as readings arrive');
  }

  let broker: EmbeddedBroker | null = null;
  let mqttUrl = config.mqtt.url;
  if (!mqttUrl) {
    broker = new EmbeddedBroker(log.child({ module: 'broker' }));
    mqttUrl = `mqtt://127.0.0.1:${await broker.start(config.mqtt.embeddedPort, config.server.host)}`;
  }

  const alerts = new AlertService(stateStore, log.child({ module: 'alerts' }));
  const writer = new BatchWriter(
    telemetry,
    {
      batchSize: config.influx.batchSize,
      flushIntervalMs: config.influx.flushIntervalMs,
      concurrency: config.influx.concurrency,
      maxBuffered: config.ingest.maxBufferedReadings,
    },
    log.child({ module: 'writer' }),
  );
  const pipeline = new ReadingPipeline(directory, writer, alerts);
  const rawArchive = new SqliteRawArchive(join(config.dataDir, 'raw-frames.db'), log.child({ module: 'raw-archive' }));
  const { hj212: hj } = config;
  const hj212 = new Hj212Ingest(
    {
      tcp: hj.enabled ? { port: hj.port, host: hj.host, idleTimeoutMs: hj.idleTimeoutS * 1000, maxConnections: hj.maxConnections } : null,
      maxPayloadBytes: config.ingest.maxPayloadBytes,
      utcOffsetMinutes: hj.utcOffsetMinutes,
      maxFutureSkewMs: config.ingest.maxFutureSkewS * 1000,
      splitTimeoutMs: hj.splitTimeoutS * 1000,
      replyRefusals: hj.replyRefusals,
    },
    { lookup: (mn) => directory.get(mn), sink: pipeline, archive: rawArchive, log: log.child({ module: 'hj212' }), now },
  );
  const stats = new IngestStats();
  const ingest = new MqttIngest(
    {
      url: mqttUrl,
      clientId: config.mqtt.clientId,
      username: config.mqtt.username,
      password: config.mqtt.password,
      maxPayloadBytes: config.ingest.maxPayloadBytes,
      maxFutureSkewMs: config.ingest.maxFutureSkewS * 1000,
    },
    { lookup: (mn) => directory.get(mn), sink: pipeline, stats, log: log.child({ module: 'ingest' }), hj212, now },
  );

  const views = () => sourceViews(directory, alerts, now(), config.realtime.offlineAfterIntervals);
  const httpApp = createHttpApp(
    {
      health: (_req, res) => {
        res.json({
          status: 'ok',
          store: telemetry.name,
          broker: ingest.connected ? 'connected' : 'disconnected',
          ingest: { accepted: stats.accepted, rejected: stats.rejected, backpressureWaits: stats.backpressureWaits },
          writer: writer.stats,
          hj212: { port: hj212Port, ...hj212.stats.snapshot() },
        });
      },
      ready: async (_req, res) => {
        const store = await telemetry.ping();
        const broker = ingest.connected;
        res.status(store && broker ? 200 : 503).json({ ready: store && broker, store: store ? 'up' : 'down', broker: broker ? 'connected' : 'disconnected' });
      },
      routers: {
        '/api/alerts': alertsRouter(alerts),
        '/api/sources': sourcesRouter(directory, telemetry, views, now).use(rawFramesRouter(rawArchive, now)),
        '/api/hj212': hj212LoggersRouter(() => hj212.unknown.list(), () => hj212.status.all()),
      },
      clientDir: CLIENT_DIR,
    },
    log.child({ module: 'http' }),
  );
  const server: Server = createServer(httpApp);
  const hub = new RealtimeHub(
    server,
    () => ({ alerts: [...alerts.active(), ...alerts.list({ state: 'resolved', limit: 50 })], sources: views() }),
    config.realtime.readingBatchMs,
    log.child({ module: 'realtime' }),
  );
  alerts.onChange((kind, alert) => hub.alert(kind, alert));
  pipeline.onLatest((lv) => hub.latest(lv));

  await ingest.start();
  const hj212Port = await hj212.start();
  const prune = setInterval(() => {
    if (hj.archiveRetentionDays > 0) {
      rawArchive.prune(now() - hj.archiveRetentionDays * 86_400_000).catch((err: Error) => log.error({ err }, 'raw archive prune failed'));
    }
  }, 3_600_000).unref();
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(config.server.port, config.server.host, () => res());
  });
  const httpPort = (server.address() as { port: number }).port;
  log.info({ port: httpPort, mqtt: mqttUrl, hj212: hj212Port }, 'O3 Sentinel listening');

  return {
    httpPort,
    mqttUrl,
    hj212Port,
    stats,
    async stop() {
      clearInterval(prune);
      if (initTimer) clearInterval(initTimer);
      await hj212.stop(); // first: replies for readings already durable can still go out
      await ingest.stop();
      await writer.close();
      await rawArchive.close();
      await hub.close(); // closes the HTTP server too
      await broker?.stop();
      await telemetry.close();
      stateStore.close();
      log.info('stopped');
    },
  };
}
