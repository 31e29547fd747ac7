import { describe, expect, it } from 'vitest';
import { creditCodeCheck, creditCodeIssue, orgCodeCheck } from './credit-code';

describe('unified social credit code check characters (GB 32100, GB 11714)', () => {
  it.each([
    // The example code GB 32100 is usually explained with.
    ['91350100M000100Y43', undefined],
    ['91350100M000100Y4X', 'the last character is not the GB 32100 check character'],
    ['91350100M000100Z43', 'a credit code is 18 characters (GB 32100)'],
    ['91350100M000101Y43', 'the organisation code (characters 9–17) fails its GB 11714 check character'],
    ['9135010', 'a credit code is 18 characters (GB 32100)'],
  ])('%s: %s', (code, issue) => {
    expect(creditCodeIssue(code)).toBe(issue);
  });

  it.each([
    ['12345678', '8'], // 1·3 + 2·7 + 3·9 + 4·10 + 5·5 + 6·8 + 7·4 + 8·2 = 201 ≡ 3 (mod 11) → 11 − 3
    ['00000030', 'X'], // 3·4 = 12 ≡ 1 → 10 → X
    ['00000000', '0'], // 0 → 11 → 0
  ])('organisation code %s has check character %s', (first8, check) => {
    expect(orgCodeCheck(first8)).toBe(check);
  });

  it('the check character makes the weighted sum a multiple of 31', () => {
    expect(creditCodeCheck('91350100M000100Y4')).toBe('3');
  });
});
