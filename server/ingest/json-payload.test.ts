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

describe('working-condition signals and the issue-16 kinds over JSON', () => {
  const at = (mn: string, kind: string) => sourceSchema.parse({ mn, enterpriseId: 'e', name: 'n', kind, lat: 36, lon: 118 });
  const COND = '211300GKJK00000000000001';
  const CATERING = '211300CYYY00000000000001';
  const DUST = '211300YCJC00000000000001';
  const sources: Record<string, ReturnType<typeof at>> = {
    [COND]: at(COND, 'condition'),
    [CATERING]: at(CATERING, 'catering'),
    [DUST]: at(DUST, 'dust'),
    [MN]: source,
  };
  const signals = new Map([[CATERING, new Set(['02'])]]);
  const c: DecodeContext = { ...ctx, lookup: (mn) => sources[mn], signals };
  const send = (mn: string, payload: unknown) => decodeJsonMessage(`sentinel/v1/${mn}/data`, Buffer.from(JSON.stringify(payload)), c);
  const ts = '2026-07-01T10:00:00+08:00';

  it.each([
    ['a condition logger: power, running state, temperature', COND, { gkw01: { rtd: 412.5 }, grs02: { rtd: 1 }, gtc02: { rtd: 812 } }],
    ['a condition logger: a minute aggregate', COND, { gkw01: { avg: 400, cou: 6.67 } }],
    ['an ammonia-slip logger with a reductant flow', MN, { a21001: { rtd: 2.1 }, gqr01: { rtd: 35 } }],
    ['a catering logger: fumes and the purifier on a channel a facility names', CATERING, { afm01: { rtd: 1.2 }, gkw02: { rtd: 3 } }],
    ['a dust logger: TSP and PM10', DUST, { a34001: { rtd: 180 }, a34002: { rtd: 95 } }],
  ])('takes %s', (_name, mn, factors) => {
    const d = send(mn, { cn: '2011', ts, factors });
    expect(d).toMatchObject({ ok: true, reading: { mn, kind: sources[mn]!.kind } });
    expect(d.ok && Object.keys(d.reading.factors)).toEqual(Object.keys(factors));
  });

  it.each([
    [
      'a catering logger on a channel no facility names',
      CATERING,
      { afm01: { rtd: 1 }, gkw05: { rtd: 3 } },
      /no facility names channel 05/,
    ],
    ['a dust logger with a signal', DUST, { gbv01: { rtd: 1 } }, /a dust logger sends signals only on a facility's channel/],
    ['a look-alike signal code', COND, { gkx01: { rtd: 1 } }, /"gkx01" is not a working-condition signal code/],
  ])('refuses %s (invalid_payload, with the reason)', (_name, mn, factors, why) => {
    const d = send(mn, { cn: '2011', ts, factors });
    expect(d).toMatchObject({ ok: false, reason: 'invalid_payload', mn });
    expect(!d.ok && d.detail).toMatch(why);
  });
});
