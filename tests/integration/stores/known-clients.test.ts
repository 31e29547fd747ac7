/**
 * The web and MQTT sign-in guards' known-good clients (server/auth/known-clients.ts) on both
 * engines: remembered per door across a restart, for rememberMs, at most maxPerUsername each, and a
 * known client spared from an address throttle. The guard's own arithmetic (no database) is in
 * server/auth/login-guard.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlKnownClients } from '../../../server/auth/known-clients';
import { LoginGuard } from '../../../server/auth/login-guard';
import { authEngines, type OpenedAuthDb } from '../../helpers/auth-engines';

const MIN = 60_000;

describe.each(authEngines())('known-good clients in the auth database on $name', (engine) => {
  let opened: OpenedAuthDb;
  beforeEach(async () => void (opened = await engine.open()));
  afterEach(() => opened.close());

  it('survive a new guard on the same database, per door, for rememberMs, at most maxPerUsername each', async () => {
    let t = 5_000_000;
    const options = { maxPerUsername: 2, rememberMs: 10 * MIN };
    const first = new LoginGuard({}, () => t, new SqlKnownClients(opened.db, 'mqtt', options, () => t));
    await first.succeed('LOGGER1', '10.0.0.1');
    t += 1;
    await first.succeed('logger1', '10.0.0.2');
    t += 1;
    await first.succeed('logger1', '10.0.0.3');
    t += 1;
    await first.succeed('logger1', '10.0.0.2'); // again: refreshed, not doubled
    const other = await opened.reopen();
    try {
      const again = new SqlKnownClients(other.db, 'mqtt', options, () => t);
      const web = new SqlKnownClients(other.db, 'web', {}, () => t);
      const known = async (kc: SqlKnownClients, ips: string[]) => Promise.all(ips.map((ip) => kc.isKnown('logger1', ip)));
      expect(await known(again, ['10.0.0.1', '10.0.0.2', '10.0.0.3'])).toEqual([false, true, true]);
      expect(await web.isKnown('logger1', '10.0.0.3')).toBe(false);
      t += 10 * MIN - 1; // 10.0.0.3 was last seen 10 min ago, 10.0.0.2 a millisecond later
      expect(await known(again, ['10.0.0.2', '10.0.0.3'])).toEqual([true, false]);
      expect(await again.prune()).toBe(1);
      t += 1;
      expect(await again.prune()).toBe(1);
      await first.succeed('logger1', '10.0.0.4');
      await first.reset('Logger1');
      expect(await again.isKnown('logger1', '10.0.0.4')).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('spare a known client from an address throttle after a restart', async () => {
    let t = 5_000_000;
    const guard = new LoginGuard({}, () => t, new SqlKnownClients(opened.db, 'web', {}, () => t));
    await guard.succeed('admin', '10.0.0.66');
    const restarted = new LoginGuard({}, () => t, new SqlKnownClients(opened.db, 'web', {}, () => t));
    for (let i = 0; i < 20; i++) restarted.fail(`user${i}`, '10.0.0.66');
    t += 1;
    expect(await restarted.check('someone', '10.0.0.66')).toMatchObject({ allowed: false, scope: 'ip' });
    expect(await restarted.check('admin', '10.0.0.66')).toEqual({ allowed: true });
  });
});
