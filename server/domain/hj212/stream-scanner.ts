/**
 * Cuts a byte stream (TCP chunks, an MQTT payload) into HJ 212 frames. It scans for `##`, reads the
 * 4-digit length, takes exactly that many bytes, then the 4 hex CRC, then skips an optional `\r\n`:
 * split by the length field, never by `\r\n`, so glued frames and frames split across chunks both
 * work. Whatever is not a frame is reported with a precise reason and the scan resynchronises:
 *  - a frame header (`##` + 4 digits) inside a candidate means the candidate was cut short (or its
 *    length field is wrong): it is refused and the scan restarts at that header, at once, without
 *    waiting for the bytes the length field promised. A data segment never holds a header, and the
 *    HJ 212 CRC (8 bits of state, see crc.ts) is too weak to trust on its own over such bytes;
 *  - a candidate whose CRC is wrong is refused, the length field's error located where possible.
 * Chunking never changes a verdict: when the reason depends on bytes not yet received, it waits.
 * The buffer holds at most one candidate (≤ 10,009 bytes, the 4-digit length's limit) plus a chunk.
 * Pure: Uint8Array only, no Node APIs.
 */
import { hj212Crc, readCrcField } from './crc';
import { MAX_SEGMENT_BYTES } from './encode';
import { GarbageRun } from './garbage-run';
import type { ScanEvent } from './scan-event';

export { ENVELOPE_REJECTIONS, type EnvelopeRejection, type ScanEvent } from './scan-event';

export interface ScannerOptions {
  /** Bytes of a garbage run kept for the archive (the count covers the whole run). Default 1024. */
  maxGarbageKept?: number;
}

const HASH = 0x23;
const CR = 0x0d;
const LF = 0x0a;
const HEADER = 6;
const LONGEST_FRAME = HEADER + MAX_SEGMENT_BYTES + 4;
/** At most this many possible frame ends are CRC-checked when diagnosing a bad length. */
const MAX_END_PROBES = 4;
/** innerHeader(): a `##` at the end of the bytes received, its digits still to come. */
const UNDECIDED = -2;

