/**
 * Chaos under steady load (issue "Nothing lost"): a real Mosquitto, a real InfluxDB and the server
 * as its own process. InfluxDB is stopped for 30 s, the server is killed with SIGKILL and started
 * again, the broker is restarted. After each, every reading published is in InfluxDB exactly once
 * (counted per source: each reading has its own instant, and InfluxDB keeps one point per series
 * and instant) and the open alerts are what the data implies. Figures go to tests/artifacts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, type ServerChild } from '../../bench/processes';
import { InfluxHttp } from '../../server/storage/influx/influx-http';
import { telemetryOf } from '../../server/storage/influx/influx-retention';
import { freePort, startInfluxd, startMosquitto, type Service } from '../helpers/services';
import { SteadyLoad, type LoadSource } from '../helpers/steady-load';
import { signIn } from '../helpers/test-app';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { until } from '../helpers/wait';

const EXCEEDING = '370300NH3000000000000201'; // SNCR ammonia slip, limit 8 mg/m³: every reading 9–10
// Each value also drifts with i (period 997): exactly periodic data would be suspected copied data (`copied-data`).
const SOURCES: LoadSource[] = [
  { mn: EXCEEDING, factor: 'a21001', value: (i) => 9 + (i % 10) / 10 + (i % 997) / 1e4 },
  { mn: '370300NH3000000000000101', factor: 'a21001', value: (i) => 1 + (i % 10) / 10 + (i % 997) / 1e4 }, // SCR, limit 2.5
  { mn: '370300NH3000000000000701', factor: 'a21001', value: (i) => 3 + (i % 20) / 10 + (i % 997) / 1e4 },
  { mn: '370300AQS000000000001001', factor: 'a05024', value: (i) => 60 + (i % 40) },
  { mn: '370300AQS000000000001002', factor: 'a05024', value: (i) => 80 + (i % 30) },
];
const EVERY_MS = 20; // 50 readings/s
const DB = 'chaos';
const ARTIFACTS = join(ROOT, 'tests/artifacts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('nothing lost: outages, kill -9 and broker restarts under steady load', () => {
  let influx: Service;
  let mosquitto: Service;
  let server: ServerChild;
  let load: SteadyLoad;
  let db: InfluxHttp;
  let dataDir: string;
  let port: number;
  const figures: Record<string, unknown> = {};

  const launch = () =>
    startServer(
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        MQTT_URL: mosquitto.url,
        INFLUX_URL: influx.url,
        INFLUX_DB: DB,
        // The readings are of fixed days in 2026: a 90-day real-time policy would refuse them (as startTestApp).
        RETENTION_REALTIME_DAYS: '3650',
        RETENTION_MINUTE_DAYS: '3650',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        SIMULATE: 'false',
        HJ212_ENABLED: 'false',
        MQTT_CLIENT_ID: 'o3-chaos-ingest',
        INFLUX_FLUSH_MS: '50',
        SPOOL_SYNC_MS: '200',
        AUTH_DEMO_ACCOUNTS: 'true',
        AUTH_FORCE_PASSWORD_CHANGE: 'false', // signs in as demo accounts (tests/helpers/test-app.ts)
        INGEST_MAX_PAST_AGE_H: '0', // the load replays a fixed July day
        REGISTRY_FILE: TEST_REGISTRY_FILE,
      },
      { logFile: join(ARTIFACTS, 'chaos-server.log'), appendLog: true },
    );

  const storedCount = async (s: LoadSource): Promise<number> => {
    const [series = []] = await db.query(`SELECT count("${s.factor}_rtd") FROM ${telemetryOf('2011')} WHERE mn = '${s.mn}'`);
    return Number(series[0]?.values[0]?.[1] ?? 0);
  };
  const counts = async () => Object.fromEntries(await Promise.all(SOURCES.map(async (s) => [s.mn, await storedCount(s)] as const)));
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  };

  /** Stops the load, waits until everything published is stored, checks exactly once and the alerts. */
  async function expectNothingLost(scenario: string): Promise<void> {
    const started = Date.now();
    await load.stop();
    const published = Object.fromEntries(load.published);
    let stored: Record<string, number> = {};
    await until(
      async () => {
        stored = await counts();
        return SOURCES.every((s) => stored[s.mn] === published[s.mn]);
      },
      `${scenario}: every published reading in InfluxDB`,
      90_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\npublished ${JSON.stringify(published)}\nstored    ${JSON.stringify(stored)}`);
    });
    expect(stored).toEqual(published); // none missing; InfluxDB holds one point per series and instant
    // The open alerts on the loaded sources (the registry's other, silent sources may go offline).
    const officer = await signIn(server.baseUrl, 'officer');
    const { items } = (await (await officer.fetch('/api/alerts?state=active')).json()) as {
      items: { mn: string; factor: string; rule: string }[];
    };
    const loaded = new Set(SOURCES.map((s) => s.mn));
    expect([...new Set(items.filter((a) => loaded.has(a.mn)).map((a) => `${a.mn} ${a.factor} ${a.rule}`))]).toEqual([
      `${EXCEEDING} a21001 limit-instant`,
    ]);
    figures[scenario] = { ...(figures[scenario] as object), published: load.total, drainedMs: Date.now() - started };
    load.resume(EVERY_MS);
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    rmSync(join(ARTIFACTS, 'chaos-server.log'), { force: true });
    dataDir = mkdtempSync(join(tmpdir(), 'o3-chaos-'));
    [influx, mosquitto, port] = await Promise.all([startInfluxd(), startMosquitto(), freePort()]);
    db = new InfluxHttp({ url: influx.url, db: DB, timeoutMs: 5_000 });
    server = await launch();
    load = await SteadyLoad.start(mosquitto.url, SOURCES, EVERY_MS, Date.parse('2026-07-01T08:00:00+08:00'));
    await sleep(3_000);
  }, 120_000);

  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'chaos-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    await load?.close();
    await server?.stop();
    await Promise.all([influx?.stop(), mosquitto?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('InfluxDB stopped for 30 s: readings wait in the spool and are all written once it is back', async () => {
    await influx.halt();
    let peakDepth = 0;
    for (const end = Date.now() + 30_000; Date.now() < end;) {
      await sleep(1_000);
      peakDepth = Math.max(peakDepth, await metric('o3s_spool_depth'));
    }
    expect(peakDepth).toBeGreaterThan(1_000); // ~50/s for 30 s, visible while it lasts
    const health = (await (await fetch(`${server.baseUrl}/healthz`)).json()) as { broker: string };
    expect(health.broker).toBe('connected'); // ingest went on acknowledging: the spool took it
    const back = Date.now();
    await influx.resume();
    await until(async () => (await metric('o3s_spool_depth')) === 0, 'the spool to drain', 90_000);
    figures.influxOutage = { downMs: 30_000, peakSpoolDepth: peakDepth, spoolDrainedMs: Date.now() - back };
    await expectNothingLost('influxOutage');
  }, 240_000);

  it('server killed with SIGKILL and started again: the spool and the broker session give back every reading', async () => {
    await sleep(3_000);
    const killedAt = Date.now();
    await server.kill();
    await sleep(3_000); // the load goes on; the broker queues for the persistent session
    server = await launch();
    figures.serverKill = { downMs: Date.now() - killedAt };
    await sleep(3_000);
    await expectNothingLost('serverKill');
  }, 240_000);

  it('broker restarted: ingest reconnects, the session resumes, nothing is lost', async () => {
    await sleep(3_000);
    const haltedAt = Date.now();
    await mosquitto.halt();
    await sleep(3_000);
    await mosquitto.resume();
    await until(async () => (await metric('o3s_broker_connected')) === 1, 'ingest to reconnect', 60_000);
    figures.brokerRestart = { reconnectedAfterMs: Date.now() - haltedAt };
    await sleep(3_000);
    await expectNothingLost('brokerRestart');
  }, 240_000);
});
