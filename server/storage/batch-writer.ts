/**
 * Batches readings into store writes and never drops one because the store hiccuped: a failed
 * batch is retried with exponential backoff while new readings keep accumulating.
 *
 * `write(reading)` resolves once the reading is durable. With a spool, that is when the spool's
 * group write that holds it is done (the same turn of the event loop); the reading is queued for
 * the store at once. The writer keeps up to `maxBuffered`
 * readings in memory; past that it *spills*: it stops holding new ones and later reads them back
 * from the spool in order, so a long store outage costs disk, not memory. Once a run of batches
 * is in the store, the spool checkpoint moves past it. While the spool cannot write (disk error),
 * the promise resolves when the store has it, and `ready()` holds producers back above
 * `maxBuffered`. With a full spool, `ready()` holds them back until commits free room.
 *
 * A batch the store refuses for good (PermanentWriteError) is split in halves until the poison
 * readings are isolated; those go to the dead letters (`deadLetters.storeRefused`), the rest are written.
 */
import type { DeadLetters } from '../domain/dead-letters';
import type { Reading } from '../domain/reading';
import type { Logger } from '../logger';
import { deferred, type Deferred } from './deferred';
import { LinesBuffer } from './lines-buffer';
import { readingOf } from './reading-codec';
import type { ReadingSpool } from './spool/reading-spool';
import { PermanentWriteError, type TelemetryStore } from './telemetry-store';

/** A written batch's buffer is kept for the next one up to this size. */
const MAX_SPARE_BYTES = 4 << 20;

export interface BatchWriterOptions {
  batchSize: number;
  flushIntervalMs: number;
  /** Batches written at once (InfluxDB ingests concurrent writes faster than one after another). */
  concurrency?: number;
  /** Readings held in memory; spooled ones beyond it are read back from the spool later. */
  maxBuffered?: number;
  /**
   * While the store is up and writes succeed, at most this many readings wait in the spool; past
   * it, `ready()` holds producers back (the broker queues) instead of taking faster than the store
   * can be written — spooling further would only trade CPU for disk. During an outage the spool
   * takes everything up to its size.
   */
  maxSpooledWhileUp?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
}

export interface BatchWriterHooks {
  spool?: ReadingSpool;
  /** Where a reading the store refused for good goes (after isolating it from its batch). */
  deadLetters?: Pick<DeadLetters, 'storeRefused'>;
  /** Duration of each successful store write. */
  observeWrite?: (seconds: number, readings: number) => void;
}

interface Batch extends Deferred {
  /** The readings as the store encodes them: their bytes, not the readings' objects nor their strings, wait here. */
  lines: LinesBuffer;
  /** Highest spool seq in the batch (null: no spooled reading). */
  maxSeq: number | null;
}

/** Batches in seal order; the checkpoint moves over a prefix of finished ones. */
interface LedgerEntry {
  maxSeq: number;
  done: boolean;
}

export interface BatchWriterStats {
  /** Readings held in memory waiting to be written (accumulating, sealed or being written). */
  buffered: number;
  written: number;
  retries: number;
  refused: number;
  /** Times the memory buffer filled and readings were left in the spool to be read back. */
  spills: number;
  lastError: string | null;
}

export class BatchWriter {
  private current: Batch | null = null;
  private readonly sealed: Batch[] = [];
  private readonly ledger: LedgerEntry[] = [];
  private readonly ledgerOf = new WeakMap<Batch, LedgerEntry>();
  /** While spilling: the next spool seq to read back. */
  private spillFrom: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  private spoolWaiters: (() => void)[] = [];
  /** The last store write failed (an outage): the spool may take everything. */
  private storeDown = false;
  private closed = false;
  /** Written batches' buffers, for the next ones (no fresh megabyte per batch for the GC to count). */
  private readonly spare: LinesBuffer[] = [];
  /** Bytes the last batch took: the next one starts that large. */
  private batchBytes = 64 * 1024;
  private readonly concurrency: number;
  private readonly maxBuffered: number;
  private readonly maxSpooledWhileUp: number;
  readonly stats: BatchWriterStats = { buffered: 0, written: 0, retries: 0, refused: 0, spills: 0, lastError: null };

  constructor(
    private readonly store: TelemetryStore,
    private readonly opts: BatchWriterOptions,
    private readonly log: Logger,
    private readonly hooks: BatchWriterHooks = {},
  ) {
    this.concurrency = opts.concurrency ?? 2;
    this.maxBuffered = opts.maxBuffered ?? Number.POSITIVE_INFINITY;
    this.maxSpooledWhileUp = opts.maxSpooledWhileUp ?? Number.POSITIVE_INFINITY;
  }