function lengthField(b: Uint8Array, at: number): number {
  let n = 0;
  for (let i = at; i < at + 4; i++) {
    const d = (b[i] as number) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const hex4 = (crc: number): string => crc.toString(16).toUpperCase().padStart(4, '0');

export class FrameScanner {
  private buf = new Uint8Array(0); // grows to the largest chunk (plus a held candidate)
  private start = 0;
  private end = 0;
  /** How far the candidate at `start` was searched for an inner header (absolute index). */
  private innerScanned = 0;
  private readonly garbage: GarbageRun;

  constructor(opts: ScannerOptions = {}) {
    this.garbage = new GarbageRun(opts.maxGarbageKept ?? 1024);
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
    this.garbage.flush(out);
    this.start = this.end = this.innerScanned = 0;
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
      this.innerScanned = Math.max(0, this.innerScanned - this.start);
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
      if (this.garbage.empty && (c === CR || c === LF)) {
        p++;
        continue;
      }
      if (c !== HASH) {
        let q = b.indexOf(HASH, p);
        if (q < 0 || q > e) q = e;
        this.garbage.add(this.buf, p, q);
        p = q;
        continue;
      }
      if (p + 1 < e && b[p + 1] !== HASH) {
        this.garbage.add(this.buf, p, p + 1);
        p++;
        continue;
      }
      if (p + HEADER > e) {
        if (!final) break;
        this.garbage.add(this.buf, p, e);
        p = e;
        continue;
      }
      const n = lengthField(b, p + 2);
      if (n < 0) {
        this.garbage.add(this.buf, p, p + 1);
        p++;
        continue;
      }
      this.garbage.flush(out);
      const frameEnd = p + HEADER + n + 4;
      if (p !== this.start || this.innerScanned < p + 2) this.innerScanned = p + 2;
      const inner = this.innerHeader(Math.min(frameEnd, e), final);
      if (inner === UNDECIDED) break;
      if (inner >= 0) {
        p = this.rejectAtInner(out, p, n, inner);
        continue;
      }
      if (frameEnd > e) {
        if (!final) break;
        p = this.rejectTruncated(out, p, n, e);
        continue;
      }
      const crc = readCrcField(b, frameEnd - 4); // frameEnd <= e: within the bytes received
      if (crc >= 0 && crc === hj212Crc(b, p + HEADER, frameEnd - 4)) {
        const bytes = b.slice(p, frameEnd);
        out.push({ ok: true, bytes, segment: bytes.subarray(HEADER, HEADER + n) });
        p = frameEnd;
        continue;
      }
      const next = this.rejectBroken(out, p, n, crc, e, final);
      if (next < 0) break; // the bytes still to come decide what is wrong with it
      p = next;
    }
    if (p !== this.start) this.innerScanned = p;
    this.start = p;
  }

  /**
   * The first frame header (`##` + 4 digits) after the candidate's own, before `to`; -1 if none;
   * UNDECIDED if a `##` at the end of the received bytes may still become one.
   */
  private innerHeader(to: number, final: boolean): number {
    const b = this.buf;
    let j = this.innerScanned;
    for (j = b.indexOf(HASH, j); j >= 0 && j < to; j = b.indexOf(HASH, j + 1)) {
      if (j + 1 >= this.end) {
        if (final) break;
        this.innerScanned = j;
        return UNDECIDED;
      }
      if (b[j + 1] !== HASH) continue;
      if (j + HEADER > this.end) {
        if (final) continue;
        this.innerScanned = j;
        return UNDECIDED;
      }
      if (lengthField(b, j + 2) >= 0) return j;
    }
    this.innerScanned = Math.max(this.innerScanned, Math.min(to, this.end) - 1);
    return -1;
  }

  /** The candidate at `p` holds another frame's header at `inner`: its length field lied. */
  private rejectAtInner(out: ScanEvent[], p: number, n: number, inner: number): number {
    const b = this.buf;
    const { hit } = this.actualEnd(p, inner);
    if (hit) return this.emitBadLength(out, p, n, hit.segBytes, hit.to);
    const segEnd = p + HEADER + n;
    const detail =
      inner >= segEnd
        ? `no CRC after the ${n} bytes the length field declares (found "${String.fromCharCode(...b.subarray(segEnd, inner))}")`
        : `cut short: the length field says ${n} bytes of data, the next frame starts after ${inner - p - HEADER}`;
    out.push({ ok: false, reason: 'bad_length', detail, bytes: b.slice(p, inner) });
    return inner;
  }

  /** The stream ended inside the candidate. */
  private rejectTruncated(out: ScanEvent[], p: number, n: number, e: number): number {
    const { hit } = this.actualEnd(p, e);
    if (hit) return this.emitBadLength(out, p, n, hit.segBytes, hit.to);
    const detail = `truncated: the length field says ${n} bytes of data, the stream ended after ${Math.max(0, e - p - HEADER)}`;
    out.push({ ok: false, reason: 'bad_length', detail, bytes: this.buf.slice(p, e) });
    return e;
  }

  /**
   * A complete candidate whose CRC field is missing or wrong. Returns where to resume, or -1 when
   * the reason depends on bytes not yet received.
   */
  private rejectBroken(out: ScanEvent[], p: number, n: number, crc: number, e: number, final: boolean): number {
    const b = this.buf;
    const frameEnd = p + HEADER + n + 4;
    const after = frameEnd < e ? b[frameEnd] : undefined;
    if (crc >= 0 && after === undefined && !final) return -1;
    const looksLikeEnd = crc >= 0 && (after === undefined || after === CR || after === LF || after === HASH);
    const search = this.actualEnd(p, Math.min(e, p + LONGEST_FRAME + 2));
    if (search.hit && search.hit.segBytes !== n) return this.emitBadLength(out, p, n, search.hit.segBytes, search.hit.to);
    if (!looksLikeEnd && !search.conclusive && !final) return -1;
    const text = String.fromCharCode(...b.subarray(frameEnd - 4, frameEnd));
    const [reason, detail] = looksLikeEnd
      ? (['bad_crc', `CRC ${text} does not match the data (computed ${hex4(hj212Crc(b, p + HEADER, frameEnd - 4))})`] as const)
      : (['bad_length', `no CRC after the ${n} bytes the length field declares (found "${text}")`] as const);
    out.push({ ok: false, reason, detail, bytes: b.slice(p, frameEnd) });
    return frameEnd;
  }

  private emitBadLength(out: ScanEvent[], p: number, declared: number, actual: number, to: number): number {
    const detail = `the length field says ${declared} bytes, the data segment has ${actual} (its CRC matches)`;
    out.push({ ok: false, reason: 'bad_length', detail, bytes: this.buf.slice(p, to) });
    return to;
  }

  /**
   * Looks for where the candidate at `p` really ends before `limit`: 4 hex digits followed by
   * `\r\n`, `##` or `limit`, whose CRC matches the bytes before them. Never past the next `##`
   * (a data segment holds none). Conclusive when a `##`, the probe budget or the longest possible
   * frame ended the search, not merely the bytes received so far.
   */
  private actualEnd(p: number, limit: number): { hit?: { segBytes: number; to: number }; conclusive: boolean } {
    const b = this.buf.subarray(0, limit);
    const from = p + HEADER + 4;
    let probes = 0;
    const check = (k: number, skip: number): { segBytes: number; to: number } | undefined => {
      probes++;
      const crc = readCrcField(b, k - 4);
      return crc >= 0 && crc === hj212Crc(b, p + HEADER, k - 4) ? { segBytes: k - 4 - p - HEADER, to: k + skip } : undefined;
    };
    for (let k = from; k < limit; k++) {
      const c = b[k];
      if (c === CR && b[k + 1] === LF) {
        const hit = check(k, 2);
        if (hit) return { hit, conclusive: true };
        if (probes >= MAX_END_PROBES) return { conclusive: true };
      } else if (c === HASH && b[k + 1] === HASH) {
        const hit = check(k, 0);
        return hit ? { hit, conclusive: true } : { conclusive: true };
      }
    }
    const hit = limit >= from ? check(limit, 0) : undefined;
    return hit ? { hit, conclusive: true } : { conclusive: limit >= p + LONGEST_FRAME };
  }
}
