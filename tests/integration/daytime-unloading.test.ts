/**
 * Daytime unloading during special control (issue 18 item 4; PLANS C5) on the real app, real
 * Mosquitto, its clock driven through 2026-07-02 China time: a campaign with the measure
 * 油库、加油站夜间卸油 over two fuel enterprises; their vapour-recovery loggers send tank pressure
 * (apr01) over MQTT. 张店加油站's tank stands at 650 Pa for 15 minutes at 10:03 — an unloading in the
 * daytime: a measure-noncompliance alert opens on its apr01 with the run as evidence; 周村油库 only
 * fuels (a slight vacuum) and later unloads at 21:00, at night: nothing.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AlertPage } from '../../server/domain/alert';
import type { AlertEvent } from '../../server/domain/events';
import { dataTopic, type LoggerMessage } from '../../server/domain/mqtt-contract';
import { ownMosquitto } from '../helpers/own-broker';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const broker = ownMosquitto();
const M = 60_000;
const H = 3_600_000;
const STATION = '370300VRS000000000000801'; // zhangdian-fuel
const DEPOT = '370300VRS000000000000901'; // zhoucun-depot
const T10 = Date.parse('2026-07-02T10:00:00+08:00');

describe('daytime unloading during special control', () => {
  let clock = T10 - 5 * M;
  let t: TestApp;
  let officer: ApiSession;
  let staff: DashboardSocket;
  let logger: MqttClient;

  /** One real-time tank pressure a minute from `start`, and waits until all are stored. */
  async function send(mn: string, start: number, pa: number[]): Promise<void> {
    for (const [i, v] of pa.entries()) {
      const msg: LoggerMessage = { cn: '2011', ts: start + i * M, factors: { apr01: { rtd: v, flag: 'N' } } };
      await logger.publishAsync(dataTopic(mn), JSON.stringify(msg), { qos: 1 });
    }
    await until(async () => {
      const q = `factor=apr01&cn=2011&from=${start}&to=${start + pa.length * M}`;
      return (await officer.call<{ items: unknown[] }>('GET', `/api/sources/${mn}/series?${q}`)).body.items.length === pa.length;
    }, `the tank pressure of ${mn} stored`);
  }
  const alerts = async () => (await officer.call<AlertPage>('GET', '/api/alerts?rule=measure-noncompliance&limit=100')).body.items;

  beforeAll(async () => {
    const env = { MQTT_URL: broker.url(), INFLUX_URL: inject('influxUrl'), INFLUX_DB: `unloading_${Date.now()}` };
    t = await startTestApp(env, { now: () => clock });
    const ozone = await t.signIn('ozone');
    officer = await t.signIn('officer');
    const created = await ozone.call<{ campaign: { id: number } }>('POST', '/api/campaigns', {
      name: '臭氧污染特别管控（卸油）',
      level: 'yellow',
      from: new Date(T10).toISOString(),
      to: new Date(T10 + 14 * H).toISOString(),
      target: { enterpriseIds: ['zhangdian-fuel', 'zhoucun-depot'] },
      measures: ['depot-night-unloading'],
    });
    expect(created.status).toBe(201);
    clock = T10;
    expect((await ozone.call('POST', `/api/campaigns/${created.body.campaign.id}/activate`)).status).toBe(200);
    staff = await connectDashboard(t.baseUrl, officer);
    logger = await mqtt.connectAsync(broker.url(), { clientId: `unloading-${Date.now()}` });
  });
  afterAll(async () => {
    staff?.close();
    await logger?.endAsync();
    await t?.stop();
  });

  it('a station unloading at 10:03 opens the alert with the pressure run; a depot only fuelling raises nothing', async () => {
    clock = T10 + 21 * M; // the samples are of the past: a logger's clock is never ahead of the server's
    await send(STATION, T10, [-40, -50, -30, ...Array<number>(16).fill(650), 0, -20]);
    await send(DEPOT, T10, Array<number>(21).fill(-120));
    const opened = nextEvent(staff, 'alert:opened', (e: AlertEvent) => e.alert.rule === 'measure-noncompliance');
    await t.app.unloading.tick();
    const { alert } = await opened;
    expect(alert).toMatchObject({
      mn: STATION,
      factor: 'apr01',
      enterpriseId: 'zhangdian-fuel',
      severity: 'major',
      value: 650,
      limit: 300,
    });
    expect(alert.evidence).toMatchObject({
      suspected: '疑似白天卸油',
      campaign: '臭氧污染特别管控（卸油）',
      unloadingFrom: T10 + 3 * M,
      unloadingTo: T10 + 18 * M,
      peakPa: 650,
      samples: 16,
      nightWindow: '20:00–06:00',
    });
    expect((await alerts()).map((a) => a.mn)).toEqual([STATION]);
  });

  it('an unloading at night raises nothing', async () => {
    const night = Date.parse('2026-07-02T21:00:00+08:00');
    clock = night + 18 * M;
    officer = await t.signIn('officer');
    await send(DEPOT, night, [-100, ...Array<number>(16).fill(700), 0]);
    await t.app.unloading.tick();
    expect((await alerts()).map((a) => a.mn)).toEqual([STATION]);
  });
});
