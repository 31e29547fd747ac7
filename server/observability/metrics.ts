/**
 * `/metrics` in the Prometheus text format (prom-client), one registry per app (no globals).
 * Most figures already live in the modules' own counters (IngestStats, writer stats, the spool);
 * they are read at scrape time, so the hot path pays nothing for metrics.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestHandler } from 'express';
import type { IngestStats } from '../ingest/ingest-stats';
import type { Hj212Stats } from '../ingest/hj212/hj212-stats';
import type { BatchWriterStats } from '../storage/batch-writer';
import type { SpoolFigures } from '../storage/telemetry-module';
import type { RollupStats } from '../reports/continuous-rollup';

/**
 * Seconds per successful store write (batch): built before the telemetry stage, whose writer
 * observes it, and registered by Metrics.
 */
export function writeDurationHistogram(): Histogram {
  return new Histogram({
    name: 'o3s_store_write_duration_seconds',
    help: 'Duration of a successful batch write to the telemetry store',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [],
  });
}

export interface MetricSources {
  ingest: IngestStats;
  hj212: Hj212Stats;
  writer: BatchWriterStats;
  /** All zero on an ingest worker, which keeps no spool. */
  spool: SpoolFigures;
  /** writeDurationHistogram(), observed by the writer. */
  writeSeconds: Histogram;
  /** The ingest client is connected to the broker (absent: this process has no intake, `--role web`). */
  brokerConnected?: () => boolean;
  /** Messages an external broker reported dropping while the server watched it. */
  brokerDropped?: () => number;
  openAlerts: () => number;
  realtimeClients: () => number;
  /** The reports' hourly rollup: hours written as they close, late recomputes, memory held. */
  rollup?: () => RollupStats;
  /** An ingest worker's partitions (`--role ingest`): held now, acquisitions since start, hand-overs (drained or not). */
  partitions?: () => { owned: number; epochChanges: number; drains: { drained: number; fallback: number } };
  /** Refusals at the other doors (embedded broker, socket.io, sign-in), by door and reason: ever-growing counts. */
  refusals?: () => Record<string, Record<string, number>>;
}

/** A Prometheus counter that mirrors a module's own ever-growing count. */
export function mirroredCounter(registry: Registry, name: string, help: string, read: () => number): void {
  let last = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > last) this.inc(now - last);
      last = now;
    },
  });
}

export class Metrics {
  readonly registry = new Registry();

