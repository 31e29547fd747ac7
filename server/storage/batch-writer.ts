/**
 * Batches readings into store writes and never drops one because the store hiccuped: a failed
 * batch is retried with exponential backoff while new readings keep accumulating. Up to
 * `concurrency` batches are written at once; past `maxBuffered` readings, `ready()` tells the
 * producer (ingest) to stop taking messages until the backlog halves, so memory stays bounded.
 * Each write() resolves when its reading is durable in the store (one promise per batch).
 * Only a PermanentWriteError (the store refused the data itself) ends a batch unwritten.
 */
import type { Logger } from '../logger';
import type { Reading } from '../domain/reading';
import { deferred, type Deferred } from './deferred';
import { PermanentWriteError, type TelemetryStore } from './telemetry-store';

export interface BatchWriterOptions {
  batchSize: number;
  flushIntervalMs: number;
  /** Batches written at once (InfluxDB ingests concurrent writes faster than one after another). */
  concurrency?: number;
  /** Above this many buffered readings `ready()` holds producers back until half of it is written. */
  maxBuffered?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
}

interface Batch extends Deferred {
  readings: Reading[];
}

const newBatch = (): Batch => ({ readings: [], ...deferred() });

export interface BatchWriterStats {
  /** Readings waiting to be written (accumulating, sealed or being written). */
  buffered: number;
  written: number;
  retries: number;
  refused: number;
  lastError: string | null;
}

export class BatchWriter {
  private current: Batch | null = null;
  private readonly sealed: Batch[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  private closed = false;
  private readonly concurrency: number;
  private readonly maxBuffered: number;
  readonly stats: BatchWriterStats = { buffered: 0, written: 0, retries: 0, refused: 0, lastError: null };

  constructor(
    private readonly store: TelemetryStore,
    private readonly opts: BatchWriterOptions,
    private readonly log: Logger,
  ) {
    this.concurrency = opts.concurrency ?? 2;
    this.maxBuffered = opts.maxBuffered ?? Number.POSITIVE_INFINITY;
  }

  /** Queues a reading; resolves once it is durable in the store. */
  write(reading: Reading): Promise<void> {
    if (this.closed) return Promise.reject(new Error('batch writer is closed'));
    const batch = (this.current ??= newBatch());
    if (batch.readings.length === 0) this.timer = setTimeout(() => this.seal(), this.opts.flushIntervalMs);
    batch.readings.push(reading);
    this.stats.buffered++;
    if (batch.readings.length >= this.opts.batchSize) this.seal();
    return batch.promise;
  }

  /** null while there is room; else a promise that resolves once the backlog is down to half. */
  ready(): Promise<void> | null {
    if (this.stats.buffered < this.maxBuffered) return null;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Writes everything queued so far; resolves when it is durable (or refused). */
  async flush(): Promise<void> {
    this.seal();
    if (this.inFlight === 0 && this.sealed.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Flushes, then refuses further writes. Gives up retrying after `deadlineMs`. */
  async close(deadlineMs = 10_000): Promise<void> {
    const timeout = new Promise<'timeout'>((res) => setTimeout(res, deadlineMs, 'timeout').unref());
    const result = await Promise.race([this.flush().then(() => 'done' as const), timeout]);
    this.closed = true;
    if (result === 'timeout') this.log.error({ buffered: this.stats.buffered }, 'store unavailable at shutdown: buffered readings not written');
  }

  private seal(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.current && this.current.readings.length > 0) this.sealed.push(this.current);
    this.current = null;
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.sealed.length > 0) {
      const batch = this.sealed.shift() as Batch;
      this.inFlight++;
      void this.writeUntilDone(batch).finally(() => {
        this.inFlight--;
        this.stats.buffered -= batch.readings.length;
        this.wakeWaiters();
        this.pump();
      });
    }
  }

  private wakeWaiters(): void {
    if (this.stats.buffered <= this.maxBuffered / 2 && this.roomWaiters.length > 0) {
      const waiters = this.roomWaiters;
      this.roomWaiters = [];
      for (const w of waiters) w();
    }
    if (this.inFlight === 0 && this.sealed.length === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Writes one batch, retrying with backoff until it is durable or refused for good. */
  private async writeUntilDone(batch: Batch): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.write(batch.readings);
        this.stats.written += batch.readings.length;
        batch.resolve();
        return;
      } catch (err) {
        const error = err as Error;
        this.stats.lastError = error.message;
        if (err instanceof PermanentWriteError || this.closed) {
          this.stats.refused += batch.readings.length;
          this.log.error({ err: error, readings: batch.readings.length }, 'store refused a batch');
          batch.reject(error);
          return;
        }
        this.stats.retries++;
        const delay = Math.min(this.opts.retryMaxMs ?? 5_000, (this.opts.retryMinMs ?? 100) * 2 ** Math.min(attempt - 1, 16));
        this.log.warn({ err: error.message, attempt, delayMs: delay, buffered: this.stats.buffered }, 'store write failed; retrying');
        await new Promise((res) => setTimeout(res, delay));
      }
    }
  }
}
