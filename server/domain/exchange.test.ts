import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, isoLocal, pageAfter, sortKey } from './exchange';

describe('the exchange API’s paging', () => {
  it.each([{ after: 'qilu-power\u00012026-07\u0001a21002' }, { after: '企业' }, { beforeId: 42, offset: 7 }])(
    'a cursor round-trips: %j',
    (c) => {
      expect(decodeCursor(encodeCursor(c))).toEqual(c);
    },
  );

  it.each(['', 'not-a-cursor', encodeCursor({ after: 'x' }).slice(1), btoa('{"beforeId":-1,"offset":0}'), btoa('{"after":"x","more":1}')])(
    'a text that is not one of its cursors is refused: %j',
    (text) => {
      expect(decodeCursor(text)).toBeUndefined();
    },
  );

  it('pages after the last key, so a row added before the cursor shifts nothing', () => {
    const rows = ['a', 'b', 'c', 'd', 'e'];
    const first = pageAfter(rows, (r) => r, undefined, 2);
    expect(first.items).toEqual(['a', 'b']);
    const cursor = decodeCursor(first.next ?? '') as { after: string };
    expect(pageAfter(['0', ...rows], (r) => r, cursor, 2).items).toEqual(['c', 'd']);
    const last = pageAfter(rows, (r) => r, { after: 'c' }, 2);
    expect(last).toEqual({ items: ['d', 'e'], next: null });
    expect(pageAfter(rows, (r) => r, { after: 'z' }, 2)).toEqual({ items: [], next: null });
  });

  it('sort keys order numbers numerically and parts before their continuation', () => {
    const keys = [sortKey('m1', 10_000, 'a'), sortKey('m1', 9_000, 'b'), sortKey('m0', 20_000, 'a')].sort();
    expect(keys).toEqual([sortKey('m0', 20_000, 'a'), sortKey('m1', 9_000, 'b'), sortKey('m1', 10_000, 'a')]);
  });

  it.each([
    [Date.parse('2026-07-01T02:00:00Z'), 480, '2026-07-01T10:00:00+08:00'],
    [Date.parse('2026-06-30T16:00:00.250Z'), 480, '2026-07-01T00:00:00.250+08:00'],
    [Date.parse('2026-07-01T02:00:00Z'), -90, '2026-07-01T00:30:00-01:30'],
  ])('isoLocal(%d, %d) = %s', (ts, offset, iso) => {
    expect(isoLocal(ts, offset)).toBe(iso);
    expect(Date.parse(iso)).toBe(ts);
  });
});
