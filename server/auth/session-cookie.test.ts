import { describe, expect, it } from 'vitest';
import { readCookie } from './session-cookie';

describe('readCookie', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['o3s_session=abc', 'abc'],
    ['theme=dark; o3s_session=abc-_DEF; lang=zh', 'abc-_DEF'],
    ['  o3s_session = abc ', 'abc'],
    ['o3s_session="abc"', 'abc'],
    ['xo3s_session=abc', null],
    ['o3s_session', null],
    ['o3s_session=%E4%BD%A0', '你'],
    ['o3s_session=%E4%ZZ', '%E4%ZZ'],
  ])('%j → %j', (header, want) => expect(readCookie(header, 'o3s_session')).toBe(want));
});
