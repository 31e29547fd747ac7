import { describe, expect, it } from 'vitest';
import { WindowedCounter, type CountWindow } from './windowed-counter';

const setup = (maxKeys?: number) => {
  const closed: [string, Pick<CountWindow<string[]>, 'start' | 'passed' | 'counted' | 'state'>][] = [];
  const counter = new WindowedCounter<string, string[]>({
    firstN: 2,
    intervalMs: 1_000,
    ...(maxKeys !== undefined ? { maxKeys } : {}),
    state: () => [],
    onClose: (k, w) => void closed.push([k, { ...w }]),
  });
  return { counter, closed };
};

describe('windowed counter: the first N per key and interval, then count', () => {
  it('passes the first N of a window, counts the rest, per key', () => {
    const { counter } = setup();
    expect([0, 1, 2, 3].map((t) => counter.note('a', t).first)).toEqual([true, true, false, false]);
    expect(counter.note('b', 4).first).toBe(true);
    expect(counter.get('a')).toMatchObject({ start: 0, passed: 2, counted: 2 });
  });

  it('an event after the interval closes the window and opens a new one', () => {
    const { counter, closed } = setup();
    for (const t of [0, 1, 2]) counter.note('a', t).window.state.push(`e${t}`);
    expect(counter.note('a', 1_000).first).toBe(true);
    expect(closed).toEqual([['a', { start: 0, passed: 2, counted: 1, state: ['e0', 'e1', 'e2'] }]]);
  });

  it('closeExpired closes only the windows whose interval is over; closeAll the rest', () => {
    const { counter, closed } = setup();
    counter.note('a', 0);
    counter.note('b', 500);
    counter.closeExpired(1_000);
    expect(closed.map(([k]) => k)).toEqual(['a']);
    counter.closeAll();
    expect(closed.map(([k]) => k)).toEqual(['a', 'b']);
    expect(counter.size).toBe(0);
  });

  it('bounded: a new key beyond maxKeys closes the oldest window first', () => {
    const { counter, closed } = setup(2);
    counter.note('a', 0);
    counter.note('b', 1);
    counter.note('c', 2);
    expect(closed.map(([k]) => k)).toEqual(['a']);
    expect(counter.size).toBe(2);
  });
});
