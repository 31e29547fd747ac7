import { describe, expect, it } from 'vitest';
import { addressKey, LoginGuard, type LoginGuardOptions } from './login-guard';

const MIN = 60_000;
const S = 1_000;

function setup(options: Partial<LoginGuardOptions> = {}) {
  let t = 1_000_000;
  const guard = new LoginGuard(options, () => t);
  return { guard, advance: (ms: number) => (t += ms), now: () => t };
}

const failN = (guard: LoginGuard, n: number, user = 'alice', ip = '10.0.0.1') => {
  for (let i = 0; i < n; i++) guard.fail(user, ip);
};

describe('LoginGuard: per client (username + address), growing delays', () => {
  it.each([
    // [failures, seconds the next attempt from that client must wait (0: allowed at once)]
    [4, 0],
    [5, 0],
    [6, 2],
    [7, 4],
    [8, 8],
    [12, 128],
    [15, 900], // capped at 15 min
    [30, 900],
  ])('after %i failures the client waits %i s', async (failures, waitS) => {
    const { guard } = setup({ maxFailuresPerIp: 1_000, maxFailuresPerUsername: 1_000 });
    failN(guard, failures);
    const v = await guard.check('alice', '10.0.0.1');
    if (waitS === 0) expect(v).toEqual({ allowed: true });
    else expect(v).toMatchObject({ allowed: false, scope: 'client', retryAfterS: waitS });
  });

  it('delays only the guessing client: the same user elsewhere and others here are not slowed', async () => {
    const { guard } = setup();
    failN(guard, 8, 'alice', '10.0.0.66');
    expect(await guard.check('alice', '10.0.0.66')).toMatchObject({ allowed: false, scope: 'client' });
    expect(await guard.check('ALICE', '10.0.0.1')).toEqual({ allowed: true });
    expect(await guard.check('bob', '10.0.0.66')).toEqual({ allowed: true });
  });

  it('a delay passes with time; a success clears the client', async () => {
    const { guard, advance } = setup();
    failN(guard, 6);
    expect(await guard.check('alice', '10.0.0.1')).toMatchObject({ allowed: false, retryAfterS: 2 });
    advance(2 * S);
    expect(await guard.check('alice', '10.0.0.1')).toEqual({ allowed: true });
    await guard.succeed('alice', '10.0.0.1');
    failN(guard, 5);
    expect(await guard.check('alice', '10.0.0.1')).toEqual({ allowed: true });
  });

  it('flags only the first refusal of a throttle (for the audit) and counts every refusal', async () => {
    const { guard, advance } = setup();
    failN(guard, 6);
    const firsts: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      const v = await guard.check('alice', '10.0.0.1');
      firsts.push(!v.allowed && v.first);
    }
    expect(firsts).toEqual([true, false, false]);
    advance(2 * S);
    guard.fail('alice', '10.0.0.1'); // a new, longer delay is a new throttle
    expect(await guard.check('alice', '10.0.0.1')).toMatchObject({ allowed: false, first: true, retryAfterS: 4 });
    expect(guard.refused).toEqual({ client: 4, ip: 0, username: 0 });
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address', async () => {
    const { guard } = setup();
    failN(guard, 6, 'alice', '::ffff:10.0.0.1');
    expect(await guard.check('alice', '10.0.0.1')).toMatchObject({ allowed: false, scope: 'client' });
  });
});

