/**
 * What the frame scanner (stream-scanner.ts) reports for each stretch of a byte stream: a frame
 * whose envelope is right, or refused bytes with the reason. Its own file so that the scanner's
 * parts (garbage-run.ts) and the scanner share it without importing each other.
 */

export const ENVELOPE_REJECTIONS = ['garbage', 'bad_length', 'bad_crc'] as const;
export type EnvelopeRejection = (typeof ENVELOPE_REJECTIONS)[number];

export type ScanEvent =
  /** A frame whose length and CRC are right: `bytes` is `##…CRC` (without `\r\n`). */
  | { ok: true; bytes: Uint8Array; segment: Uint8Array }
  /** `bytes` are the refused bytes (garbage runs are kept up to `maxGarbageKept`). */
  | { ok: false; reason: EnvelopeRejection; detail: string; bytes: Uint8Array };
