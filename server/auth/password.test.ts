import { describe, expect, it } from 'vitest';
import { createPasswordHasher, DEFAULT_ARGON2, passwordProblems } from './password';

describe('password policy', () => {
  it.each([
    ['correct horse', 'alice', []],
    ['0123456789', 'alice', []],
    ['short', 'alice', ['the password must be at least 10 characters long']],
    ['alice.smith', 'Alice.Smith', ['the password must not be the username']],
    [' alice.smith ', 'alice.smith', ['the password must not be the username']],
    ['          ', 'alice', ['the password must not be blank']],
    ['密码密码密码密码密码', 'alice', []], // 10 characters, more bytes
    ['x'.repeat(257), 'alice', ['the password must be at most 256 characters long']],
  ])('%j for %j → %j', (password, username, want) => expect(passwordProblems(password, username)).toEqual(want));
});

describe('Argon2id hasher', () => {
  const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

  it('hashes to an argon2id PHC string that verifies only the same password', async () => {
    const h = await hasher.hash('correct horse battery');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await hasher.verify(h, 'correct horse battery')).toBe(true);
    expect(await hasher.verify(h, 'correct horse batterY')).toBe(false);
    expect(await hasher.hash('correct horse battery')).not.toBe(h); // salted
  });

  it('refuses over-long input without hashing it, and spends time on unknown users', async () => {
    const h = await hasher.hash('correct horse battery');
    expect(await hasher.verify(h, 'x'.repeat(10_000))).toBe(false);
    expect(await hasher.verifyNothing('anything at all')).toBe(false);
  });

  it('reports a corrupt stored hash instead of calling it a wrong password', async () => {
    await expect(hasher.verify('not-a-hash', 'whatever')).rejects.toThrow(/not a valid Argon2/);
  });

  it('defaults to the OWASP Argon2id parameters', () => {
    expect(DEFAULT_ARGON2).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });
});
