import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveRange, timeRangeFields } from './time-range';

const q = z.object(timeRangeFields);
const NOW = Date.parse('2026-07-01T10:00:00+08:00');

describe('time range parameters', () => {
  it.each([
    ['nothing: the last 24 h', {}, { from: NOW - 86_400_000, to: NOW }],
    ['epoch ms', { from: '1000', to: '5000' }, { from: 1000, to: 5000 }],
    ['ISO-8601 with offset', { from: '2026-07-01T09:00:00+08:00' }, { from: NOW - 3_600_000, to: NOW }],
  ])('%s', (_n, query, expected) => {
    expect(resolveRange(q.parse(query), NOW)).toEqual(expected);
  });

  it('refuses from after to, and text that is no time', () => {
    expect(() => resolveRange(q.parse({ from: '5000', to: '1000' }), NOW)).toThrow('from must be before to');
    expect(q.safeParse({ from: 'yesterday' }).success).toBe(false);
  });
});