  constructor(sources: MetricSources) {
    const r = this.registry;
    collectDefaultMetrics({ register: r, prefix: 'o3s_' });
    r.registerMetric(sources.writeSeconds);
    mirroredCounter(r, 'o3s_ingest_accepted_total', 'MQTT JSON messages accepted', () => sources.ingest.accepted);
    mirroredCounter(r, 'o3s_hj212_readings_total', 'HJ 212 readings accepted (TCP and MQTT)', () => sources.hj212.readings);
    mirroredCounter(
      r,
      'o3s_broker_dropped_total',
      'Messages the external broker reported dropping (acknowledged to loggers, never delivered to ingest)',
      () => sources.brokerDropped?.() ?? 0,
    );
    mirroredCounter(
      r,
      'o3s_ingest_backpressure_waits_total',
      'Times ingest paused for the spool or the store',
      () => sources.ingest.backpressureWaits,
    );
    mirroredCounter(r, 'o3s_store_written_total', 'Readings written to the telemetry store', () => sources.writer.written);
    mirroredCounter(r, 'o3s_store_write_retries_total', 'Failed store writes that were retried', () => sources.writer.retries);
    mirroredCounter(r, 'o3s_store_refused_total', 'Readings the store refused for good (dead-lettered)', () => sources.writer.refused);
    mirroredCounter(
      r,
      'o3s_writer_spills_total',
      'Times the memory buffer filled and readings waited in the spool only',
      () => sources.writer.spills,
    );
    const seen = new Map<string, number>();
    new Counter({
      name: 'o3s_ingest_rejected_total',
      help: 'Messages and frames rejected, by transport and reason',
      labelNames: ['transport', 'reason'],
      registers: [r],
      collect() {
        const mirror = (transport: string, counts: Record<string, number>) => {
          for (const [reason, n] of Object.entries(counts)) {
            const key = `${transport}|${reason}`;
            this.inc({ transport, reason }, n - (seen.get(key) ?? 0));
            seen.set(key, n);
          }
        };
        mirror('mqtt', sources.ingest.rejected);
        mirror('hj212', sources.hj212.rejected);
      },
    });
    const seenRefusals = new Map<string, number>();
    new Counter({
      name: 'o3s_refused_total',
      help: 'Refusals at the embedded broker, socket.io and sign-in, by door and reason',
      labelNames: ['door', 'reason'],
      registers: [r],
      collect() {
        for (const [door, counts] of Object.entries(sources.refusals?.() ?? {})) {
          for (const [reason, n] of Object.entries(counts)) {
            const key = `${door}|${reason}`;
            if (n > (seenRefusals.get(key) ?? 0)) this.inc({ door, reason }, n - (seenRefusals.get(key) ?? 0));
            seenRefusals.set(key, n);
          }
        }
      },
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [r],
        collect() {
          this.set(read());
        },
      });
    gauge('o3s_spool_depth', 'Readings in the write-ahead spool not yet in the store', () => sources.spool.depth);
    gauge('o3s_spool_bytes', 'Bytes of spool segments on disk', () => sources.spool.bytes);
    gauge('o3s_writer_buffered', 'Readings held in memory waiting for the store', () => sources.writer.buffered);
    const { brokerConnected } = sources;
    if (brokerConnected)
      gauge('o3s_broker_connected', '1 when the ingest client is connected to the broker', () => (brokerConnected() ? 1 : 0));
    gauge('o3s_alerts_open', 'Alerts currently open', sources.openAlerts);
    const { partitions } = sources;
    if (partitions) {
      gauge('o3s_partitions_owned', 'Partitions this ingest worker holds (their leases and broker sessions)', () => partitions().owned);
      gauge('o3s_partition_epoch_changes', 'Partitions this ingest worker acquired since it started (each raised an epoch)', () => {
        return partitions().epochChanges;
      });
      const seenDrains = { drained: 0, fallback: 0 };
      new Counter({
        name: 'o3s_partition_drains_total',
        help: 'Partitions this worker gave up alive: drained (what it took acknowledged) or fallback (closed at once: bound passed, broker lost)',
        labelNames: ['outcome'],
        registers: [r],
        collect() {
          const now = partitions().drains;
          for (const outcome of ['drained', 'fallback'] as const) {
            this.inc({ outcome }, now[outcome] - seenDrains[outcome]);
            seenDrains[outcome] = now[outcome];
          }
        },
      });
    }
    gauge('o3s_realtime_clients', 'Dashboards connected over socket.io', sources.realtimeClients);
    const rollup = () => sources.rollup?.();
    mirroredCounter(
      r,
      'o3s_rollup_hours_written_total',
      'Source-hours written to the hourly rollup as hours closed',
      () => rollup()?.hoursWritten ?? 0,
    );
    mirroredCounter(
      r,
      'o3s_rollup_hours_from_raw_total',
      'Of the source-hours written as hours closed, those computed from the raw records (out of order, running at start)',
      () => rollup()?.hoursFromRaw ?? 0,
    );
    mirroredCounter(
      r,
      'o3s_rollup_late_recomputes_total',
      'Source-hours recomputed because late data reached them',
      () => rollup()?.lateRecomputes ?? 0,
    );
    gauge('o3s_rollup_memory_entries', 'Open source-hours held in memory by the hourly rollup', () => rollup()?.memoryEntries ?? 0);
    gauge('o3s_rollup_memory_numbers', 'Numbers held in the open source-hours state (8 bytes each)', () => rollup()?.memoryNumbers ?? 0);
    gauge('o3s_rollup_late_queued', 'Source-hours waiting for their late-data recompute', () => rollup()?.lateQueued ?? 0);
    gauge('o3s_hj212_connections', 'Open HJ 212 TCP connections', () => sources.hj212.connections.open);
  }

  /** GET /metrics; with a token configured, only `Authorization: Bearer <token>` may scrape. */
  handler(token: string): RequestHandler {
    return async (req, res) => {
      if (token && req.get('authorization') !== `Bearer ${token}`) {
        res.status(401).json({ error: 'unauthenticated' });
        return;
      }
      res.type(this.registry.contentType).send(await this.registry.metrics());
    };
  }
}
