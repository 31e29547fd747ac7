import { describe, expect, it } from 'vitest';
import { PasswordGuesses } from './password-guesses';

describe('password guesses per address and minute', () => {
  it.each([
    ['ten in a minute are answered, the eleventh is cut', 10, 11, 0, [...Array.from({ length: 10 }, () => false), true]],
    ['a new minute starts the count again', 2, 4, 30_000, [false, false, false, false]],
    ['0: no limit', 0, 12, 0, Array.from({ length: 12 }, () => false)],
  ])('%s', (_name, perMinute, tries, every, want) => {
    const g = new PasswordGuesses(perMinute);
    expect(Array.from({ length: tries }, (_, i) => g.note('10.0.0.1', i * every))).toEqual(want);
  });

  it('counts per address, bounded in the addresses it tracks', () => {
    const g = new PasswordGuesses(1, 2);
    expect([g.note('a', 0), g.note('b', 0), g.note('a', 1)]).toEqual([false, false, true]);
    g.note('c', 2); // a third address: the counts restart
    expect(g.note('a', 3)).toBe(false);
  });
});
