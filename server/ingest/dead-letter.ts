/**
 * The dead-letter record of a rejected message, bounded: the whole JSON body stays within
 * `maxBytes` (the broker caps MQTT packets near `ingest.maxPayloadBytes`, and a letter of a payload
 * full of bytes JSON must escape could be six times its size). The payload is kept as text when it
 * is valid UTF-8, else as base64, and cut — with `truncatedFrom` — as far as the bound requires.
 */
import type { RejectionReason } from './json-payload';

/** Bytes of JSON the detail and the topic may each take (a letter without payload stays < 2 KiB). */
const MAX_FIELD_JSON_BYTES = 800;

/** `s` cut until its JSON form takes at most `maxBytes` (escapes and UTF-8 counted). */
function clip(s: string, maxBytes: number): string {
  let out = s;
  while (Buffer.byteLength(JSON.stringify(out)) > maxBytes) out = out.slice(0, Math.floor(out.length * 0.8));
  return out;
}

export interface DeadLetterInput {
  reason: RejectionReason;
  detail: string;
  topic: string;
  receivedAt: string;
  payload: Buffer;
}

function render(m: DeadLetterInput, keep: number): string {
  const kept = m.payload.subarray(0, keep);
  const text = kept.toString('utf8');
  return JSON.stringify({
    reason: m.reason,
    detail: m.detail,
    topic: m.topic,
    receivedAt: m.receivedAt,
    ...(kept.length < m.payload.length ? { truncatedFrom: m.payload.length } : {}),
    ...(Buffer.from(text, 'utf8').equals(kept) ? { payload: text } : { payloadBase64: kept.toString('base64') }),
  });
}

/** The letter's JSON, keeping as much of the payload (at most `maxPayloadBytes`) as fits `maxBytes`. */
export function deadLetterJson(input: DeadLetterInput, maxPayloadBytes: number, maxBytes: number): string {
  const m = { ...input, detail: clip(input.detail, MAX_FIELD_JSON_BYTES), topic: clip(input.topic, MAX_FIELD_JSON_BYTES) };
  const fits = (keep: number) => Buffer.byteLength(render(m, keep)) <= maxBytes;
  let hi = Math.min(m.payload.length, maxPayloadBytes);
  if (fits(hi)) return render(m, hi);
  let lo = 0; // fits(0): the fields without the payload take < 2 KiB
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return render(m, lo);
}
