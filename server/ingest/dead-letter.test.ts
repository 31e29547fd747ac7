import { describe, expect, it } from 'vitest';
import { deadLetterJson } from './dead-letter';

const base = {
  reason: 'invalid_json' as const,
  detail: 'Unexpected token',
  topic: 'sentinel/v1/370300CEMS00000000000101/data',
  receivedAt: '2026-07-01T02:00:01.000Z',
};
const MAX_PAYLOAD = 1000;
const BOUND = MAX_PAYLOAD + 512;

describe('deadLetterJson', () => {
  it('keeps a small text payload whole', () => {
    const letter = JSON.parse(deadLetterJson({ ...base, payload: Buffer.from('{"cn":"2011",') }, MAX_PAYLOAD, BOUND)) as unknown;
    expect(letter).toEqual({ ...base, payload: '{"cn":"2011",' });
  });

  it.each([
    ['text over maxPayloadBytes', Buffer.alloc(5000, 0x61), 'payload'],
    ['control characters (6 bytes each in JSON)', Buffer.alloc(MAX_PAYLOAD, 0x01), 'payload'],
    ['quotes and backslashes', Buffer.from('"\\'.repeat(MAX_PAYLOAD)), 'payload'],
    ['binary (base64)', Buffer.alloc(3 * MAX_PAYLOAD, 0xff), 'payloadBase64'],
  ])('cuts %s to fit the bound, saying from how much', (_what, payload, field) => {
    const json = deadLetterJson({ ...base, payload }, MAX_PAYLOAD, BOUND);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(BOUND);
    const letter = JSON.parse(json) as Record<string, unknown>;
    expect(letter.truncatedFrom).toBe(payload.length);
    expect(typeof letter[field]).toBe('string');
    expect((letter[field] as string).length).toBeGreaterThan(0);
  });

  it('keeps as much as fits: one byte more would not', () => {
    const payload = Buffer.alloc(MAX_PAYLOAD, 0x01);
    const letter = JSON.parse(deadLetterJson({ ...base, payload }, MAX_PAYLOAD, BOUND)) as { payload: string };
    const longer = JSON.stringify({ ...base, truncatedFrom: MAX_PAYLOAD, payload: '\u0001'.repeat(letter.payload.length + 1) });
    expect(Buffer.byteLength(longer)).toBeGreaterThan(BOUND);
  });

  it('cuts a long detail and topic, escapes counted', () => {
    const hostile = { ...base, detail: '\u0001'.repeat(5000), topic: `sentinel/v1/${'\u0002'.repeat(5000)}`, payload: Buffer.from('{}') };
    const json = deadLetterJson(hostile, 256, 256 + 2048);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(256 + 2048);
    const letter = JSON.parse(json) as { detail: string; topic: string; payload: string };
    expect(letter.detail.length).toBeGreaterThan(50);
    expect(letter.topic.startsWith('sentinel/v1/')).toBe(true);
    expect(letter.payload).toBe('{}');
  });
});
