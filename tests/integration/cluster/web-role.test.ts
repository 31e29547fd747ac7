/**
 * `--role web` (issue 15 item 2; server/parts/role-parts.ts) on the run's real PostgreSQL and
 * InfluxDB, a Redis and a Mosquitto of this file. A web process serves an officer's REST calls and a
 * dashboard's socket sign-in, and hears no reading: told the broker's address and an HJ 212 port, it
 * neither connects to the broker nor listens on the port. A reading published on the broker opens an
 * alert and is stored by an `all` process beside it (which proves the reading went out), while the
 * web process's own InfluxDB database and PostgreSQL alert store stay empty.
 */
import { connect } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Alert } from '../../../server/domain/alert';
import { dataTopic } from '../../../server/domain/mqtt-contract';
import { InfluxHttp } from '../../../server/storage/influx/influx-http';
import { telemetryOf } from '../../../server/storage/influx/influx-retention';
import { freePort, startMosquitto, startRedis, type Service } from '../../helpers/services';
import { freshPgDatabase } from '../../helpers/sql-engines';
import { connectDashboard, startTestApp, startTestWeb, type TestApp } from '../../helpers/test-app';
import type { RunningWeb } from '../../../server/app';
import { until } from '../../helpers/wait';

const QILU_NH3 = '370300NH3000000000000101'; // qilu-power, limit 2.5 mg/m³
const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

/** Whether something accepts TCP connections on this loopback port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('a web process (--role web)', () => {
  const run = `${process.pid}_${Date.now()}`;
  const dbs = { web: `o3_web_${run}`, all: `o3_all_${run}` };
  let database: Awaited<ReturnType<typeof freshPgDatabase>>;
  let redis: Service;
  let broker: Service;
  let web: TestApp<RunningWeb>;
  let hj212Port: number;
  let probe: MqttClient;
  /** The broker's count of connected clients, as it last published it ($SYS, at most every second, when it changes). */
  let connectedClients = -1;

  beforeAll(async () => {
    [database, redis, broker, hj212Port] = await Promise.all([
      freshPgDatabase(),
      startRedis(),
      startMosquitto(undefined, { sysIntervalS: 1 }),
      freePort(),
    ]);
    probe = await mqtt.connectAsync(broker.url, { clientId: `web-role-probe-${run}`, reconnectPeriod: 0 });
    probe.on('message', (topic, payload) => {
      if (topic === '$SYS/broker/clients/connected') connectedClients = Number(payload.toString());
    });
    await probe.subscribeAsync('$SYS/broker/clients/connected');
    web = await startTestWeb({
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      INFLUX_URL: inject('influxUrl'),
      INFLUX_DB: dbs.web,
      // Told where the broker and the HJ 212 port are, as an all-in-one process would be: it uses neither.
      MQTT_URL: broker.url,
      HJ212_PORT: String(hj212Port),
    });
  }, 120_000);
  afterAll(async () => {
    await probe?.endAsync();
    await web?.stop();
    await Promise.all([broker?.stop(), redis?.stop()]);
    await database?.drop();
  });

  it("serves an officer's REST calls and a dashboard's socket sign-in", async () => {
    const officer = await web.signIn('officer');
    const sources = await officer.call<{ items: { mn: string }[] }>('GET', '/api/sources');
    expect(sources.status).toBe(200);
    expect(sources.body.items.map((s) => s.mn)).toContain(QILU_NH3);
    expect((await officer.call('GET', '/api/alerts')).status).toBe(200);
    const socket = await connectDashboard(web.baseUrl, officer);
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });

  it('says it has no broker, and is ready on its store alone', async () => {
    const health = (await (await fetch(`${web.baseUrl}/healthz`)).json()) as { broker: string; hj212: { port: number | null } };
    expect(health).toMatchObject({ broker: 'none', hj212: { port: null } });
    const ready = await fetch(`${web.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, store: 'up', broker: 'none' });
    expect(await (await fetch(`${web.baseUrl}/metrics`)).text()).not.toContain('o3s_broker_connected');
  });

  it('opens no HJ 212 port and no broker connection; a reading on the broker reaches an all-in-one process, not it', async () => {
    expect(await listening(hj212Port)).toBe(false);
    // The web process is up. The broker publishes its count when it changes: one more client (a
    // marker) makes it publish, and it counts the probe and the marker only.
    const marker = await mqtt.connectAsync(broker.url, { clientId: `web-role-marker-${run}`, reconnectPeriod: 0 });
    await until(() => connectedClients >= 2, 'the broker counting the marker');
    expect(connectedClients).toBe(2);
    await marker.endAsync();
    await until(() => connectedClients === 1, 'the marker gone');

    const all: TestApp = await startTestApp({ INFLUX_URL: inject('influxUrl'), INFLUX_DB: dbs.all, MQTT_URL: broker.url });
    try {
      // The measure sees a process that does connect (the all-in-one process's subscriber).
      await until(() => connectedClients === 2, 'the all-in-one process counted by the broker');
      const ts = Date.now() - 60_000;
      await probe.publishAsync(dataTopic(QILU_NH3), nh3(ts, 3.1), { qos: 1 });
      const onAll = await all.signIn('officer');
      const opened = async (t: { call: typeof onAll.call }) =>
        (await t.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${QILU_NH3}&open=true`)).body.items;
      await until(async () => (await opened(onAll)).length === 1, 'the all-in-one process opened the alert');
      const stored = async (db: string) => {
        const influx = new InfluxHttp({ url: inject('influxUrl'), db, timeoutMs: 5_000 });
        const [series = []] = await influx
          .query(`SELECT a21001_rtd FROM ${telemetryOf('2011')} WHERE mn = '${QILU_NH3}'`)
          .catch(() => [[]]);
        return series.reduce((n, s) => n + s.values.length, 0);
      };
      await until(async () => (await stored(dbs.all)) === 1, 'the all-in-one process stored the reading');

      expect(await stored(dbs.web)).toBe(0);
      expect(await opened(await web.signIn('officer'))).toEqual([]);
      const health = (await (await fetch(`${web.baseUrl}/healthz`)).json()) as { ingest: { accepted: number } };
      expect(health.ingest.accepted).toBe(0);
      expect(connectedClients).toBe(2);
    } finally {
      await all.stop();
    }
  });
});
