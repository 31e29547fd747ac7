/**
 * Encoded readings (lines) written straight into the bytes that go to disk or over HTTP, each
 * followed by a newline: the spool's group writes, and the batches waiting for the store. Joining
 * them into a string first copied every line three times on the way out (the join, the flattening
 * of `+ '\n'`, then Buffer.from); measured under a saturated ingest, those copies were a sixth of
 * all the server allocated. A batch that held its lines as strings for the second or so it waits
 * kept them past two young-generation collections, so each was copied twice more and then swept
 * from the old generation; as bytes, a line's string dies young.
 *
 * Lines never hold a newline (line protocol and JSON both escape it), so the bytes split back into
 * them.
 */
const NEWLINE = 0x0a;

export class LinesBuffer {
  private buf: Buffer;
  private pos = 0;
  /** Where the last line pushed starts. */
  private lastAt = 0;
  /** Lines pushed since the last reset. */
  count = 0;

  constructor(bytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(bytes);
  }

  /** The lines, each followed by a newline, sized for them (ASCII lines never regrow it). */
  static of(lines: readonly string[]): LinesBuffer {
    let chars = 0;
    let longest = 0;
    for (const line of lines) {
      chars += line.length + 1;
      if (line.length > longest) longest = line.length;
    }
    const out = new LinesBuffer(chars + 3 * longest + 1);
    for (const line of lines) out.push(line);
    return out;
  }

  /** Empties it for the next fill, keeping its memory up to `keepBytes`. */
  reset(keepBytes: number): this {
    if (this.buf.length > keepBytes) this.buf = Buffer.allocUnsafe(keepBytes);
    this.pos = 0;
    this.lastAt = 0;
    this.count = 0;
    return this;
  }

  push(line: string): void {
    // A UTF-16 unit takes at most 3 bytes of UTF-8: with that much room the write is never cut short.
    const room = line.length * 3 + 1;
    if (this.buf.length - this.pos < room) this.grow(room);
    this.lastAt = this.pos;
    this.pos += this.buf.write(line, this.pos, 'utf8');
    this.buf[this.pos++] = NEWLINE;
    this.count++;
  }

  /** A line already encoded, its newline included (another buffer's `last`): copied. */
  pushEncoded(line: Buffer): void {
    if (this.buf.length - this.pos < line.length) this.grow(line.length);
    this.lastAt = this.pos;
    this.pos += line.copy(this.buf, this.pos);
    this.count++;
  }

  /** The last line pushed, its newline included (a view: valid until the next push or reset). */
  get last(): Buffer {
    return this.buf.subarray(this.lastAt, this.pos);
  }

  /** The bytes so far (a view: valid until the next push or reset). */
  get bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** The lines as strings (a store that decodes them one by one; a refused batch split in halves). */
  lines(): string[] {
    const out: string[] = [];
    for (let at = 0; at < this.pos;) {
      const nl = this.buf.indexOf(NEWLINE, at);
      out.push(this.buf.toString('utf8', at, nl));
      at = nl + 1;
    }
    return out;
  }

  private grow(room: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + room));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
