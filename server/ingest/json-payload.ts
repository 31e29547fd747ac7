/**
 * Decodes one MQTT message of the JSON contract (server/domain/mqtt-contract.ts) into a Reading,
 * or says precisely why it cannot: a pure function, so every rejection reason is unit-tested.
 * Working-condition signal codes (`gkw03`) are taken from the sources signal-acceptance.ts allows;
 * a message carrying one it does not allow is refused whole (`invalid_payload`, with the reason),
 * as the contract refuses a message with any bad factor.
 */
import { loggerPayloadSchema, mnFromTopic, parseLoggerPayloadFast } from '../domain/mqtt-contract';
import type { Reading } from '../domain/reading';
import type { Source } from '../domain/registry';
import { signalRefusal, type SignalChannels } from '../domain/signal-acceptance';
import { formatZodIssues } from '../domain/zod-issues';

export const REJECTION_REASONS = [
  'bad_topic',
  'unknown_mn',
  'too_large',
  'invalid_json',
  'invalid_payload',
  'future_timestamp',
  'stale_timestamp',
  'store_refused',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export type Decoded = { ok: true; reading: Reading } | { ok: false; reason: RejectionReason; detail: string; mn?: string };

export interface DecodeContext {
  lookup: (mn: string) => Source | undefined;
  now: number;
  maxPayloadBytes: number;
  maxFutureSkewMs: number;
  /** A ts further in the past is refused (stale_timestamp); 0 or absent: no limit. */
  maxPastAgeMs?: number;
  /** The channels registered facilities name, by logger (signal-acceptance.ts); absent: none. */
  signals?: SignalChannels;
}

const NO_SIGNALS: SignalChannels = new Map();

export function decodeJsonMessage(topic: string, payload: Buffer, ctx: DecodeContext): Decoded {
  const mn = mnFromTopic(topic);
  if (mn === undefined) return { ok: false, reason: 'bad_topic', detail: `topic "${topic}" is not sentinel/v1/{mn}/data` };
  const source = ctx.lookup(mn);
  if (!source) return { ok: false, reason: 'unknown_mn', detail: `MN "${mn}" is not registered`, mn };
  if (payload.length > ctx.maxPayloadBytes) {
    return { ok: false, reason: 'too_large', detail: `payload of ${payload.length} bytes exceeds ${ctx.maxPayloadBytes}`, mn };
  }
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'invalid_json', detail: (err as Error).message, mn };
  }
  let message = parseLoggerPayloadFast(json);
  if (!message) {
    const parsed = loggerPayloadSchema.safeParse(json);
    if (!parsed.success) {
      const detail = formatZodIssues(parsed.error, { root: '(payload)' });
      return { ok: false, reason: 'invalid_payload', detail, mn };
    }
    message = parsed.data;
  }
  const { cn, ts, factors } = message;
  const refused: string[] = [];
  for (const code in factors) {
    const why = signalRefusal(code, source, ctx.signals ?? NO_SIGNALS);
    if (why !== undefined) refused.push(why);
  }
  if (refused.length > 0) return { ok: false, reason: 'invalid_payload', detail: refused.slice(0, 3).join('; '), mn };
  if (ts - ctx.now > ctx.maxFutureSkewMs) {
    return { ok: false, reason: 'future_timestamp', detail: `ts ${new Date(ts).toISOString()} is ahead of the server clock`, mn };
  }
  if (ctx.maxPastAgeMs && ctx.now - ts > ctx.maxPastAgeMs) {
    const detail = `ts ${new Date(ts).toISOString()} is more than ${ctx.maxPastAgeMs / 3_600_000} h old`;
    return { ok: false, reason: 'stale_timestamp', detail, mn };
  }
  return { ok: true, reading: { mn, enterpriseId: source.enterpriseId, kind: source.kind, cn, ts, factors } };
}
