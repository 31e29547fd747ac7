/** Encoding frames: `##` + 4-digit byte length + data segment + CRC (uppercase hex) + `\r\n`. */
import { crcHex, hj212Crc } from './crc';
import { encodeSegment } from './segment';
import type { Hj212Frame } from './types';

/** The 4-digit length field cannot describe a data segment longer than this. */
export const MAX_SEGMENT_BYTES = 9999;

export class FrameTooLongError extends Error {
  override readonly name = 'FrameTooLongError';
}

const encoder = new TextEncoder();
const HEADER = 6; // ##dddd
const TRAILER = 6; // CRC + \r\n

/** Wraps a data segment (text) into a complete frame, as bytes. */
export function wrapSegment(segment: string): Uint8Array {
  const data = encoder.encode(segment);
  if (data.length > MAX_SEGMENT_BYTES) throw new FrameTooLongError(`data segment of ${data.length} bytes exceeds ${MAX_SEGMENT_BYTES}`);
  const out = new Uint8Array(HEADER + data.length + TRAILER);
  out[0] = 0x23;
  out[1] = 0x23;
  encoder.encodeInto(String(data.length).padStart(4, '0'), out.subarray(2, 6));
  out.set(data, HEADER);
  encoder.encodeInto(`${crcHex(hj212Crc(data))}\r\n`, out.subarray(HEADER + data.length));
  return out;
}

/** The complete frame of `frame`, as bytes. */
export function encodeFrame(frame: Hj212Frame): Uint8Array {
  return wrapSegment(encodeSegment(frame));
}

/** The complete frame as text (the bytes are its UTF-8 encoding). */
export function encodeFrameText(frame: Hj212Frame): string {
  return new TextDecoder().decode(encodeFrame(frame));
}
