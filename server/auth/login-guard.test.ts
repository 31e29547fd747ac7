import { describe, expect, it } from 'vitest';
import { LoginGuard } from './login-guard';

const MIN = 60_000;

function setup(options = {}) {
  let t = 1_000_000;
  const guard = new LoginGuard(options, () => t);
  return { guard, advance: (ms: number) => (t += ms), now: () => t };
}

const failN = (guard: LoginGuard, n: number, user = 'alice', ip = '10.0.0.1') => {
  let last = { usernameLockedUntil: null as number | null };
  for (let i = 0; i < n; i++) last = guard.fail(user, ip);
  return last;
};

describe('LoginGuard', () => {
  it('locks a username after 5 failures for 15 min, then doubles each further lock', () => {
    const { guard, advance, now } = setup();
    expect(failN(guard, 4).usernameLockedUntil).toBeNull();
    expect(guard.check('alice', '10.0.0.2')).toEqual({ allowed: true });
    const at = now();
    expect(failN(guard, 1).usernameLockedUntil).toBe(at + 15 * MIN);
    expect(guard.check('ALICE', '10.0.0.2')).toEqual({ allowed: false, scope: 'username', lockedUntil: at + 15 * MIN, retryAfterS: 900 });
    advance(15 * MIN);
    expect(guard.check('alice', '10.0.0.2').allowed).toBe(true);
    expect(failN(guard, 5).usernameLockedUntil).toBe(now() + 30 * MIN);
    advance(30 * MIN);
    expect(failN(guard, 5).usernameLockedUntil).toBe(now() + 60 * MIN);
  });

  it.each([
    // [locks already, expected minutes of the next lock]
    [0, 15],
    [1, 30],
    [2, 60],
    [6, 960],
    [7, 1440], // capped at 24 h
    [10, 1440],
  ])('after %i locks the next lasts %i min', (locks, minutes) => {
    const { guard, advance, now } = setup({ forgetAfterMs: 365 * 86_400_000 });
    for (let i = 0; i < locks; i++) {
      failN(guard, 5);
      advance(24 * 60 * MIN);
    }
    expect(failN(guard, 5).usernameLockedUntil).toBe(now() + minutes * MIN);
  });

  it('forgets failures outside the window and lock levels after a quiet day', () => {
    const { guard, advance, now } = setup();
    failN(guard, 4);
    advance(15 * MIN);
    expect(failN(guard, 4).usernameLockedUntil).toBeNull();
    failN(guard, 1);
    advance(24 * 60 * MIN);
    expect(failN(guard, 5).usernameLockedUntil).toBe(now() + 15 * MIN); // level reset
  });

  it('a success clears the username, not the IP', () => {
    const { guard } = setup({ maxFailuresPerIp: 6 });
    failN(guard, 4, 'alice');
    guard.succeed('alice');
    expect(failN(guard, 4, 'alice').usernameLockedUntil).toBeNull();
    // 8 failures from this IP by now: over its threshold of 6
    expect(guard.check('bob', '10.0.0.1')).toMatchObject({ allowed: false, scope: 'ip' });
    expect(guard.check('bob', '10.0.0.9').allowed).toBe(true);
  });

  it('locks an IP spraying many usernames at 20 failures', () => {
    const { guard } = setup();
    for (let i = 0; i < 19; i++) guard.fail(`user${i}`, '10.0.0.66');
    expect(guard.check('someone', '10.0.0.66').allowed).toBe(true);
    guard.fail('user19', '10.0.0.66');
    expect(guard.check('someone', '10.0.0.66')).toMatchObject({ allowed: false, scope: 'ip', retryAfterS: 900 });
  });

  it('counts unknown usernames the same as known ones and prunes idle entries', () => {
    const { guard, advance } = setup();
    guard.fail('nobody', '10.0.0.1');
    expect(guard.size).toBe(2);
    advance(24 * 60 * MIN);
    expect(guard.prune()).toBe(2);
    expect(guard.size).toBe(0);
  });
});
