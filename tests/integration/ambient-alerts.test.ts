/**
 * Ambient-air alerts as hours close (issue 17): three stations send hour records (CN 2061) over MQTT
 * through the real Mosquitto into the real InfluxDB; the app's clock moves past the hours and the
 * evaluator judges them. 人民公园站 runs far above the city mean (a hotspot, with the registered
 * sources near it, upwind from its wind direction), 临淄大化站 sends a PM10 hour off the HJ 633 table
 * (爆表), 周村东站's 8-h O3 mean passes 160 µg/m³. Alerts are pushed on the officer's socket and
 * listed by GET /api/alerts; the next hour clears the hotspot and the 爆表.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Alert, AlertPage } from '../../server/domain/alert';
import { dataTopic, type LoggerMessage } from '../../server/domain/mqtt-contract';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { eventually } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const H = 3_600_000;
const DAY = Date.parse('2026-12-01T00:00:00+08:00');
const PARK = '370300AQS000000000001001'; // 人民公园站, 张店区
const LINZI = '370300AQS000000000001002'; // 临淄大化站
const ZHOUCUN = '370300AQS000000000001003'; // 周村东站
const n = (avg: number) => ({ avg, flag: 'N' as const });

/** Six pollutants (SO2, NO2, PM10, PM2.5, CO, O3) and, optionally, the wind direction. */
const hour = (pm25: number, pm10: number, o3: number, wind?: number) => ({
  a21026: n(10),
  a21004: n(20),
  a34002: n(pm10),
  a34004: n(pm25),
  a21005: n(0.5),
  a05024: n(o3),
  ...(wind === undefined ? {} : { a01008: n(wind) }),
});
/**
 * Hours 00…05: 人民公园站 PM2.5 300 (IAQI 300 + 100 × 50/100 = 350), wind from the south-west (225°);
 * the others PM2.5 60 (IAQI 50 + 50 × 25/40 = 81.25 → 82). 临淄大化站 PM10 650 at 04:00 (above the
 * table's 600); 周村东站 O3 200. Hour 06: all PM2.5 60, PM10 50.
 */
const data = (mn: string, h: number) => {
  if (h === 6) return hour(60, 50, mn === ZHOUCUN ? 200 : 50, mn === PARK ? 225 : undefined);
  if (mn === PARK) return hour(300, 50, 50, 225);
  if (mn === LINZI) return hour(60, h === 4 ? 650 : 50, 50);
  return hour(60, 50, 200);
};

