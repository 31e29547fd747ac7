/**
 * Cuts a byte stream (TCP chunks, an MQTT payload) into HJ 212 frames. It scans for `##`, reads the
 * 4-digit length, takes exactly that many bytes, then the 4 hex CRC, then skips an optional `\r\n`:
 * split by the length field, never by `\r\n`, so glued frames and frames split across chunks both
 * work. Whatever is not a frame is reported with a precise reason and the scan resynchronises on
 * the next `##`; a good frame is never lost because of a bad neighbour:
 *  - a failed candidate is rescanned from inside (a too-long length field swallows no frame);
 *  - while a candidate waits for bytes, a complete valid frame after it proves it was cut short.
 * The buffer holds at most one candidate (≤ 10,009 bytes, the 4-digit length's limit) plus a chunk.
 * Pure: Uint8Array only, no Node APIs.
 */
import { hj212Crc, readCrcField } from './crc';
import { MAX_SEGMENT_BYTES } from './encode';

export const ENVELOPE_REJECTIONS = ['garbage', 'bad_length', 'bad_crc'] as const;
export type EnvelopeRejection = (typeof ENVELOPE_REJECTIONS)[number];

export type ScanEvent =
  /** A frame whose length and CRC are right: `bytes` is `##…CRC` (without `\r\n`). */
  | { ok: true; bytes: Uint8Array; segment: Uint8Array }
  /** `bytes` are the refused bytes (garbage runs are kept up to `maxGarbageKept`). */
  | { ok: false; reason: EnvelopeRejection; detail: string; bytes: Uint8Array };

export interface ScannerOptions {
  /** Bytes of a garbage run kept for the archive (the count covers the whole run). Default 1024. */
  maxGarbageKept?: number;
}

const HASH = 0x23;
const CR = 0x0d;
const LF = 0x0a;
const HEADER = 6;
/** At most this many possible frame ends are CRC-checked when diagnosing a bad length. */
const MAX_END_PROBES = 4;

