/**
 * The whole path on real services: MQTT publish → real Mosquitto → ingest → real InfluxDB → limit
 * rule → alert pushed to a socket.io client and listed over REST; bad payloads dead-lettered.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEADLETTER_TOPIC, dataTopic } from '../../server/domain/mqtt-contract';
import { withEffectiveLimits } from '../../server/domain/limit-pack';
import { InfluxHttp } from '../../server/storage/influx/influx-http';
import { telemetryOf } from '../../server/storage/influx/influx-retention';
import { startFleet } from '../../simulators/fleet';
import { buildScenario } from '../../simulators/scenarios';
import { connectDashboard, nextEvent, startTestApp, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { eventually, until } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const CEMENT_NH3 = '370300NH3000000000000201'; // limit 8 mg/m³ (rule pack default)
const WTE_NH3 = '370300NH3000000000000701'; // limit 8 mg/m³
const db = `pipeline_${Date.now()}`;

describe('MQTT → Mosquitto → ingest → InfluxDB → alert → socket.io', () => {
  let t: TestApp;
  let dashboard: DashboardSocket;
  let logger: MqttClient;
  let influx: InfluxHttp;
  const deadLetters: { reason: string; topic: string; detail: string }[] = [];
  const base = Date.now() - 600_000;

  const publish = (mn: string, body: unknown) =>
    logger.publishAsync(dataTopic(mn), typeof body === 'string' ? body : JSON.stringify(body), { qos: 1 });
  const nh3 = (ts: number, rtd: number) => ({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });
  const stored = async (mn: string, ts: number) => {
    const [series = []] = await influx.query(`SELECT a21001_rtd FROM ${telemetryOf('2011')} WHERE mn = '${mn}' AND time = ${ts}ms`);
    return series[0]?.values[0]?.[1] as number | undefined;
  };

  beforeAll(async () => {
    t = await startTestApp({ MQTT_URL: broker.url(), INFLUX_URL: inject('influxUrl'), INFLUX_DB: db });
    influx = new InfluxHttp({ url: inject('influxUrl'), db, timeoutMs: 5_000 });
    dashboard = await connectDashboard(t.baseUrl);
    logger = await mqtt.connectAsync(broker.url(), { clientId: `logger-${Date.now()}` });
    const watcher = await mqtt.connectAsync(broker.url());
    await watcher.subscribeAsync(DEADLETTER_TOPIC, { qos: 1 });
    watcher.on('message', (_topic, payload) => deadLetters.push(JSON.parse(payload.toString())));
    return () => watcher.endAsync();
  });
  afterAll(async () => {
    dashboard?.close();
    await logger?.endAsync();
    await t?.stop();
  });

  it('a21001 = 8.5 mg/m³ opens an alert, pushed live and listed over REST, and the reading is in InfluxDB', async () => {
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === CEMENT_NH3);
    await publish(CEMENT_NH3, nh3(base, 8.5));
    const { alert } = await opened;
    expect(alert).toMatchObject({
      mn: CEMENT_NH3,
      enterpriseId: 'zichuan-cement',
      factor: 'a21001',
      rule: 'limit-instant',
      severity: 'warning',
      state: 'active',
      value: 8.5,
      limit: 8,
      unit: 'mg/m³',
      openedAt: base,
    });

    expect(await (await fetch(`${t.baseUrl}/readyz`)).json()).toEqual({ ready: true, store: 'up', broker: 'connected' });
    const officer = await t.signIn('officer');
    const res = await officer.fetch('/api/alerts?state=active');
    const { items } = (await res.json()) as { items: { id: number; mn: string }[] };
    expect(items.find((a) => a.id === alert.id)).toMatchObject({ mn: CEMENT_NH3 });
    expect(await eventually(() => stored(CEMENT_NH3, base), 'the reading in InfluxDB')).toBe(8.5);
  });

  it('a21001 = 7.5 mg/m³ opens no alert (the next exceedance is the first alert of that source)', async () => {
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === WTE_NH3);
    await publish(WTE_NH3, nh3(base, 7.5));
    await publish(WTE_NH3, nh3(base + 30_000, 9.2));
    const { alert } = await opened;
    expect(alert).toMatchObject({ value: 9.2, openedAt: base + 30_000, count: 1 });
    expect(await eventually(() => stored(WTE_NH3, base), 'the 7.5 reading in InfluxDB')).toBe(7.5);
  });

  it('a reading back under the limit by the hysteresis margin clears the alert; just under does not', async () => {
    const cleared = nextEvent(dashboard, 'alert:cleared', (e) => e.alert.mn === CEMENT_NH3);
    await publish(CEMENT_NH3, nh3(base + 30_000, 7.9)); // within 5 % of 8: the alert stays
    await publish(CEMENT_NH3, nh3(base + 60_000, 7.5));
    expect((await cleared).alert).toMatchObject({ state: 'cleared', clearedAt: base + 60_000 });
    const active = (await (await (await t.signIn('officer')).fetch('/api/alerts?state=active')).json()) as { items: { mn: string }[] };
    expect(active.items.filter((a) => a.mn === CEMENT_NH3)).toEqual([]);
  });

  it('malformed payloads are rejected with their reason, dead-lettered, and the next valid one lands', async () => {
    const before = { ...t.app.stats.rejected };
    await publish(CEMENT_NH3, '{"cn":"2011",');
    await publish(CEMENT_NH3, { cn: '2011', ts: '2026-07-01 10:00', factors: { a21001: { rtd: 'high' } } });
    await publish(CEMENT_NH3, { cn: '9999', ts: base, factors: {} });
    await publish('370300NH3000000000009999', nh3(base, 1));
    await publish(CEMENT_NH3, nh3(base + 90_000, 3.3));

    expect(await eventually(() => stored(CEMENT_NH3, base + 90_000), 'the valid reading after the bad ones')).toBe(3.3);
    await until(() => deadLetters.length >= 4, 'four dead letters');
    expect(deadLetters.map((d) => d.reason)).toEqual(['invalid_json', 'invalid_payload', 'invalid_payload', 'unknown_mn']);
    expect(deadLetters[1]?.detail).toMatch(/ts must be epoch ms or ISO-8601 with an offset/);
    expect(deadLetters[1]?.detail).toMatch(/factors\.a21001\.rtd/);
    expect(deadLetters[2]?.detail).toMatch(/^cn: /);
    expect(deadLetters[3]?.detail).toMatch(/not registered/);
    expect(t.app.stats.rejected.invalid_json - before.invalid_json).toBe(1);
    expect(t.app.stats.rejected.invalid_payload - before.invalid_payload).toBe(2);
    expect(t.app.stats.rejected.unknown_mn - before.unknown_mn).toBe(1);
  });

  it('the simulators’ exceedance scenario, through Mosquitto, raises the alert on the dashboard', async () => {
    const registry = withEffectiveLimits(t.config.registry, t.config.limits);
    const QILU_SCR = '370300NH3000000000000101'; // its permit: 2.5 mg/m³
    const scenario = buildScenario('exceedance', registry, { mn: QILU_SCR, startS: 0, durationS: 3600 });
    const fleet = await startFleet({
      url: broker.url(),
      registry,
      intervalMs: 5_000,
      scenario,
      seed: 7,
      autoStart: false,
      clientIdPrefix: 'it-sim-',
    });
    try {
      const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === QILU_SCR);
      const at = Math.floor(Date.now() / 1000) * 1000 - 1_000;
      await fleet.round(at);
      const { alert } = await opened;
      expect(alert).toMatchObject({ factor: 'a21001', limit: 2.5, state: 'active' });
      expect(alert.value).toBeGreaterThan(2.5);
      expect(fleet.counters).toMatchObject({ published: registry.sources.length, failed: 0 });
      expect(alert.openedAt).toBe(at);
      expect(await eventually(() => stored(QILU_SCR, at), 'the simulated reading in InfluxDB')).toBe(alert.value);
    } finally {
      await fleet.stop();
    }
  });
});
