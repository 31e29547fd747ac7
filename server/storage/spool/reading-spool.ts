/**
 * The write-ahead spool: every accepted reading is appended here before its MQTT PUBACK or HJ 212
 * reply goes out, and stays until the store has it. Readings are numbered (seq) in arrival order;
 * the writer commits the highest seq below which everything is in the store, and segments wholly
 * below it are deleted. On start, whatever is above the checkpoint is replayed.
 *
 * Group commit: `append` numbers the reading and puts its line's bytes in the group (the batch
 * writer's own bytes, copied: a line is encoded once); the lines appended while the event loop
 * turns are written with one write(2) (`durable()` resolves then), so a burst of messages costs
 * one system call, not one each. Once written they are in the page cache, so a killed
 * process loses nothing; fdatasync runs every `syncIntervalMs` (a power cut can lose at most that
 * window — documented in the README).
 *
 * Layout in `dir`: segment files `<first seq, 16 digits>.wal` holding one reading per line as the
 * store encodes it (line protocol or JSON: reading-codec.ts; an older spool's JSON is read too),
 * and `checkpoint.json` ({committed}) replaced atomically.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deferred, type Deferred } from '../deferred';
import { LinesBuffer } from '../lines-buffer';
import type { Logger } from '../../logger';

export interface SpoolOptions {
  dir: string;
  /** A new segment starts past this size. */
  segmentBytes: number;
  /** Above this many bytes not yet committed, `full` is true (ingest stops taking messages). */
  maxBytes: number;
  /** fdatasync period; 0 = never (tests). */
  syncIntervalMs: number;
}

interface Segment {
  firstSeq: number;
  path: string;
  bytes: number;
}

const DONE: Promise<void> = Promise.resolve();
const SEGMENT_RE = /^(\d{16})\.wal$/;
const NL = 0x0a;
const CHUNK = 1 << 20;
/** A group write's buffer is kept for the next one up to this size (a burst's larger one is let go). */
const MAX_KEPT_OUT_BYTES = 1 << 20;
/** The checkpoint file follows the commits this much later at most. */
const CHECKPOINT_MS = 250;

/** Where the reader left off, so reading back a long backlog never rescans a segment. */
interface Cursor {
  seq: number;
  segment: number;
  offset: number;
}

export class ReadingSpool {
  private readonly segments: Segment[] = [];
  private fd: number;
  private headSeq: number;
  /** The last seq written to the segment files (≤ headSeq; the rest are queued lines). */
  private writtenSeq: number;
  /** The lines appended and not yet written, as the bytes to write. */
  private readonly pending = new LinesBuffer();
  private group: Deferred | null = null;
  private failure: Error | null = null;
  private committedSeq: number;
  /** The seq the checkpoint file holds. */
  private savedSeq: number;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private dirty = false;
  private cursor: Cursor | null = null;
  private roomWaiters: (() => void)[] = [];
  /** One buffer for reading back (no fresh megabyte per batch). */
  private readonly readBuffer = Buffer.allocUnsafe(CHUNK);
  private readonly syncTimer: NodeJS.Timeout | null;

  private constructor(
    private readonly opts: SpoolOptions,
    private readonly log: Logger,
  ) {
    mkdirSync(opts.dir, { recursive: true });
    this.committedSeq = this.readCheckpoint();
    this.savedSeq = this.committedSeq;
    for (const name of readdirSync(opts.dir).sort()) {
      const m = SEGMENT_RE.exec(name);
      if (m) this.segments.push({ firstSeq: Number(m[1]), path: join(opts.dir, name), bytes: statSync(join(opts.dir, name)).size });
    }
    const last = this.segments.at(-1);
    if (!last) {
      this.headSeq = this.committedSeq;
      this.writtenSeq = this.headSeq;
      this.fd = this.openSegment(this.committedSeq + 1);
    } else {
      this.fd = openSync(last.path, 'r+');
      this.headSeq = last.firstSeq - 1 + this.countCompleteLines(last);
      this.writtenSeq = this.headSeq;
    }
    this.dropCommittedSegments();
    this.syncTimer = opts.syncIntervalMs > 0 ? setInterval(() => this.sync(), opts.syncIntervalMs).unref() : null;
  }

  static open(opts: SpoolOptions, log: Logger): ReadingSpool {
    return new ReadingSpool(opts, log);
  }

  /** The last seq appended (0 when nothing ever was). */
  get head(): number {
    return this.headSeq;
  }