describe('LoginGuard: per address (spraying) and per username (distributed), sparing known-good clients', () => {
  it('throttles an address spraying 20 usernames, but not a client that signed in from it before', async () => {
    const { guard } = setup();
    await guard.succeed('admin', '10.0.0.66');
    for (let i = 0; i < 19; i++) guard.fail(`user${i}`, '10.0.0.66');
    expect((await await guard.check('someone', '10.0.0.66')).allowed).toBe(true);
    guard.fail('user19', '10.0.0.66');
    expect(await guard.check('someone', '10.0.0.66')).toMatchObject({ allowed: false, scope: 'ip', retryAfterS: 900 });
    expect(await guard.check('admin', '10.0.0.66')).toEqual({ allowed: true });
    expect(await guard.check('someone', '10.0.0.67')).toEqual({ allowed: true });
  });

  it('each further throttle of an address doubles, capped at 24 h', async () => {
    const { guard, advance } = setup({ forgetAfterMs: 365 * 86_400_000 });
    const spray = () => {
      for (let i = 0; i < 20; i++) guard.fail(`u${i}`, '10.0.0.66');
    };
    const minutes: number[] = [];
    for (let round = 0; round < 9; round++) {
      spray();
      const v = await guard.check('x', '10.0.0.66');
      minutes.push(v.allowed ? 0 : v.retryAfterS / 60);
      advance(24 * 60 * MIN);
    }
    expect(minutes).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
  });

  it('counts an IPv6 /64 as one address for the ceiling', async () => {
    const { guard } = setup();
    for (let i = 0; i < 20; i++) guard.fail(`u${i}`, `2001:db8:1:2::${i.toString(16)}`);
    expect(await guard.check('x', '2001:db8:1:2:ffff::1')).toMatchObject({ allowed: false, scope: 'ip' });
    expect((await await guard.check('x', '2001:db8:1:3::1')).allowed).toBe(true);
  });

  it('throttles a username guessed from 100 addresses for unknown clients only', async () => {
    const { guard } = setup();
    await guard.succeed('alice', '192.168.1.5');
    for (let i = 0; i < 100; i++) guard.fail('alice', `10.0.${i >> 8}.${i & 255}`);
    expect(await guard.check('alice', '172.16.0.1')).toMatchObject({ allowed: false, scope: 'username' });
    expect(await guard.check('alice', '192.168.1.5')).toEqual({ allowed: true });
    expect(await guard.check('bob', '172.16.0.1')).toEqual({ allowed: true });
  });

  it('a known-good client still waits for its own failures', async () => {
    const { guard } = setup();
    await guard.succeed('alice', '10.0.0.1');
    failN(guard, 6);
    expect(await guard.check('alice', '10.0.0.1')).toMatchObject({ allowed: false, scope: 'client' });
  });

  it('without an address a success clears and remembers nothing', async () => {
    const { guard } = setup();
    failN(guard, 6);
    await guard.succeed('alice');
    expect((await await guard.check('alice', '10.0.0.1')).allowed).toBe(false);
    expect(await guard.known.isKnown('alice', '10.0.0.1')).toBe(false);
  });

  it('a password reset forgets the username’s delays and known-good clients', async () => {
    const { guard } = setup();
    await guard.succeed('alice', '10.0.0.9');
    failN(guard, 8, 'alice', '10.0.0.1');
    await guard.reset('Alice');
    expect(await guard.check('alice', '10.0.0.1')).toEqual({ allowed: true });
    expect(await guard.known.isKnown('alice', '10.0.0.9')).toBe(false);
  });

  it('counts unknown usernames the same as known ones and prunes idle entries', async () => {
    const { guard, advance } = setup();
    guard.fail('nobody', '10.0.0.1');
    expect(guard.size).toBe(3); // client, address, username
    advance(24 * 60 * MIN);
    expect(await guard.prune()).toBe(3);
    expect(guard.size).toBe(0);
  });

  it('stays bounded: past maxEntries idle entries are pruned first', async () => {
    const { guard, advance } = setup({ maxEntries: 30 });
    for (let i = 0; i < 10; i++) guard.fail(`u${i}`, `10.1.0.${i}`);
    expect(guard.size).toBe(30);
    advance(24 * 60 * MIN);
    guard.fail('late', '10.2.0.1');
    expect(guard.size).toBe(3);
  });
});

describe('addressKey', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s → %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});
