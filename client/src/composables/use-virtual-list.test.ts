import { describe, expect, it } from 'vitest';
import { visibleRange } from './use-virtual-list';

describe('visibleRange (64 px rows, 640 px viewport, overscan 6)', () => {
  it.each([
    { name: 'top of 10,000 rows', scrollTop: 0, count: 10_000, expected: { start: 0, end: 16, offset: 0, total: 640_000 } },
    { name: 'middle', scrollTop: 64 * 5_000, count: 10_000, expected: { start: 4_994, end: 5_016, offset: 4_994 * 64, total: 640_000 } },
    {
      name: 'scrolled past the end (list shrank)',
      scrollTop: 1e9,
      count: 100,
      expected: { start: 84, end: 100, offset: 84 * 64, total: 6_400 },
    },
    { name: 'fewer rows than fit', scrollTop: 0, count: 3, expected: { start: 0, end: 3, offset: 0, total: 192 } },
    { name: 'empty', scrollTop: 0, count: 0, expected: { start: 0, end: 0, offset: 0, total: 0 } },
  ])('$name', ({ scrollTop, count, expected }) => {
    expect(visibleRange(scrollTop, 640, 64, count)).toEqual(expected);
  });

  it('renders a few dozen rows however long the list', () => {
    const r = visibleRange(123_456, 900, 64, 1_000_000);
    expect(r.end - r.start).toBeLessThan(40);
  });
});
