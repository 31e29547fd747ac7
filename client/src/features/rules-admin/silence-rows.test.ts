import type { Silence } from '@domain/alert';
import { describe, expect, it } from 'vitest';
import { emptySilenceDraft, remainingOf, silenceBody, silenceRows, type SilenceDraft } from './silence-rows';

const NOW = Date.UTC(2026, 5, 1, 4);
const s = (id: number, endsAt: number): Silence => ({
  id,
  mn: null,
  factor: 'a21026',
  rule: null,
  reason: 'r',
  createdBy: 'a',
  createdAt: 0,
  endsAt,
});

describe('silence rows', () => {
  it.each([
    [NOW - 1, null],
    [NOW, null],
    [NOW + 1, { h: 0, m: 1 }],
    [NOW + 59 * 60_000, { h: 0, m: 59 }],
    [NOW + 60 * 60_000, { h: 1, m: 0 }],
    [NOW + 125 * 60_000 + 1, { h: 2, m: 6 }],
  ])('ends at %d → %j', (endsAt, left) => {
    expect(remainingOf(endsAt, NOW)).toEqual(left);
  });

  it('active first (soonest to end), then ended (latest first)', () => {
    const rows = silenceRows([s(1, NOW - 5), s(2, NOW + 50), s(3, NOW - 1), s(4, NOW + 10)], NOW);
    expect(rows.map((r) => r.id)).toEqual([4, 2, 3, 1]);
  });
});

describe('new silence form → body', () => {
  const draft = (over: Partial<SilenceDraft>): SilenceDraft => ({ ...emptySilenceDraft(), ...over });
  it.each<[Partial<SilenceDraft>, ReturnType<typeof silenceBody>]>([
    [
      { mn: '370300CEMS00000000000101', reason: ' 检修 ', hours: '1.5' },
      { body: { mn: '370300CEMS00000000000101', reason: '检修', durationMin: 90 }, errors: {} },
    ],
    [
      { factor: 'a21026', rule: 'limit-hour', reason: 'r' },
      { body: { factor: 'a21026', rule: 'limit-hour', reason: 'r', durationMin: 120 }, errors: {} },
    ],
    [{ reason: 'r' }, { body: null, errors: { target: 'target' } }],
    [
      { mn: 'x', reason: '  ' },
      { body: null, errors: { reason: 'reasonRequired' } },
    ],
    [
      { mn: 'x', reason: 'r'.repeat(501) },
      { body: null, errors: { reason: 'reasonTooLong' } },
    ],
    [
      { mn: 'x', reason: 'r', hours: '0' },
      { body: null, errors: { hours: 'hours' } },
    ],
    [
      { mn: 'x', reason: 'r', hours: '两' },
      { body: null, errors: { hours: 'hours' } },
    ],
    [
      { mn: 'x', reason: 'r', hours: '8761' },
      { body: null, errors: { hours: 'hours' } },
    ],
    [
      { mn: 'x', reason: 'r', hours: '8760' },
      { body: { mn: 'x', reason: 'r', durationMin: 525_600 }, errors: {} },
    ],
  ])('%j', (over, expected) => {
    expect(silenceBody(draft(over))).toEqual(expected);
  });
});
