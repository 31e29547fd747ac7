import { describe, expect, it } from 'vitest';
import { sourceSchema } from '../domain/registry';
import { loggerPayloadSchema, parseLoggerPayloadFast } from '../domain/mqtt-contract';
import { decodeJsonMessage, type DecodeContext } from './json-payload';

const MN = '370300NH3000000000000201';
const source = sourceSchema.parse({ mn: MN, enterpriseId: 'zichuan-cement', name: 'n', kind: 'ammonia', lat: 36, lon: 118 });
const NOW = Date.parse('2026-07-01T10:05:00+08:00');
const ctx: DecodeContext = {
  lookup: (mn) => (mn === MN ? source : undefined),
  now: NOW,
  maxPayloadBytes: 2048,
  maxFutureSkewMs: 300_000,
  maxPastAgeMs: 240 * 3_600_000,
};
const topic = `sentinel/v1/${MN}/data`;
const decode = (payload: unknown, t = topic) =>
  decodeJsonMessage(t, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), ctx);

describe('JSON payload decoding', () => {
  it('decodes the contract example into a reading whose enterprise comes from the registry', () => {
    const d = decode({ cn: '2011', ts: '2026-07-01T10:00:00+08:00', factors: { a21001: { rtd: 3.2, flag: 'N' } } });
    expect(d).toEqual({
      ok: true,
      reading: {
        mn: MN,
        enterpriseId: 'zichuan-cement',
        kind: 'ammonia',
        cn: '2011',
        ts: Date.parse('2026-07-01T02:00:00Z'),
        factors: { a21001: { rtd: 3.2, flag: 'N' } },
      },
    });
  });

  it.each(ACCEPTED)('accepts %s', (_name, payload) => {
    expect(decode(payload).ok).toBe(true);
  });

  it.each(REJECTED)('rejects %s', (_name, t, payload, reason, detail) => {
    const d = decode(payload, t);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.reason).toBe(reason);
    expect(d.detail).toMatch(detail);
  });

  it.each([...ACCEPTED.map(([n, p]) => [n, p] as const), ...REJECTED.map(([n, , p]) => [n, p] as const)])(
    'the fast path agrees with the schema: %s',
    (_name, payload) => {
      const json = () => (typeof payload === 'string' ? safeJson(payload) : structuredClone(payload));
      const fast = parseLoggerPayloadFast(json());
      const schema = loggerPayloadSchema.safeParse(json());
      if (schema.success) expect(fast).toEqual(schema.data);
      else expect(fast).toBeUndefined();
    },
  );
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const ACCEPTED = [
  ['epoch ms', { cn: '2061', ts: 1_782_871_200_000, factors: { a21002: { avg: 30, min: 20, max: 41, zs: 35, cou: 1.2, flag: 'N' } } }],
  ['Z offset and a missing flag (defaults to N)', { cn: '2051', ts: '2026-07-01T02:00:00Z', factors: { a21001: { avg: 3 } } }],
  ['a non-standard factor code is kept', { cn: '2011', ts: NOW, factors: { x99001: { rtd: 1, flag: 'N' } } }],
  ['a maintenance flag', { cn: '2011', ts: NOW, factors: { a21001: { rtd: 1, flag: 'M' } } }],
  ['a reading resent nine days late', { cn: '2011', ts: NOW - 216 * 3_600_000, factors: { a21001: { rtd: 1, flag: 'N' } } }],
] as const;

const REJECTED = [
  ['a topic that is not a data topic', 'sentinel/v1/x/status', '{}', 'bad_topic', /not sentinel\/v1\/\{mn\}\/data/],
  ['an unregistered MN', 'sentinel/v1/370300NH3000000000009999/data', '{}', 'unknown_mn', /not registered/],
  ['broken JSON', topic, '{"cn":', 'invalid_json', /JSON/],
  ['an unknown cn', topic, { cn: '2099', ts: NOW, factors: { a21001: { rtd: 1 } } }, 'invalid_payload', /^cn: /],
  [
    'a local time without offset',
    topic,
    { cn: '2011', ts: '2026-07-01T10:00:00', factors: { a21001: { rtd: 1 } } },
    'invalid_payload',
    /offset/,
  ],
  [
    'a date that does not exist',
    topic,
    { cn: '2011', ts: '2026-02-31T10:00:00+08:00', factors: { a21001: { rtd: 1 } } },
    'invalid_payload',
    /ts/,
  ],
  ['a value that is text', topic, { cn: '2011', ts: NOW, factors: { a21001: { rtd: '3.2' } } }, 'invalid_payload', /factors\.a21001\.rtd/],
  ['an unknown flag', topic, { cn: '2011', ts: NOW, factors: { a21001: { rtd: 1, flag: 'X' } } }, 'invalid_payload', /flag/],
  ['a factor without values', topic, { cn: '2011', ts: NOW, factors: { a21001: { flag: 'N' } } }, 'invalid_payload', /at least one/],
  ['no factors', topic, { cn: '2011', ts: NOW, factors: {} }, 'invalid_payload', /must not be empty/],
  ['an unknown field', topic, { cn: '2011', ts: NOW, mn: 'x', factors: { a21001: { rtd: 1 } } }, 'invalid_payload', /mn/],
  ['a malformed factor code', topic, { cn: '2011', ts: NOW, factors: { 'a2 1': { rtd: 1 } } }, 'invalid_payload', /factor codes/],
  ['a timestamp an hour ahead', topic, { cn: '2011', ts: NOW + 3_600_000, factors: { a21001: { rtd: 1 } } }, 'future_timestamp', /ahead/],
  [
    'a timestamp eleven days old',
    topic,
    { cn: '2011', ts: NOW - 264 * 3_600_000, factors: { a21001: { rtd: 1 } } },
    'stale_timestamp',
    /h old/,
  ],
  [
    'a timestamp in 2001',
    topic,
    { cn: '2061', ts: '2001-07-01T10:00:00+08:00', factors: { a21001: { avg: 1 } } },
    'stale_timestamp',
    /^ts 2001/,
  ],
  [
    'a payload over the size limit',
    topic,
    { cn: '2011', ts: NOW, factors: { a21001: { rtd: 1 } }, pad: 'x'.repeat(4096) },
    'too_large',
    /exceeds 2048/,
  ],
  ['a negative epoch', topic, { cn: '2011', ts: -5, factors: { a21001: { rtd: 1 } } }, 'invalid_payload', /ts/],
  ['a fractional epoch', topic, { cn: '2011', ts: 1.5, factors: { a21001: { rtd: 1 } } }, 'invalid_payload', /ts/],
  ['an array of factors', topic, { cn: '2011', ts: NOW, factors: [{ rtd: 1 }] }, 'invalid_payload', /factors/],
  ['a null value', topic, { cn: '2011', ts: NOW, factors: { a21001: { rtd: null } } }, 'invalid_payload', /rtd/],
  ['a factor that is a number', topic, { cn: '2011', ts: NOW, factors: { a21001: 3.2 } }, 'invalid_payload', /a21001/],
  ['a payload that is an array', topic, [1, 2], 'invalid_payload', /payload/],
] as const;
