/**
 * Rule configuration over REST on the real app: an administrator's override that does not validate
 * is refused with a precise message and the running rules stay as they were; a valid one (a
 * permit's limit) takes effect at once, is pushed live and survives a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const NH3 = '370300NH3000000000000201'; // limit 8 mg/m³ from the pack

describe('rule pack and per-source overrides over REST', () => {
  let t: TestApp;
  let admin: ApiSession;
  const dir = mkdtempSync(join(tmpdir(), 'o3-rules-api-'));
  const limitsOf = async () =>
    (await admin.call<{ limits: Record<string, { max?: number }> }>('GET', `/api/rules/sources/${NH3}`)).body.limits;

  beforeAll(async () => {
    t = await startTestApp({}, { dataDir: dir });
    admin = await t.signIn('admin');
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [{ limits: { zz999: { max: 1 } } }, /unknown factor code "zz999"/],
    [{ limits: { a21001: {} } }, /a limit needs max, min or both/],
    [{ limits: { a21001: { min: 9, max: 8 } } }, /min must be below max/],
    [{ rules: { flatLine: { windowS: -5 } } }, /flatLine\.windowS: windowS must be a positive number of seconds/],
    [{ rules: { alRatio: { warnDays: 9 } } }, /alarmDays \(5\) must not be below warnDays \(9\)/],
    [{ rules: { bypass: { limit: { max: 1 } } } }, /a limit needs its unit/],
    [{ colour: 'red' }, /colour/],
  ])('refuses %j with a precise message and changes nothing', async (body, message) => {
    const res = await admin.call<{ error: string; message: string }>('PUT', `/api/rules/sources/${NH3}`, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_rules');
    expect(res.body.message).toMatch(message);
    expect((await limitsOf())['a21001']).toMatchObject({ max: 8 });
  });

  it('a valid override (a permit’s limit) applies at once, is pushed live, and survives a restart', async () => {
    const officer = await t.signIn('officer');
    const dashboard = await connectDashboard(t.baseUrl, officer);
    const pushed = nextEvent(dashboard, 'rules:changed', (e) => e.mn === NH3);
    const res = await admin.call('PUT', `/api/rules/sources/${NH3}`, {
      limits: { a21001: { max: 12, severity: 'major' } },
      rules: { limitInstant: { repeat: 2 } },
    });
    expect(res.status).toBe(200);
    expect(await pushed).toEqual({ kind: 'override', mn: NH3 });
    expect((await limitsOf())['a21001']).toMatchObject({ max: 12 });

    // 9.5 was over the pack's 8 but is under the permit's 12: no alert; 13 twice is one.
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === NH3);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `rules-api-${Date.now()}`, ...t.mqttAuth });
    const at = Date.now() - 60_000;
    for (const [i, v] of [9.5, 13, 13.4].entries()) {
      await logger.publishAsync(
        dataTopic(NH3),
        JSON.stringify({ cn: '2011', ts: at + i * 10_000, factors: { a21001: { rtd: v, flag: 'N' } } }),
        { qos: 1 },
      );
    }
    await logger.endAsync();
    expect((await opened).alert).toMatchObject({ rule: 'limit-instant', limit: 12, value: 13.4, openedAt: at + 20_000 });
    dashboard.close();

    await t.stop();
    t = await startTestApp({}, { dataDir: dir });
    admin = await t.signIn('admin');
    expect((await limitsOf())['a21001']).toMatchObject({ max: 12 });
    const audit = await admin.call<{ items: { action: string; username: string }[] }>('GET', '/api/audit?action=rule_override_changed');
    expect(audit.body.items.map((i) => i.username)).toEqual(['admin']);
  });

  it('only administrators change rules', async () => {
    const officer = await t.signIn('officer');
    expect((await officer.call('PUT', `/api/rules/sources/${NH3}`, { limits: { a21001: { max: 100 } } })).status).toBe(403);
    expect((await officer.call('GET', '/api/rules')).status).toBe(200);
  });
});
