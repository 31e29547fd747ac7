import { describe, expect, it } from 'vitest';
import { passwordRules } from './password-policy';

describe('passwordRules', () => {
  it.each([
    ['long-enough-1', 'alice', 'old-password-1', { length: true, notUsername: true, differs: true }],
    ['short', 'alice', '', { length: false, notUsername: true, differs: true }],
    ['          ', 'alice', '', { length: false, notUsername: true, differs: true }],
    ['Alice.Smith', 'alice.smith', '', { length: true, notUsername: false, differs: true }],
    ['old-password-1', 'alice', 'old-password-1', { length: true, notUsername: true, differs: false }],
    ['密码密码密码密码密码', 'alice', '', { length: true, notUsername: true, differs: true }],
    ['x'.repeat(257), 'alice', '', { length: false, notUsername: true, differs: true }],
  ])('%j for %s (current %j) → %j', (password, username, current, expected) => {
    expect(passwordRules(password, username, current)).toEqual(expected);
  });
});
