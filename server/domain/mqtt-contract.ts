/**
 * The MQTT JSON contract for data loggers (README "Wire formats"):
 *   topic   sentinel/v1/{mn}/data
 *   payload {"cn":"2011","ts":"2026-07-01T10:00:00+08:00","factors":{"a21001":{"rtd":3.2,"flag":"N"}}}
 * The enterprise is looked up from the registry by MN; a payload never names it.
 */
import { z } from 'zod';
import { DATA_FLAGS, DATA_KINDS, type DataKind, type FactorValue } from './reading';

export const TOPIC_ROOT = 'sentinel/v1';
export const DEADLETTER_TOPIC = `${TOPIC_ROOT}/deadletter`;
export const dataTopic = (mn: string): string => `${TOPIC_ROOT}/${mn}/data`;
export const DATA_TOPIC_FILTER = `${TOPIC_ROOT}/+/data`;

const TOPIC_RE = /^sentinel\/v1\/([^/]+)\/data$/;
/** The MN in a data topic, or undefined when the topic is not a data topic. */
export function mnFromTopic(topic: string): string | undefined {
  return TOPIC_RE.exec(topic)?.[1];
}

/** ISO-8601 with an explicit offset or Z; a local time without offset is ambiguous and refused. */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Epoch ms of an ISO-8601 text with offset, or undefined if a field is out of range (Feb 31st). */
export function parseIsoWithOffset(s: string): number | undefined {
  const m = ISO_WITH_OFFSET.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const check = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, sec));
  const real = check.getUTCMonth() === mo! - 1 && check.getUTCDate() === d && h! < 24 && mi! < 60 && sec < 60;
  const ms = Date.parse(s);
  return real && !Number.isNaN(ms) ? ms : undefined;
}

const timestamp = z.union(
  [
    z.number().int().positive(),
    z.string().transform((s, ctx) => {
      const ms = parseIsoWithOffset(s);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${s}" is not a real ISO-8601 time with an offset` });
        return z.NEVER;
      }
      return ms;
    }),
  ],
  { error: 'ts must be epoch ms or ISO-8601 with an offset, e.g. 2026-07-01T10:00:00+08:00' },
);

const value = z.number().finite();
export const factorValueSchema = z
  .object({
    rtd: value.optional(),
    avg: value.optional(),
    min: value.optional(),
    max: value.optional(),
    zs: value.optional(),
    cou: value.optional(),
    flag: z.enum(DATA_FLAGS).default('N'),
  })
  .strict()
  .refine((v) => ['rtd', 'avg', 'min', 'max', 'zs', 'cou'].some((k) => v[k as keyof typeof v] !== undefined), {
    message: 'a factor needs at least one of rtd avg min max zs cou',
  });

/** Factor codes: HJ 212-2017 style (a21001) plus product codes; non-standard codes are kept, not dropped. */
export const FACTOR_CODE_RE = /^[a-z][a-z0-9]{2,11}$/i;

export const loggerPayloadSchema = z
  .object({
    cn: z.enum(DATA_KINDS),
    ts: timestamp,
    factors: z.record(z.string(), factorValueSchema).superRefine((f, ctx) => {
      const codes = Object.keys(f);
      if (codes.length === 0) ctx.addIssue({ code: 'custom', message: 'factors must not be empty' });
      for (const code of codes) {
        if (!FACTOR_CODE_RE.test(code))
          ctx.addIssue({ code: 'custom', path: [code], message: `"${code}" is not a factor code (factor codes look like a21001)` });
      }
    }),
  })
  .strict();

export interface LoggerPayload {
  cn: DataKind;
  ts: number;
  factors: Record<string, FactorValue>;
}

/** What a simulator or logger publishes (ts may be ISO text or epoch ms). */
export interface LoggerMessage {
  cn: DataKind;
  ts: string | number;
  factors: Record<string, Partial<FactorValue>>;
}

const KINDS = new Set<string>(DATA_KINDS);
const FLAGS = new Set<string>(DATA_FLAGS);
const NUMERIC_FIELDS = new Set(['rtd', 'avg', 'min', 'max', 'zs', 'cou']);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fastFactor(v: unknown): FactorValue | undefined {
  if (!isPlainObject(v)) return undefined;
  let values = 0;
  let flag: unknown = 'N';
  for (const key in v) {
    const x = v[key];
    if (key === 'flag') {
      if (typeof x !== 'string' || !FLAGS.has(x)) return undefined;
      flag = x;
    } else if (NUMERIC_FIELDS.has(key) && typeof x === 'number' && Number.isFinite(x)) {
      values++;
    } else {
      return undefined;
    }
  }
  if (values === 0) return undefined;
  v.flag = flag;
  return v as FactorValue;
}

/**
 * The hot-path check of a parsed payload: returns it when it is certainly valid by the contract,
 * else undefined — then `loggerPayloadSchema` gives the verdict and the precise message. It never
 * accepts what the schema refuses (json-payload.test.ts checks both on every case). Mutates its
 * input (flag defaults), which is a freshly parsed JSON object.
 */
export function parseLoggerPayloadFast(json: unknown): LoggerPayload | undefined {
  if (!isPlainObject(json)) return undefined;
  let keys = 0;
  for (const key in json) {
    if (key !== 'cn' && key !== 'ts' && key !== 'factors') return undefined;
    keys++;
  }
  const { cn, ts, factors } = json;
  if (keys !== 3 || typeof cn !== 'string' || !KINDS.has(cn) || !isPlainObject(factors)) return undefined;
  const ms =
    typeof ts === 'number'
      ? Number.isInteger(ts) && ts > 0
        ? ts
        : undefined
      : typeof ts === 'string'
        ? parseIsoWithOffset(ts)
        : undefined;
  if (ms === undefined) return undefined;
  let count = 0;
  for (const code in factors) {
    if (!FACTOR_CODE_RE.test(code) || !fastFactor(factors[code])) return undefined;
    count++;
  }
  if (count === 0) return undefined;
  return { cn: cn as DataKind, ts: ms, factors: factors as Record<string, FactorValue> };
}
