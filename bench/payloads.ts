/**
 * Load payloads, built from the MQTT contract's `LoggerMessage` type: ten factors per message, all
 * within their limits (the load opens no alerts). Payload strings are pre-built as templates split
 * around the timestamp, so the publisher only concatenates `head + ts + tail` per message.
 */
import type { LoggerMessage } from '../server/domain/mqtt-contract';
import type { BenchKind } from './bench-registry';

/** Ten factors per kind with a typical value; every kind has a00000, a01011 and a01012. */
const FACTORS: Record<BenchKind, Record<string, number>> = {
  // NOx 30 at O2 7 % → 32 mg/m³ at 6 % reference O2: below the 50 limit; PM and SO2 likewise.
  cems: {
    a00000: 310,
    a01011: 12.4,
    a01012: 48.5,
    a01013: -0.12,
    a01014: 12.1,
    a19001: 7,
    a34013: 2.4,
    a21026: 11.8,
    a21002: 30.2,
    a21003: 18.1,
  },
  ammonia: {
    a21001: 1.6,
    a00000: 305,
    a01011: 12.1,
    a01012: 47.9,
    a01013: -0.11,
    a01014: 12.3,
    a19001: 7.2,
    a21002: 29.4,
    a21003: 17.6,
    a21005: 11.2,
  },
  vocs: {
    a24088: 18.5,
    a24087: 21.2,
    a05002: 2.7,
    a25002: 0.12,
    a25003: 0.85,
    a25005: 1.32,
    a00000: 14.2,
    a01011: 8.7,
    a01012: 36.4,
    a01014: 5.1,
  },
};

/** The field counted in InfluxDB to find how many readings landed (present in every kind). */
export const COUNTED_FIELD = 'a01012_rtd';
export const FACTORS_PER_MESSAGE = 10;

export interface PayloadTemplate {
  head: string;
  tail: string;
}

const TS_MARK = -1;

function template(message: LoggerMessage): PayloadTemplate {
  const text = JSON.stringify({ ...message, ts: TS_MARK });
  const [head, tail] = text.split(`"ts":${TS_MARK}`);
  if (head === undefined || tail === undefined) throw new Error('payload template has no timestamp');
  return { head: `${head}"ts":`, tail };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** `variants` templates for a kind, values jittered by up to ±5 % (deterministic). */
export function loadTemplates(kind: BenchKind, variants = 16): PayloadTemplate[] {
  return Array.from({ length: variants }, (_, v) => {
    const jitter = 1 + 0.05 * Math.sin(v * 2.399);
    const factors: LoggerMessage['factors'] = {};
    for (const [code, typical] of Object.entries(FACTORS[kind])) factors[code] = { rtd: round(typical * jitter), flag: 'N' };
    return template({ cn: '2011', ts: TS_MARK, factors });
  });
}

/**
 * An ammonia-slip reading with the given a21001 (limit 8 mg/m³): the latency probe's payload. The
 * flow varies with the instant (by under 0.4 %), so the probes' alternating readings never repeat
 * a stretch exactly (the `copied-data` rule).
 */
export function ammoniaPayload(ts: number, a21001: number): string {
  const factors: LoggerMessage['factors'] = {};
  for (const [code, typical] of Object.entries(FACTORS.ammonia)) {
    const rtd = code === 'a21001' ? a21001 : code === 'a00000' ? round(typical + (ts % 1000) / 1000) : typical;
    factors[code] = { rtd, flag: 'N' };
  }
  const message: LoggerMessage = { cn: '2011', ts, factors };
  return JSON.stringify(message);
}

export const render = (t: PayloadTemplate, ts: number): string => t.head + ts + t.tail;

/**
 * Which of `n` templates a source's k-th reading uses: hashed (lowbias32), not `k % n`, so its
 * readings never repeat a stretch of ten exactly — which the `copied-data` rule would rightly
 * take for copied data (the load opens no alerts).
 */
export function variantOf(k: number, n: number): number {
  let x = k >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return (x >>> 0) % n;
}
