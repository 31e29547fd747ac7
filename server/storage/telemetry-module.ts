/**
 * The telemetry stage as app.ts builds it: the one InfluxDB-vs-SQLite choice of the telemetry store,
 * the spool, the batch writer that drains into the store (what a crash or an outage left in the spool
 * goes first) and the spool alarm. The store may be down at start: it is prepared in the background
 * meanwhile and the writer retries.
 *
 * Where a reading becomes durable (what its PUBACK or 9014 waits for) is the caller's choice:
 * `spool` (the one process, `npm start`: the local write-ahead spool) or `store` (an ingest worker:
 * the store's write, the broker keeping the reading until then; no spool, so nothing acknowledged
 * is stranded on a worker's disk — server/ingest-role.ts).
 */
import { join } from 'node:path';
import type { DeadLetters } from '../domain/dead-letters';
import type { Logger } from '../logger';
import { BatchWriter } from './batch-writer';
import { SqliteTelemetryStore } from './embedded/sqlite-telemetry-store';
import { InfluxTelemetryStore } from './influx/influx-telemetry-store';
import { influxRetentionOf } from './influx/influx-retention';
import { drainLeftoverSpool } from './spool/leftover-spool';
import { ReadingSpool, type SpoolOptions } from './spool/reading-spool';
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

/** Where a reading is durable: in the local spool, or only once the store has it. */
export type Durability = 'spool' | 'store';

/** The spool's figures (/healthz, /metrics); all zero without a spool. */
export type SpoolFigures = Pick<ReadingSpool, 'depth' | 'bytes' | 'full'>;

const NO_SPOOL: SpoolFigures = { depth: 0, bytes: 0, full: false };

export interface TelemetryModule {
  /** The store, which also reads whole records back (reports, compliance). */
  store: TelemetryStore & TelemetryRecordReader;
  durability: Durability;
  spool: SpoolFigures;
  writer: BatchWriter;
  spoolAlarm: Pick<SpoolAlarm, 'alarming'>;
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

export async function startTelemetry(
  config: TelemetryConfig,
  log: Logger,
  ports: TelemetryPorts,
  durability: Durability = 'spool',
): Promise<TelemetryModule> {
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
  const spoolOptions: SpoolOptions = {
    dir: join(config.dataDir, 'spool'),
    segmentBytes: sp.segmentMb * 1024 * 1024,
    maxBytes: sp.maxMb * 1024 * 1024,
    syncIntervalMs: sp.syncIntervalMs,
  };
  const spool = durability === 'spool' ? ReadingSpool.open(spoolOptions, log.child({ module: 'spool' })) : null;
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
    { ...(spool ? { spool } : {}), deadLetters: ports.deadLetters, observeWrite: (s) => ports.observeWrite(s) },
  );
  writer.resume(); // what a crash or an outage left in the spool goes first
  // Without a spool, what one left in the data dir (an earlier version acknowledged on spooling) is
  // written beside the new readings (a point is keyed by series and instant: order does not matter).
  const leftover = spool
    ? Promise.resolve(0)
    : drainLeftoverSpool(spoolOptions, writer, influx.batchSize, log.child({ module: 'spool' })).catch((err: Error) => {
        log.error({ err: err.message }, 'the earlier spool was not all written: the rest is written at the next start');
        return 0;
      });
  const spoolAlarm = spool ? new SpoolAlarm(spool, sp.alarmDepth, log.child({ module: 'spool' })) : null;
  return {
    store,
    durability,
    spool: spool ?? NO_SPOOL,
    writer,
    spoolAlarm: spoolAlarm ?? { alarming: false },
    pruner,
    async stop() {
      if (initTimer) clearInterval(initTimer);
      await pruner.stop();
      await writer.close();
      await leftover;
      spoolAlarm?.stop();
      spool?.close();
      await store.close();
    },
  };
}
