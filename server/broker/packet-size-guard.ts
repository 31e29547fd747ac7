/**
 * A bound on the size of MQTT packets a client may send to the embedded broker. aedes' parser
 * (mqtt-packet) has no limit: it buffers a packet until all the bytes its fixed header declares
 * have come, so one PUBLISH declaring 100 MB held 100 MB (and more) of memory. Here the fixed
 * header of every packet is read as the bytes come off the socket, before aedes sees them; a
 * packet declaring more than the limit ends the connection at once, after at most 5 bytes of it.
 *
 * `PacketSizeMeter` is pure (bytes in, verdict out); `guardPacketSize` puts it on a socket.
 */
import type { Socket } from 'node:net';

/** Bytes the broker allows around a payload of `maxPayloadBytes` (topic, packet id, properties). */
export const PACKET_HEADROOM_BYTES = 4096;

/** The largest MQTT packet (fixed header included) a client may send for a payload limit. */
export const maxPacketBytes = (maxPayloadBytes: number): number => maxPayloadBytes + PACKET_HEADROOM_BYTES;

/** The size of a packet that was refused. */
export interface Oversize {
  /** Remaining length declared by the fixed header, bytes (−1: a malformed length field). */
  declared: number;
}

/**
 * Follows the packet boundaries of an MQTT byte stream: the first byte of a packet (type and
 * flags), its remaining length (1–4 bytes, 7 bits each), then that many bytes it skips. It never
 * keeps a byte: memory is constant whatever the stream.
 */
export class PacketSizeMeter {
  /** Bytes of the current packet's body still to skip. */
  private toSkip = 0;
  /** Where in the fixed header we are: 0 = expecting a packet's first byte, 1–4 = length byte n. */
  private headerByte = 0;
  private length = 0;
  private multiplier = 1;

  constructor(private readonly maxPacketBytes: number) {}

  /** Feeds the next bytes of the stream; an `Oversize` as soon as a packet declares too much. */
  feed(chunk: Uint8Array): Oversize | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.toSkip > 0) {
        const n = Math.min(this.toSkip, chunk.length - i);
        this.toSkip -= n;
        i += n;
        continue;
      }
      const byte = chunk[i++] as number;
      if (this.headerByte === 0) {
        this.headerByte = 1;
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      if (byte & 0x80) {
        if (++this.headerByte > 4) return { declared: -1 }; // the spec allows 4 length bytes
        continue;
      }
      // fixed header = 1 type byte + headerByte length bytes
      if (1 + this.headerByte + this.length > this.maxPacketBytes) return { declared: this.length };
      this.toSkip = this.length;
      this.headerByte = 0;
    }
    return null;
  }
}

/**
 * Meters what aedes reads from `socket` (it reads with `socket.read()` on 'readable') and destroys
 * the socket when a packet is too large, before the bytes reach aedes' parser.
 */
export function guardPacketSize(socket: Socket, maxBytes: number, onOversize: (o: Oversize) => void): void {
  const meter = new PacketSizeMeter(maxBytes);
  const read = socket.read.bind(socket);
  socket.read = (size?: number) => {
    if (socket.destroyed) return null;
    const chunk = read(size) as Buffer | string | null;
    if (chunk === null || typeof chunk === 'string') return chunk;
    const oversize = meter.feed(chunk);
    if (!oversize) return chunk;
    onOversize(oversize);
    socket.destroy();
    return null;
  };
}
