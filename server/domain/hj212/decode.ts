/**
 * Decoding: bytes (or text) of one frame → `Hj212Frame`, or the precise reason it is refused.
 * The reasons of the codec are a closed set: `garbage`, `bad_length`, `bad_crc` (the envelope,
 * see stream-scanner.ts) and `bad_frame` (a data segment that is not `key=value;…CP=&&…&&`).
 */
import { parseSegment } from './segment';
import { ENVELOPE_REJECTIONS, FrameScanner, type ScanEvent } from './stream-scanner';
import type { Hj212Frame } from './types';

export const CODEC_REJECTIONS = [...ENVELOPE_REJECTIONS, 'bad_frame'] as const;
export type CodecRejection = (typeof CODEC_REJECTIONS)[number];

export type FrameDecoded =
  { ok: true; frame: Hj212Frame; bytes: Uint8Array } | { ok: false; reason: CodecRejection; detail: string; bytes: Uint8Array };

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** The data segment as text: the bytes are UTF-8 (a byte that is not becomes U+FFFD). */
export function segmentText(segment: Uint8Array): string {
  return decoder.decode(segment);
}

/** Parses a scanned event's data segment. */
export function decodeScanned(event: ScanEvent): FrameDecoded {
  if (!event.ok) return event;
  const parsed = parseSegment(segmentText(event.segment));
  return parsed.ok
    ? { ok: true, frame: parsed.frame, bytes: event.bytes }
    : { ok: false, reason: 'bad_frame', detail: parsed.detail, bytes: event.bytes };
}

/** Decodes every frame in a buffer holding complete frames (an MQTT payload, a test vector). */
export function decodeAll(input: Uint8Array | string): FrameDecoded[] {
  const scanner = new FrameScanner();
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  return [...scanner.push(bytes), ...scanner.finish()].map(decodeScanned);
}

/** Decodes one frame: the first frame or frame rejection in the input (garbage around it is
 * ignored unless there is nothing else; use decodeAll to see everything). */
export function decodeFrame(input: Uint8Array | string): FrameDecoded {
  const all = decodeAll(input);
  return (
    all.find((d) => d.ok || d.reason !== 'garbage') ??
    all[0] ?? { ok: false, reason: 'garbage', detail: 'empty input', bytes: new Uint8Array(0) }
  );
}