  /** Starts writing what the spool holds beyond its checkpoint (left by a crash or an outage). */
  resume(): void {
    const spool = this.hooks.spool;
    if (!spool || spool.depth === 0) return;
    this.log.info({ readings: spool.depth }, 'replaying the spool into the store');
    this.spillFrom = spool.committed + 1;
    this.pump();
  }

  /**
   * Hands a reading over; resolves once it is durable: at once when the spool took it (it is then
   * written to the store in the background), else when the store has it.
   */
  write(reading: Reading): Promise<void> {
    return this.writeEncoded(this.store.encode(reading));
  }

  /** `write` of a reading already encoded (a spool an earlier version left). */
  writeEncoded(line: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('batch writer is closed'));
    const spool = this.hooks.spool;
    if (spool && !spool.failing) {
      this.spoolAndQueue(line, spool);
      return spool.durable();
    }
    return this.add(line).promise;
  }

  /**
   * Readings wait for the store: batches queue for a write slot, or spilled readings wait in the
   * spool. Not so while the store keeps up with the intake (each batch written as it is sealed).
   */
  get behind(): boolean {
    return this.sealed.length > 0 || this.spillFrom !== null;
  }

  /** null when more can be taken; else resolves when there is room (spool or memory). */
  ready(): Promise<void> | null {
    const spool = this.hooks.spool;
    if (spool && !spool.failing) {
      if (spool.full) return spool.room();
      if (this.storeDown || spool.depth < this.maxSpooledWhileUp) return null;
      return new Promise((resolve) => this.spoolWaiters.push(resolve));
    }
    if (this.stats.buffered < this.maxBuffered) return null;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /**
   * Spools the line and, unless spilling, queues it for the store: encoded once, into its batch,
   * whose bytes of it the spool copies.
   */
  private spoolAndQueue(line: string, spool: ReadingSpool): void {
    const seq = spool.head + 1;
    if (this.spillFrom === null && this.stats.buffered >= this.maxBuffered) {
      this.seal(); // everything before `seq` is in batches, so the ledger stays in seq order
      this.spillFrom = seq;
      this.stats.spills++;
      this.log.warn({ buffered: this.stats.buffered, fromSeq: seq }, 'store behind: new readings wait in the spool');
    }
    if (this.spillFrom !== null) spool.append(line);
    else spool.appendEncoded(this.add(line, seq).lines.last);
  }

  /** Writes everything queued so far (spool backlog included); resolves when it is in the store. */
  async flush(): Promise<void> {
    this.seal();
    if (this.idle) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Flushes, then refuses further writes. Stops retrying after `deadlineMs`; spooled readings
   * not yet written stay in the spool for the next start. */
  async close(deadlineMs = 10_000): Promise<void> {
    const timeout = new Promise<'timeout'>((res) => setTimeout(res, deadlineMs, 'timeout').unref());
    const result = await Promise.race([this.flush().then(() => 'done' as const), timeout]);
    this.closed = true;
    if (result === 'timeout') {
      const spooled = this.hooks.spool?.depth ?? 0;
      this.log.error(
        { buffered: this.stats.buffered, spooled },
        'store unavailable at shutdown: spooled readings are written at the next start',
      );
    }
  }

  private get idle(): boolean {
    return this.inFlight === 0 && this.sealed.length === 0 && this.spillFrom === null && !this.current;
  }

  private newBatch(lines = this.spare.pop() ?? new LinesBuffer(this.batchBytes)): Batch {
    return { lines, maxSeq: null, ...deferred() };
  }

  private add(line: string, seq: number | null = null): Batch {
    const batch = (this.current ??= this.newBatch());
    if (batch.lines.count === 0) this.timer = setTimeout(() => this.seal(), this.opts.flushIntervalMs);
    batch.lines.push(line);
    if (seq !== null) batch.maxSeq = seq;
    this.stats.buffered++;
    if (batch.lines.count >= this.opts.batchSize) this.seal();
    return batch;
  }

  private seal(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.current && this.current.lines.count > 0) {
      this.batchBytes = Math.max(this.batchBytes, this.current.lines.bytes.length);
      this.enqueue(this.current);
    }
    this.current = null;
    this.pump();
  }

  private enqueue(batch: Batch): void {
    if (batch.maxSeq !== null) {
      const entry = { maxSeq: batch.maxSeq, done: false };
      this.ledger.push(entry);
      this.ledgerOf.set(batch, entry);
    }
    this.sealed.push(batch);
  }

  /** Reads the next run of spilled readings back from the spool. */
  private refill(): void {
    const spool = this.hooks.spool;
    if (this.spillFrom === null || !spool) return;
    const lines = spool.read(this.spillFrom, this.opts.batchSize);
    if (lines.length > 0) {
      const batch = this.newBatch(LinesBuffer.of(lines));
      batch.maxSeq = this.spillFrom + lines.length - 1;
      this.stats.buffered += lines.length;
      this.enqueue(batch);
      this.spillFrom += lines.length;
    }
    // Appends happen on this same thread, so nothing can slip in between the read and this check.
    if (this.spillFrom > spool.head) this.spillFrom = null;
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && !this.closed) {
      if (this.sealed.length === 0) this.refill();
      const batch = this.sealed.shift();
      if (!batch) break;
      this.inFlight++;
      void this.writeBatch(batch).finally(() => {
        this.inFlight--;
        this.stats.buffered -= batch.lines.count;
        if (this.spare.length < this.concurrency + 1) this.spare.push(batch.lines.reset(MAX_SPARE_BYTES));
        this.wakeWaiters();
        this.pump();
      });
    }
    this.wakeWaiters();
  }

  private async writeBatch(batch: Batch): Promise<void> {
    try {
      await this.writeDurably(batch.lines);
    } catch (err) {
      batch.reject(err as Error); // only when closed before the store came back
      return;
    }
    batch.resolve();
    const entry = this.ledgerOf.get(batch);
    if (entry) this.commit(entry);
  }

  /** Marks a batch done and moves the spool checkpoint over the finished prefix. */
  private commit(entry: LedgerEntry): void {
    entry.done = true;
    let upTo: number | null = null;
    while (this.ledger[0]?.done) upTo = (this.ledger.shift() as LedgerEntry).maxSeq;
    if (upTo !== null) this.hooks.spool?.commit(upTo);
  }

  private wakeWaiters(): void {
    if (this.stats.buffered <= this.maxBuffered / 2 && this.roomWaiters.length > 0) {
      const waiters = this.roomWaiters;
      this.roomWaiters = [];
      for (const w of waiters) w();
    }
    const spool = this.hooks.spool;
    if (this.spoolWaiters.length > 0 && (this.storeDown || !spool || spool.depth <= this.maxSpooledWhileUp / 2)) {
      const waiters = this.spoolWaiters;
      this.spoolWaiters = [];
      for (const w of waiters) w();
    }
    if (this.idle && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Writes readings, retrying with backoff until durable; isolates and reports poison readings. */
  private async writeDurably(lines: LinesBuffer): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        await this.store.writeEncoded(lines);
        this.hooks.observeWrite?.((performance.now() - started) / 1000, lines.count);
        this.stats.written += lines.count;
        this.storeDown = false;
        return;
      } catch (err) {
        const error = err as Error;
        this.stats.lastError = error.message;
        if (err instanceof PermanentWriteError) return this.isolate(lines, err);
        if (this.closed) throw new Error('batch writer closed before the store came back', { cause: err });
        this.stats.retries++;
        if (!this.storeDown) {
          this.storeDown = true;
          this.wakeWaiters(); // an outage: let the spool take what comes
        }
        const delay = Math.min(this.opts.retryMaxMs ?? 5_000, (this.opts.retryMinMs ?? 100) * 2 ** Math.min(attempt - 1, 16));
        this.log.warn({ err: error.message, attempt, delayMs: delay, buffered: this.stats.buffered }, 'store write failed; retrying');
        await new Promise((res) => setTimeout(res, delay));
      }
    }
  }

  private async isolate(batch: LinesBuffer, err: PermanentWriteError): Promise<void> {
    const lines = batch.lines();
    if (lines.length === 1) {
      const line = lines[0] as string;
      const poison = readingOf(line);
      this.stats.refused++;
      if (!poison) return this.log.error({ err, line: line.slice(0, 200) }, 'store refused a spooled line that holds no reading');
      this.log.error({ err, mn: poison.mn, cn: poison.cn, ts: poison.ts }, 'store refused a reading');
      this.hooks.deadLetters?.storeRefused(poison, err.message);
      return;
    }
    const mid = lines.length >> 1;
    await this.writeDurably(LinesBuffer.of(lines.slice(0, mid)));
    await this.writeDurably(LinesBuffer.of(lines.slice(mid)));
  }
}
