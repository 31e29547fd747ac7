import { describe, expect, it } from 'vitest';
import { claimedMn } from './claimed-mn';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('the MN a refused frame claims', () => {
  it.each([
    ['##0101QN=1;ST=32;CN=1062;PW=1;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&0000', '010000A8900016F000169DC0'],
    ['MN=88888880000001,Flag=5', '88888880000001'],
    ['##0050MN=ABC_12-3;', 'ABC_12-3'],
    ['QN=1;XMN=FAKE;MN=REAL1;', 'REAL1'],
    ['no mn here', null],
    ['MN=;CN=2011', null],
    [`MN=${'9'.repeat(40)}`, null],
  ])('%s → %s', (text, mn) => {
    expect(claimedMn(bytes(text))).toBe(mn);
  });
});
