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
import { createHttpApp } from './http/http-app';
import { sourcesRouter } from './http/sources-router';
import { IngestStats } from './ingest/ingest-stats';
import { MqttIngest } from './ingest/mqtt-ingest';
import type { Logger } from './logger';
import { ReadingPipeline } from './pipeline';
import { RealtimeHub } from './realtime/realtime-hub';
import { SourceDirectory } from './sources/source-directory';
import { sourceViews } from './sources/source-views';
import { BatchWriter } from './storage/batch-writer';
import { SqliteStateStore } from './storage/embedded/sqlite-state-store';
import { SqliteTelemetryStore } from './storage/embedded/sqlite-telemetry-store';
import { InfluxTelemetryStore } from './storage/influx/influx-telemetry-store';
import type { TelemetryStore } from './storage/telemetry-store';

export interface RunningApp {
  httpPort: number;
  mqttUrl: string;
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

export async function startApp(config: AppConfig, log: Logger, now: () => number = Date.now): Promise<RunningApp> {
  mkdirSync(config.dataDir, { recursive: true });
  const stateStore = new SqliteStateStore(join(config.dataDir, 'state.db'));
  const telemetry = createTelemetryStore(config);
  await telemetry.init();
  log.info({ store: telemetry.name, db: config.influx.url ? config.influx.db : config.dataDir }, 'telemetry store ready');

  const directory = new SourceDirectory(config.registry, config.limits);
  for (const lv of await telemetry.latest('2011')) directory.noteLatest(lv);

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
    (mn) => directory.get(mn),
    pipeline,
    stats,
    log.child({ module: 'ingest' }),
    now,
  );

  const views = () => sourceViews(directory, alerts, now(), config.realtime.offlineAfterIntervals);
  const httpApp = createHttpApp(
    {
      health: (_req, res) => {
        res.json({ status: 'ok', store: telemetry.name, broker: ingest.connected ? 'connected' : 'disconnected', ingest: { accepted: stats.accepted, rejected: stats.rejected, backpressureWaits: stats.backpressureWaits }, writer: writer.stats });
      },
      routers: {
        '/api/alerts': alertsRouter(alerts),
        '/api/sources': sourcesRouter(directory, telemetry, views, now),
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
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(config.server.port, config.server.host, () => res());
  });
  const httpPort = (server.address() as { port: number }).port;
  log.info({ port: httpPort, mqtt: mqttUrl }, 'O3 Sentinel listening');

  return {
    httpPort,
    mqttUrl,
    stats,
    async stop() {
      await ingest.stop();
      await writer.close();
      await hub.close(); // closes the HTTP server too
      await broker?.stop();
      await telemetry.close();
      stateStore.close();
      log.info('stopped');
    },
  };
}
