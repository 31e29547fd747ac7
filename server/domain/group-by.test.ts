import { describe, expect, it } from 'vitest';
import { groupBy } from './group-by';

describe('groupBy', () => {
  it.each([
    { items: [], groups: [] },
    {
      items: ['a1', 'b1', 'a2'],
      groups: [
        ['a', ['a1', 'a2']],
        ['b', ['b1']],
      ],
    },
    { items: ['x1', 'x2', 'x3'], groups: [['x', ['x1', 'x2', 'x3']]] },
  ])('$items → $groups', ({ items, groups }) => {
    expect([...groupBy(items, (s) => s[0])]).toEqual(groups);
  });
});
