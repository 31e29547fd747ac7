/**
 * The telemetry stage as app.ts builds it: the one InfluxDB-vs-SQLite choice of the telemetry store,
 * the spool, the batch writer that drains into the store (what a crash or an outage left in the spool
 * goes first) and the spool alarm. The store may be down at start: it is prepared in the background
 * meanwhile and the writer retries.
 */
import { join } from 'node:path';
import type { DeadLetters } from '../domain/dead-letters';
import type { Logger } from '../logger';
import { BatchWriter } from './batch-writer';
import { SqliteTelemetryStore } from './embedded/sqlite-telemetry-store';
import { InfluxTelemetryStore } from './influx/influx-telemetry-store';
import { influxRetentionOf } from './influx/influx-retention';
import { ReadingSpool } from './spool/reading-spool';
import { SpoolAlarm } from './spool/spool-alarm';
import type { TelemetryRecordReader, TelemetryStore } from './telemetry-store';
import type { RetentionConfig } from '../domain/retention';
import { RetentionPruner } from './retention-pruner';

export interface TelemetryConfig {
  dataDir: string;
  influx: {
    url: string;
    db: string;
    token: string;
    username: string;
    password: string;
    timeoutMs: number;
    createDb: boolean;
    batchSize: number;
    flushIntervalMs: number;
    concurrency: number;
  };
  spool: { segmentMb: number; maxMb: number; syncIntervalMs: number; maxDepthWhileUp: number; alarmDepth: number };
  ingest: { maxBufferedReadings: number };
  retention: RetentionConfig;
}

/** What the stage hands on, built before it (one-way: nothing registers on the stage afterwards). */
export interface TelemetryPorts {
  /** Where a reading the store refused for good goes (the ingest's dead-letter port). */
  deadLetters: Pick<DeadLetters, 'storeRefused'>;
  /** Hears the duration of each successful store write (the metrics' histogram). */
  observeWrite(seconds: number): void;
  /** The clock the pruner cuts off by (tests drive it); default Date.now. */
  now?: () => number;
}

export interface TelemetryModule {
  /** The store, which also reads whole records back (reports, compliance). */
  store: TelemetryStore & TelemetryRecordReader;
  spool: ReadingSpool;
  writer: BatchWriter;
  spoolAlarm: SpoolAlarm;
  /** Deletes real-time and minute data past their periods (SQLite; on InfluxDB what an upgrade left in the default policy). */
  pruner: RetentionPruner;
  /** Drains the writer, closes the spool and the store. */
  stop(): Promise<void>;
}

/** Prepares the store; if it is unreachable, keeps trying in the background (writes retry meanwhile). */
async function initStore(telemetry: TelemetryStore, log: Logger): Promise<NodeJS.Timeout | null> {
  const ready = () => {
    log.info({ store: telemetry.name }, 'telemetry store ready');
    if (telemetry instanceof InfluxTelemetryStore) for (const w of telemetry.initWarnings) log.warn(`retention: ${w}`);
  };
  try {
    await telemetry.init();
    ready();
    return null;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'telemetry store not ready; retrying every 5 s');
    const timer: NodeJS.Timeout = setInterval(() => {
      telemetry.init().then(
        () => (clearInterval(timer), ready()),
        (e: Error) => log.debug({ err: e.message }, 'telemetry store still not ready'),
      );
    }, 5_000);
    return timer;
  }
}

export async function startTelemetry(config: TelemetryConfig, log: Logger, ports: TelemetryPorts): Promise<TelemetryModule> {
  const { influx, spool: sp } = config;
  const influxStore = influx.url
    ? new InfluxTelemetryStore({
        url: influx.url,
        db: influx.db,
        token: influx.token,
        username: influx.username,
        password: influx.password,
        timeoutMs: influx.timeoutMs,
        createDb: influx.createDb,
        retention: influxRetentionOf(config.retention),
      })
    : null;
  const store = influxStore ?? new SqliteTelemetryStore(join(config.dataDir, 'telemetry.db'));
  const initTimer = await initStore(store, log);
  const pruner = new RetentionPruner({
    target: store instanceof InfluxTelemetryStore ? { legacy: store.retention } : { sliced: store },
    retention: config.retention,
    now: ports.now ?? Date.now,
    log: log.child({ module: 'retention' }),
  });
  pruner.start();
  const spool = ReadingSpool.open(
    {
      dir: join(config.dataDir, 'spool'),
      segmentBytes: sp.segmentMb * 1024 * 1024,
      maxBytes: sp.maxMb * 1024 * 1024,
      syncIntervalMs: sp.syncIntervalMs,
    },
    log.child({ module: 'spool' }),
  );
  const writer = new BatchWriter(
    store,
    {
      batchSize: influx.batchSize,
      flushIntervalMs: influx.flushIntervalMs,
      concurrency: influx.concurrency,
      maxBuffered: config.ingest.maxBufferedReadings,
      maxSpooledWhileUp: sp.maxDepthWhileUp,
    },
    log.child({ module: 'writer' }),
    { spool, deadLetters: ports.deadLetters, observeWrite: (s) => ports.observeWrite(s) },
  );
  writer.resume(); // what a crash or an outage left in the spool goes first
  const spoolAlarm = new SpoolAlarm(spool, sp.alarmDepth, log.child({ module: 'spool' }));
  return {
    store,
    spool,
    writer,
    spoolAlarm,
    pruner,
    async stop() {
      if (initTimer) clearInterval(initTimer);
      await pruner.stop();
      await writer.close();
      spoolAlarm.stop();
      spool.close();
      await store.close();
    },
  };
}
