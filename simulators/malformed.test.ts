import { describe, expect, it } from 'vitest';
import { loggerPayloadSchema, mnFromTopic } from '../server/domain/mqtt-contract';
import { mnSchema } from '../server/domain/registry';
import { malformedMessages } from './malformed';
import { chinaTime, testRegistry } from './test-registry';

const registry = testRegistry();
const known = new Set(registry.sources.map((s) => s.mn));
const MN = 'TESTNH300000000000000001';

/** Why the ingest must refuse the message, or undefined if it would accept it. */
function refusal(topic: string, payload: string): string | undefined {
  const mn = mnFromTopic(topic);
  if (mn === undefined || !mnSchema.safeParse(mn).success) return 'bad topic MN';
  if (!known.has(mn)) return 'unknown MN';
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return 'invalid JSON';
  }
  return loggerPayloadSchema.safeParse(json).success ? undefined : 'schema';
}

describe('malformed messages', () => {
  const messages = malformedMessages(MN, chinaTime('2026-07-01T10:00'));

  it.each(messages.map((m) => [m.reason, m] as const))('%s is refused', (_reason, m) => {
    expect(refusal(m.topic, m.payload)).toBeDefined();
  });

  it('covers invalid JSON, missing fields, unknown cn, NaN-like strings and unknown MNs', () => {
    const reasons = messages.map((m) => refusal(m.topic, m.payload));
    for (const r of ['invalid JSON', 'schema', 'unknown MN', 'bad topic MN']) expect(reasons).toContain(r);
    expect(messages.map((m) => m.reason)).toEqual(
      expect.arrayContaining(['invalid-json', 'missing-ts', 'unknown-cn', 'nan-string', 'unknown-mn']),
    );
  });

  it('the refusal check itself accepts a good message (so these tests can fail)', () => {
    const good = JSON.stringify({ cn: '2011', ts: '2026-07-01T10:00:00+08:00', factors: { a21001: { rtd: 3.2, flag: 'N' } } });
    expect(refusal(`sentinel/v1/${MN}/data`, good)).toBeUndefined();
  });
});
