import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it.each([
    { pushed: [], expected: [], last: undefined },
    { pushed: [1, 2], expected: [1, 2], last: 2 },
    { pushed: [1, 2, 3], expected: [1, 2, 3], last: 3 },
    { pushed: [1, 2, 3, 4, 5], expected: [3, 4, 5], last: 5 },
    { pushed: [1, 2, 3, 4, 5, 6, 7], expected: [5, 6, 7], last: 7 },
  ])('capacity 3, pushed $pushed → $expected', ({ pushed, expected, last }) => {
    const buf = new RingBuffer<number>(3);
    for (const v of pushed) buf.push(v);
    expect(buf.toArray()).toEqual(expected);
    expect(buf.length).toBe(expected.length);
    expect(buf.last()).toBe(last);
  });

  it.each([0, -1, 1.5])('rejects capacity %s', (capacity) => {
    expect(() => new RingBuffer(capacity)).toThrow(RangeError);
  });
});