function lengthField(b: Uint8Array, at: number): number {
  let n = 0;
  for (let i = at; i < at + 4; i++) {
    const d = (b[i] as number) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

export class FrameScanner {
  private buf: Uint8Array;
  private start = 0;
  private end = 0;
  /** Where the lookahead for a waiting candidate resumes (absolute index into buf). */
  private lookAt = 0;
  private garbage: Uint8Array[] = [];
  private garbageKept = 0;
  private garbageTotal = 0;
  private readonly maxGarbageKept: number;

  constructor(opts: ScannerOptions = {}) {
    this.maxGarbageKept = opts.maxGarbageKept ?? 1024;
    this.buf = new Uint8Array(16 * 1024);
  }

  /** Bytes held while waiting for the rest of a frame. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Feeds a chunk; returns the frames and rejections it completed, in stream order. */
  push(chunk: Uint8Array): ScanEvent[] {
    this.append(chunk);
    const out: ScanEvent[] = [];
    this.drain(out, false);
    return out;
  }

  /** The stream ended: whatever is buffered is a truncated frame or garbage. */
  finish(): ScanEvent[] {
    const out: ScanEvent[] = [];
    this.drain(out, true);
    this.flushGarbage(out);
    this.start = this.end = this.lookAt = 0;
    return out;
  }

  private append(chunk: Uint8Array): void {
    const held = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      if (held + chunk.length > this.buf.length) {
        const bigger = new Uint8Array(Math.max(this.buf.length * 2, held + chunk.length));
        bigger.set(this.buf.subarray(this.start, this.end));
        this.buf = bigger;
      } else {
        this.buf.copyWithin(0, this.start, this.end);
      }
      this.lookAt = Math.max(0, this.lookAt - this.start);
      this.start = 0;
      this.end = held;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  private drain(out: ScanEvent[], final: boolean): void {
    const b = this.buf;
    const e = this.end;
    let p = this.start;
    while (p < e) {
      const c = b[p] as number;
      if (this.garbageTotal === 0 && (c === CR || c === LF)) {
        p++;
        continue;
      }
      if (c !== HASH) {
        let q = b.indexOf(HASH, p);
        if (q < 0 || q > e) q = e;
        this.addGarbage(p, q);
        p = q;
        continue;
      }
      if (p + 1 < e && b[p + 1] !== HASH) {
        this.addGarbage(p, p + 1);
        p++;
        continue;
      }
      if (p + HEADER > e) {
        if (!final) break;
        this.addGarbage(p, e);
        p = e;
        continue;
      }
      const n = lengthField(b, p + 2);
      if (n < 0) {
        this.addGarbage(p, p + 1);
        p++;
        continue;
      }
      this.flushGarbage(out);
      const segEnd = p + HEADER + n;
      const frameEnd = segEnd + 4;
      if (frameEnd > e) {
        const next = this.completeFrameAfter(p, e);
        if (next < 0 && !final) break;
        p = this.rejectShort(out, p, n, next < 0 ? e : next, next < 0);
        continue;
      }
      const crc = readCrcField(b, segEnd); // frameEnd <= e: within the buffered bytes
      if (crc >= 0 && crc === hj212Crc(b, p + HEADER, segEnd)) {
        const bytes = b.slice(p, frameEnd);
        out.push({ ok: true, bytes, segment: bytes.subarray(HEADER, HEADER + n) });
        p = frameEnd;
        continue;
      }
      p = this.rejectBroken(out, p, n, crc, e);
    }
    this.start = p;
    if (this.lookAt < p) this.lookAt = p;
  }

  /** Index of the first `##` after `p` that starts a complete frame with a valid CRC, or -1. */
  private completeFrameAfter(p: number, e: number): number {
    const b = this.buf;
    let j = Math.max(p + 2, this.lookAt);
    let resumeAt = -1;
    for (;;) {
      j = b.indexOf(HASH, j);
      if (j < 0 || j + 1 >= e) break;
      if (b[j + 1] !== HASH) {
        j++;
        continue;
      }
      if (j + HEADER > e) {
        if (resumeAt < 0) resumeAt = j;
        break;
      }
      const n = lengthField(b, j + 2);
      if (n >= 0) {
        const segEnd = j + HEADER + n;
        if (segEnd + 4 > e) {
          if (resumeAt < 0) resumeAt = j;
        } else if (readCrcField(b.subarray(0, e), segEnd) === hj212Crc(b, j + HEADER, segEnd)) {
          return j;
        }
      }
      j++;
    }
    this.lookAt = resumeAt >= 0 ? resumeAt : Math.max(p + 2, e - 1);
    return -1;
  }

  /** A candidate that the stream cut short (by its end or by the next frame at `to`). */
  private rejectShort(out: ScanEvent[], p: number, n: number, to: number, atEnd: boolean): number {
    const precise = this.actualEnd(p, to);
    if (precise) return this.emitBadLength(out, p, n, precise.segBytes, precise.to);
    const got = to - p;
    const detail = atEnd
      ? `truncated: the length field says ${n} bytes of data, the stream ended after ${Math.max(0, got - HEADER)}`
      : `cut short: the length field says ${n} bytes of data, the next frame starts after ${got - HEADER}`;
    out.push({ ok: false, reason: 'bad_length', detail, bytes: this.buf.slice(p, to) });
    return to;
  }

  /** A complete candidate whose CRC field is missing or wrong. */
  private rejectBroken(out: ScanEvent[], p: number, n: number, crc: number, e: number): number {
    const b = this.buf;
    const frameEnd = p + HEADER + n + 4;
    const precise = this.actualEnd(p, Math.min(e, p + HEADER + MAX_SEGMENT_BYTES + 6));
    if (precise && precise.segBytes !== n) return this.emitBadLength(out, p, n, precise.segBytes, precise.to);
    // A `##` inside the candidate may start a good frame: rescan from there.
    let inner = b.indexOf(HASH, p + 2);
    while (inner >= 0 && inner < frameEnd && b[inner + 1] !== HASH) inner = b.indexOf(HASH, inner + 1);
    if (inner >= 0 && inner < frameEnd) {
      const segEnd = frameEnd - 4;
      const noCrc = b[segEnd] === CR || b[segEnd] === LF || b[segEnd] === HASH;
      const detail = noCrc
        ? `no CRC after the ${n} bytes the length field declares (found "${String.fromCharCode(...b.subarray(segEnd, frameEnd))}")`
        : `cut short: the length field says ${n} bytes of data, the next frame starts after ${inner - p - HEADER}`;
      out.push({ ok: false, reason: 'bad_length', detail, bytes: b.slice(p, inner) });
      return inner;
    }
    const text = String.fromCharCode(...b.subarray(frameEnd - 4, frameEnd));
    const after = frameEnd < e ? b[frameEnd] : undefined;
    const ends = after === undefined || after === CR || after === LF || after === HASH;
    if (crc >= 0 && ends) {
      const computed = hj212Crc(b, p + HEADER, p + HEADER + n).toString(16).toUpperCase().padStart(4, '0');
      out.push({ ok: false, reason: 'bad_crc', detail: `CRC ${text} does not match the data (computed ${computed})`, bytes: b.slice(p, frameEnd) });
    } else {
      const detail = `no CRC after the ${n} bytes the length field declares (found "${text}")`;
      out.push({ ok: false, reason: 'bad_length', detail, bytes: b.slice(p, frameEnd) });
    }
    return frameEnd;
  }

  private emitBadLength(out: ScanEvent[], p: number, declared: number, actual: number, to: number): number {
    const detail = `the length field says ${declared} bytes, the data segment has ${actual} (its CRC matches)`;
    out.push({ ok: false, reason: 'bad_length', detail, bytes: this.buf.slice(p, to) });
    return to;
  }

  /**
   * Looks for where the candidate at `p` really ends before `limit`: 4 hex digits followed by
   * `\r\n`, `##` or `limit`, whose CRC matches the bytes before them.
   */
  private actualEnd(p: number, limit: number): { segBytes: number; to: number } | undefined {
    const b = this.buf.subarray(0, limit);
    const from = p + HEADER + 4;
    let probes = 0;
    const check = (k: number, skip: number): { segBytes: number; to: number } | undefined => {
      probes++;
      const crc = readCrcField(b, k - 4);
      return crc >= 0 && crc === hj212Crc(b, p + HEADER, k - 4) ? { segBytes: k - 4 - p - HEADER, to: k + skip } : undefined;
    };
    for (let k = from; k < limit && probes < MAX_END_PROBES; k++) {
      const c = b[k];
      if (c === CR && b[k + 1] === LF) {
        const hit = check(k, 2);
        if (hit) return hit;
      } else if (c === HASH && b[k + 1] === HASH) {
        const hit = check(k, 0);
        if (hit) return hit;
      }
    }
    return limit >= from && probes < MAX_END_PROBES ? check(limit, 0) : undefined;
  }

  private addGarbage(from: number, to: number): void {
    if (to <= from) return;
    const room = this.maxGarbageKept - this.garbageKept;
    if (room > 0) {
      const kept = this.buf.slice(from, Math.min(to, from + room));
      this.garbage.push(kept);
      this.garbageKept += kept.length;
    }
    this.garbageTotal += to - from;
  }

  private flushGarbage(out: ScanEvent[]): void {
    if (this.garbageTotal === 0) return;
    const bytes = new Uint8Array(this.garbageKept);
    let at = 0;
    for (const part of this.garbage) {
      bytes.set(part, at);
      at += part.length;
    }
    const kept = this.garbageTotal > this.garbageKept ? ` (first ${this.garbageKept} kept)` : '';
    out.push({ ok: false, reason: 'garbage', detail: `${this.garbageTotal} bytes that are not a frame${kept}`, bytes });
    this.garbage = [];
    this.garbageKept = 0;
    this.garbageTotal = 0;
  }
}
