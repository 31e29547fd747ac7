import { describe, expect, it } from 'vitest';
import { changedKeys, positiveInt, queryOfState, stateFromQuery } from './url-query';

const DEFAULTS = { q: '', kind: '', sort: 'registry', order: 'asc', page: '1' };

describe('a list state in the URL query', () => {
  it.each([
    [{}, DEFAULTS],
    [
      { q: '烟囱', page: '3' },
      { ...DEFAULTS, q: '烟囱', page: '3' },
    ],
    [{ kind: ['cems', 'vocs'] }, { ...DEFAULTS, kind: 'cems' }],
    [{ kind: [null, 'vocs'] }, DEFAULTS],
    [
      { other: 'x', sort: 'name' },
      { ...DEFAULTS, sort: 'name' },
    ],
  ])('query %o → state', (query, state) => {
    expect(stateFromQuery(query as never, DEFAULTS)).toEqual(state);
  });

  it('writes only what differs from the defaults, and reads it back the same', () => {
    const state = { ...DEFAULTS, q: '窑尾', sort: 'name', order: 'desc' };
    const query = queryOfState(state, DEFAULTS);
    expect(query).toEqual({ q: '窑尾', sort: 'name', order: 'desc' });
    expect(stateFromQuery(query, DEFAULTS)).toEqual(state);
    expect(queryOfState(DEFAULTS, DEFAULTS)).toEqual({});
  });

  it('names the changed keys', () => {
    expect(changedKeys(DEFAULTS, { ...DEFAULTS, page: '2', q: 'x' })).toEqual(['q', 'page']);
    expect(changedKeys(DEFAULTS, { ...DEFAULTS })).toEqual([]);
  });

  it.each([
    ['3', 3],
    ['0', 1],
    ['-2', 1],
    ['1.5', 1],
    ['x', 1],
    [undefined, 1],
    ['9999', 500],
  ])('positiveInt(%s) → %s', (value, n) => {
    expect(positiveInt(value, 1, 500)).toBe(n);
  });
});
