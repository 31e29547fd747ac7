/**
 * A run of bytes between frames that is not a frame: counted whole, kept up to a bound (for the
 * raw archive), reported as one `garbage` refusal when the next frame starts or the stream ends.
 */
import type { ScanEvent } from './scan-event';

export class GarbageRun {
  private parts: Uint8Array[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly maxKept: number) {}

  get empty(): boolean {
    return this.total === 0;
  }

  /** Adds buf[from, to) to the run. */
  add(buf: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    const room = this.maxKept - this.kept;
    if (room > 0) {
      const part = buf.slice(from, Math.min(to, from + room));
      this.parts.push(part);
      this.kept += part.length;
    }
    this.total += to - from;
  }

  /** Reports the run (if any) and starts a new one. */
  flush(out: ScanEvent[]): void {
    if (this.total === 0) return;
    const bytes = new Uint8Array(this.kept);
    let at = 0;
    for (const part of this.parts) {
      bytes.set(part, at);
      at += part.length;
    }
    const note = this.total > this.kept ? ` (first ${this.kept} kept)` : '';
    out.push({ ok: false, reason: 'garbage', detail: `${this.total} bytes that are not a frame${note}`, bytes });
    this.parts = [];
    this.kept = 0;
    this.total = 0;
  }
}
