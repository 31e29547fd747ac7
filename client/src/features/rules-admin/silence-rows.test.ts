import type { Silence } from '@domain/alert';
import { describe, expect, it } from 'vitest';
import { remainingOf, silenceRows } from './silence-rows';

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