describe('ambient-air alerts from hour records over MQTT (爆表, hotspot, ozone 8-h)', () => {
  let t: TestApp;
  let logger: MqttClient;
  let officer: ApiSession;
  let dashboard: DashboardSocket;
  // 00:30 at the start: the first hour to judge is 00:00. The evaluator judges only when ticked (its
  // timer, RULES_TICK_S, is longer than the test), so the clock may move past the hours before they are
  // sent (the ingest refuses readings from the future).
  let clock = DAY + 30 * 60_000;
  const db = `ambient_${Date.now()}`;
  const alerts = async (query: string): Promise<Alert[]> => {
    const res = await officer.call<AlertPage>('GET', `/api/alerts?${query}`);
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const publishHours = async (from: number, to: number) => {
    for (let h = from; h < to; h++) {
      for (const mn of [PARK, LINZI, ZHOUCUN]) {
        const msg: LoggerMessage = { cn: '2061', ts: DAY + h * H, factors: data(mn, h) };
        await logger.publishAsync(dataTopic(mn), JSON.stringify(msg), { qos: 1 });
      }
    }
    // Stored when each station's last hour reads back.
    await eventually(async () => {
      for (const mn of [PARK, LINZI, ZHOUCUN]) {
        const res = await officer.call<{ items: unknown[] }>(
          'GET',
          `/api/sources/${mn}/series?factor=a05024&cn=2061&from=${DAY}&to=${DAY + to * H}`,
        );
        if (res.body.items.length !== to) return undefined;
      }
      return true;
    }, 'the hours stored');
  };

  beforeAll(async () => {
    // The rules' timer (RULES_TICK_S) stays out of the way: the test ticks the evaluator with its clock.
    t = await startTestApp(
      { MQTT_URL: broker.url(), INFLUX_URL: inject('influxUrl'), INFLUX_DB: db, RULES_TICK_S: '600' },
      { now: () => clock },
    );
    officer = await t.signIn('officer');
    dashboard = await connectDashboard(t.baseUrl, officer);
    logger = await mqtt.connectAsync(broker.url(), { clientId: `ambient-${Date.now()}` });
    clock = DAY + 6 * H + 10 * 60_000; // 06:10: hours 00…05 have closed (end + 5 min grace)
    await publishHours(0, 6);
  });
  afterAll(async () => {
    dashboard?.close();
    await logger?.endAsync();
    await t?.stop();
  });

  it('raises a hotspot with the hours against the city mean and the sources nearby, upwind marked', async () => {
    const pushed = nextEvent(dashboard, 'alert:opened', (e) => e.alert.rule === 'hotspot');
    await t.app.ambientAlerts.tick();
    const opened = (await pushed).alert;
    // Raised on the third hour (02:00) above the city mean: the city's PM2.5 (300 + 60 + 60)/3 = 140 →
    // IAQI 150 + 50 × 25/35 = 185.7 → 186 (PM10 50 → 50); 350 is +164 and +88.2 %; the threshold is
    // max(186 + 50, 186 × 1.3 = 241.8) = 241.8.
    expect(opened).toMatchObject({ mn: PARK, factor: 'aqi', rule: 'hotspot', severity: 'warning', value: 350, limit: 241.8, unit: '' });
    expect(opened.openedAt).toBe(DAY + 2 * H);

    const [alert] = await alerts(`rule=hotspot&mn=${PARK}`);
    expect(alert).toMatchObject({ state: 'active', count: 4, lastSeenAt: DAY + 5 * H });
    const hours = Array.from({ length: 6 }, (_, h) => ({ hour: DAY + h * H, value: 350, cityMean: 186 }));
    // Sources within 5 km of 人民公园站 (36.8080, 118.0540), wind from 225° ± 45°:
    //   喷涂线排口 (36.8040, 118.0500): 0.445 km south, 0.356 km west → 0.57 km at 218.7°: upwind
    //   油气回收在线监控 (36.8110, 118.0620): 0.334 km north, 0.712 km east → 0.79 km at 64.9°
    //   3号燃气锅炉 (36.7900, 118.0850): 2.00 km south, 2.76 km east → 3.41 km at 125.9°
    expect(alert?.evidence).toEqual({
      windowStart: DAY,
      windowEnd: DAY + 6 * H,
      consecutiveHours: 6,
      cityMean: 186,
      abovePct: 88.2,
      windFrom: 225,
      radiusKm: 5,
      hours,
      nearby: [
        { mn: '370300VOCS00000000000501', name: '喷涂线排口', enterprise: '蓝山汽车涂装有限公司', km: 0.57, bearing: 219, upwind: true },
        { mn: '370300VRS000000000000801', name: '油气回收在线监控', enterprise: '张店华兴加油站', km: 0.79, bearing: 65, upwind: false },
        {
          mn: '370300CEMS00000000000601',
          name: '3号燃气锅炉',
          enterprise: '高新区集中供热有限公司',
          km: 3.41,
          bearing: 126,
          upwind: false,
        },
      ],
    });
    // The other stations are below the city mean: no hotspot.
    expect((await alerts('rule=hotspot')).map((a) => a.mn)).toEqual([PARK]);
  });

  it('raises 爆表 on an hourly index off the HJ 633 table (PM10 650 > 600), critical', async () => {
    const [alert] = await alerts(`rule=aqi-off-scale`);
    expect(alert).toMatchObject({
      mn: LINZI,
      factor: 'a34002',
      severity: 'critical',
      peak: 650,
      limit: 600,
      unit: 'µg/m³',
      openedAt: DAY + 4 * H,
      evidence: { windowStart: DAY + 4 * H, windowEnd: DAY + 5 * H },
      // 05:00 PM10 50 is back on the table: the condition cleared (the alert stays open until acknowledged).
      state: 'cleared',
      value: 50,
      clearedAt: DAY + 5 * H,
      closedAt: null,
    });
    expect((await alerts('rule=aqi-off-scale')).length).toBe(1);
  });

  it('raises the ozone 8-h alert once 6 valid hours average above 160 µg/m³', async () => {
    const list = await alerts('rule=ozone-8h');
    expect(list.map((a) => a.mn)).toEqual([ZHOUCUN]);
    // 05:00 closes the first 8-h window with 6 valid hours (00…05): 200 > 160.
    expect(list[0]).toMatchObject({
      factor: 'a05024',
      severity: 'major',
      state: 'active',
      value: 200,
      limit: 160,
      openedAt: DAY + 5 * H,
      evidence: { windowStart: DAY - 2 * H, windowEnd: DAY + 6 * H, validHours: 6 },
    });
  });

  it('the next hour below the margin clears the hotspot; the 8-h O3 mean still above keeps its alert', async () => {
    clock = DAY + 7 * H + 10 * 60_000;
    await publishHours(6, 7);
    const cleared = nextEvent(dashboard, 'alert:cleared', (e) => e.alert.rule === 'hotspot');
    await t.app.ambientAlerts.tick();
    expect((await cleared).alert).toMatchObject({ mn: PARK, state: 'cleared', clearedAt: DAY + 6 * H, value: 82 });
    const [o3] = await alerts('rule=ozone-8h');
    expect(o3).toMatchObject({ state: 'active', lastSeenAt: DAY + 6 * H, count: 2 });
  });

  it('a station’s rule override switches its hotspot off; its other ambient rules still run', async () => {
    const admin = await t.signIn('admin');
    expect((await admin.call('PUT', `/api/rules/sources/${PARK}`, { rules: { hotspot: { enabled: false } } })).status).toBe(200);
    clock = DAY + 10 * H + 10 * 60_000;
    await publishHours(7, 10); // 人民公园站 far above the city mean again for 3 hours
    await t.app.ambientAlerts.tick();
    const [hotspot] = await alerts(`rule=hotspot&mn=${PARK}`);
    expect(hotspot).toMatchObject({ state: 'cleared', count: 4, clearedAt: DAY + 6 * H });
    expect((await alerts('rule=ozone-8h'))[0]).toMatchObject({ state: 'active', lastSeenAt: DAY + 9 * H });
  });
});