  /** Everything up to this seq is in the store. */
  get committed(): number {
    return this.committedSeq;
  }

  /** Readings spooled and not yet in the store. */
  get depth(): number {
    return this.headSeq - this.committedSeq;
  }

  /** Bytes on disk in segments not yet deleted. */
  get bytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.bytes;
    return total;
  }

  get full(): boolean {
    return this.bytes >= this.opts.maxBytes;
  }

  /** Resolves once commits bring the spool below maxBytes. */
  room(): Promise<void> {
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Numbers a reading (its line, as the store encodes it) and queues it for the next group write; returns its seq. */
  append(line: string): number {
    this.pending.push(line);
    return this.appended();
  }

  /** `append` of a line already encoded: its bytes, newline included (copied). */
  appendEncoded(line: Buffer): number {
    this.pending.pushEncoded(line);
    return this.appended();
  }

  private appended(): number {
    if (!this.group) {
      this.group = deferred();
      setImmediate(() => this.writeQueued());
    }
    return ++this.headSeq;
  }

  /** Resolves once everything appended so far is written (rejects if the disk refused it). */
  durable(): Promise<void> {
    return this.group?.promise ?? DONE;
  }

  /** Set after a failed group write: appends are not durable until one succeeds again. */
  get failing(): Error | null {
    return this.failure;
  }

  /** Writes the queued lines (one write(2), more only if short) and settles their group. */
  writeQueued(): void {
    const group = this.group;
    this.group = null;
    const lines = this.pending.count;
    if (lines === 0) {
      group?.resolve();
      return;
    }
    try {
      let seg = this.segments.at(-1) as Segment;
      if (seg.bytes >= this.opts.segmentBytes) {
        this.sync();
        closeSync(this.fd);
        this.fd = this.openSegment(this.writtenSeq + 1);
        seg = this.segments.at(-1) as Segment;
      }
      const bytes = this.pending.bytes;
      for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at, bytes.length - at, seg.bytes + at);
      seg.bytes += bytes.length;
      this.writtenSeq += lines;
      this.pending.reset(MAX_KEPT_OUT_BYTES);
      this.dirty = true;
      this.failure = null;
      group?.resolve();
    } catch (err) {
      // Not durable: their messages get no acknowledgement (the broker sends them again). The lines
      // stay pending, in seq order, and are retried; meanwhile the writer acknowledges only what the
      // store has (see `failing`).
      if (!this.failure) this.log.error({ err, readings: lines }, 'spool write failed; retrying every second');
      this.failure = err as Error;
      setTimeout(() => this.writeQueued(), 1_000).unref();
      group?.reject(err as Error);
    }
  }

  /** Up to `max` readings' lines from `fromSeq` on, in order (fewer at the head). */
  read(fromSeq: number, max: number): string[] {
    this.writeQueued();
    if (fromSeq > this.headSeq || max <= 0) return [];
    const cursor = this.cursor?.seq === fromSeq ? this.cursor : this.seek(fromSeq);
    const out: string[] = [];
    let { segment, offset, seq } = cursor;
    while (out.length < max && seq <= this.headSeq && segment < this.segments.length) {
      const seg = this.segments[segment] as Segment;
      const lines = this.readLines(seg, offset, max - out.length);
      for (const l of lines.items) out.push(l);
      seq += lines.items.length;
      offset = lines.nextOffset;
      if (lines.items.length === 0 || offset >= seg.bytes) {
        if (segment === this.segments.length - 1) break;
        segment++;
        offset = 0;
      }
    }
    this.cursor = { seq, segment, offset };
    return out;
  }

  /**
   * Marks everything up to `seq` as stored; deletes segments wholly below it. The checkpoint file
   * follows within CHECKPOINT_MS (at once when a segment is deleted, so it never points below the
   * oldest one): a crash meanwhile replays those readings again, which the store keeps once. Saved on
   * every commit, its write and rename were 1 % of the server's CPU under a saturated ingest.
   */
  commit(seq: number): void {
    if (seq <= this.committedSeq) return;
    this.committedSeq = Math.min(seq, this.headSeq);
    if (this.segments.length > 1 && (this.segments[1] as Segment).firstSeq - 1 <= this.committedSeq) {
      this.saveCheckpoint();
      this.dropCommittedSegments();
    } else this.checkpointTimer ??= setTimeout(() => this.saveCheckpoint(), CHECKPOINT_MS).unref();
    if (!this.full && this.roomWaiters.length > 0) for (const w of this.roomWaiters.splice(0)) w();
  }

  /** Writes the checkpoint file (replaced atomically) if it is behind. */
  private saveCheckpoint(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    if (this.savedSeq === this.committedSeq) return;
    const tmp = join(this.opts.dir, 'checkpoint.json.tmp');
    writeFileSync(tmp, JSON.stringify({ committed: this.committedSeq }));
    renameSync(tmp, join(this.opts.dir, 'checkpoint.json'));
    this.savedSeq = this.committedSeq;
  }

  sync(): void {
    if (!this.dirty) return;
    this.dirty = false;
    try {
      fdatasyncSync(this.fd);
    } catch (err) {
      this.log.error({ err }, 'spool fdatasync failed');
    }
  }

  close(): void {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.saveCheckpoint();
    this.writeQueued();
    this.sync();
    closeSync(this.fd);
  }

  private readCheckpoint(): number {
    const path = join(this.opts.dir, 'checkpoint.json');
    if (!existsSync(path)) return 0;
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { committed?: unknown };
    if (typeof parsed.committed !== 'number' || !Number.isInteger(parsed.committed) || parsed.committed < 0) {
      throw new Error(`spool checkpoint ${path} is corrupt`);
    }
    return parsed.committed;
  }

  private openSegment(firstSeq: number): number {
    const path = join(this.opts.dir, `${String(firstSeq).padStart(16, '0')}.wal`);
    const fd = openSync(path, 'a+');
    this.segments.push({ firstSeq, path, bytes: fstatSync(fd).size });
    return fd;
  }

  /** Counts whole lines of the last segment and cuts off a torn final line left by a crash. */
  private countCompleteLines(seg: Segment): number {
    const buf = Buffer.allocUnsafe(CHUNK);
    let count = 0;
    let lastNl = -1;
    for (let pos = 0; pos < seg.bytes;) {
      const n = readSync(this.fd, buf, 0, Math.min(CHUNK, seg.bytes - pos), pos);
      for (let i = buf.indexOf(NL, 0); i !== -1 && i < n; i = buf.indexOf(NL, i + 1)) {
        count++;
        lastNl = pos + i;
      }
      pos += n;
    }
    if (lastNl + 1 < seg.bytes) {
      this.log.warn({ segment: seg.path, bytes: seg.bytes - lastNl - 1 }, 'spool: torn last record dropped (it was never acknowledged)');
      ftruncateSync(this.fd, lastNl + 1);
      seg.bytes = lastNl + 1;
    }
    return count;
  }

  private seek(seq: number): Cursor {
    let segment = 0;
    while (segment + 1 < this.segments.length && (this.segments[segment + 1] as Segment).firstSeq <= seq) segment++;
    const seg = this.segments[segment] as Segment;
    let offset = 0;
    for (let skip = seq - seg.firstSeq; skip > 0;) {
      const lines = this.readLines(seg, offset, skip);
      if (lines.items.length === 0) break;
      skip -= lines.items.length;
      offset = lines.nextOffset;
    }
    return { seq, segment, offset };
  }

  private readLines(seg: Segment, offset: number, max: number): { items: string[]; nextOffset: number } {
    const fd = seg === this.segments.at(-1) ? this.fd : openSync(seg.path, 'r');
    try {
      const items: string[] = [];
      let pos = offset;
      let carry = '';
      while (items.length < max && pos < seg.bytes) {
        const buf = this.readBuffer.subarray(0, Math.min(CHUNK, seg.bytes - pos));
        const n = readSync(fd, buf, 0, buf.length, pos);
        let start = 0;
        for (let i = buf.indexOf(NL, 0); i !== -1 && i < n && items.length < max; i = buf.indexOf(NL, start)) {
          items.push(carry + buf.toString('utf8', start, i));
          carry = '';
          start = i + 1;
        }
        if (items.length >= max) return { items, nextOffset: pos + start };
        carry += buf.toString('utf8', start, n);
        pos += n;
      }
      return { items, nextOffset: pos - Buffer.byteLength(carry) };
    } finally {
      if (fd !== this.fd) closeSync(fd);
    }
  }

  private dropCommittedSegments(): void {
    while (this.segments.length > 1) {
      const next = this.segments[1] as Segment;
      if (next.firstSeq - 1 > this.committedSeq) break;
      const done = this.segments.shift() as Segment;
      unlinkSync(done.path);
      if (this.cursor) this.cursor = this.cursor.segment > 0 ? { ...this.cursor, segment: this.cursor.segment - 1 } : null;
    }
  }
}
