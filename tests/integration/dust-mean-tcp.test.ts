/**
 * Construction dust (issue 16) over the real HJ 212 TCP listener, as dust-mean.test.ts drives it over
 * MQTT: an administrator registers a site's two dust loggers (kind dust, 住建) in the live registry
 * and reads their HJ 212 passwords once; each logger sends PM10 minute data (CN 2051 frames with
 * their CRC, each answered 9014) on the app's clock; when the rules' tick closes the quarter-hour
 * (end + 5 min grace), the duty officer's socket sees a dust-mean alert for the site whose quarter
 * averages 180 µg/m³ (above 150). The look-alike, spikes of 400 µg/m³ in a quarter averaging 136,
 * raises nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertPage } from '../../server/domain/alert';
import { hjSignalLogger, type HjSignalLogger } from '../helpers/facility-loggers';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T10:00:00+08:00');
const SITE = '370300YCJC00000000000911';
const QUIET = '370300YCJC00000000000912';
/** 12 minutes at 190 and 3 at 140: mean 180. */
const HIGH = (m: number) => (m < 12 ? 190 : 140);
/** 3 minutes at 400 and 12 at 70: mean 136. */
const SPIKY = (m: number) => (m < 3 ? 400 : 70);

describe('dust-mean over HJ 212 TCP to the dashboard', () => {
  let t: TestApp;
  let officer: ApiSession;
  let dashboard: DashboardSocket;
  const loggers: HjSignalLogger[] = [];
  let clock = T0;

  beforeAll(async () => {
    t = await startTestApp({ RULES_TICK_S: '600' }, { now: () => clock });
    const admin = await t.signIn('admin');
    const ent = await admin.call('POST', '/api/enterprises', { id: 'zhangdian-site', name: '张店示范建设项目', district: '张店区' });
    expect(ent.status).toBe(201);
    for (const [mn, name] of [
      [SITE, '北侧围挡扬尘监测点'],
      [QUIET, '南侧围挡扬尘监测点'],
    ] as const) {
      const created = await admin.call<{ credentials: { pw: string } }>('POST', '/api/sources', {
        mn,
        enterpriseId: 'zhangdian-site',
        name,
        kind: 'dust',
        lat: 36.81,
        lon: 118.05,
        intervalS: 60,
        ownerDepartment: 'housing',
        siteAreaM2: 22000,
        earthworkPhase: 'earthwork',
      });
      expect(created.status).toBe(201);
      loggers.push(await hjSignalLogger(t.app.hj212Port as number, { mn, pw: created.body.credentials.pw }));
    }
    officer = await t.signIn('officer');
    dashboard = await connectDashboard(t.baseUrl, officer);
  });
  afterAll(async () => {
    for (const l of loggers) l.close();
    dashboard?.close();
    await t?.stop();
  });

  it('a quarter-hour PM10 mean of 180 µg/m³ closes at the tick → a dust-mean alert with the window and its mean', async () => {
    const [site, quiet] = loggers as [HjSignalLogger, HjSignalLogger];
    for (let m = 0; m < 15; m++) {
      clock = T0 + m * MIN + 30_000; // each minute's data arrives half a minute after it
      await site.send(T0 + m * MIN, { a34002: HIGH(m) }, '2051');
      await quiet.send(T0 + m * MIN, { a34002: SPIKY(m) }, '2051');
    }
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.rule === 'dust-mean');
    clock = T0 + 20 * MIN; // the quarter's end + 5 min grace: both quarters close at this tick
    t.app.rules.tick();
    const { alert } = await opened;
    expect(alert).toMatchObject({
      mn: SITE,
      factor: 'a34002',
      rule: 'dust-mean',
      severity: 'major',
      value: 180,
      limit: 150,
      unit: 'µg/m³',
    });
    expect(alert.openedAt).toBe(T0);
    expect(alert.evidence).toEqual({
      windowMinutes: 15,
      windowStart: T0,
      windowEnd: T0 + 15 * MIN,
      mean: 180,
      threshold: 150,
      validMinutes: 15,
    });
  });

  it('look-alike: spikes of 400 µg/m³ in a quarter whose mean stays at 136, closed at the same tick, raise nothing', async () => {
    const stored = await officer.call<{ items: unknown[] }>(
      'GET',
      `/api/sources/${QUIET}/series?factor=a34002&cn=2051&from=${T0}&to=${T0 + 15 * MIN}`,
    );
    expect(stored.body.items).toHaveLength(15);
    const dust = await officer.call<AlertPage>('GET', '/api/alerts?rule=dust-mean');
    expect(dust.body.items.map((a) => [a.mn, a.factor, a.value])).toEqual([[SITE, 'a34002', 180]]);
  });
});
