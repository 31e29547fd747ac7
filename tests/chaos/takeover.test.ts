/**
 * Chaos under steady load (issue 12, Devices 2): client-id takeover attempts. The server runs as
 * its own process with a real InfluxDB, on the embedded broker (aedes) and on a real Mosquitto
 * configured by `npm run broker:credentials`; the load comes from the loggers themselves (username
 * = MN, their own connections). While it runs, an enterprise user and another logger keep asking
 * for the ingest's client id (clean and persistent sessions) and for a loaded logger's client id.
 * Afterwards every acknowledged reading is in InfluxDB exactly once, the ingest never lost its
 * connection, and no loaded logger was kicked.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ROOT, startServer, type ServerChild } from '../../bench/processes';
import { maxPacketBytes } from '../../server/broker/packet-size-guard';
import { registrySchema } from '../../server/domain/registry';
import { InfluxHttp } from '../../server/storage/influx/influx-http';
import { telemetryOf } from '../../server/storage/influx/influx-retention';
import { tryConnect } from '../helpers/mqtt-attacks';
import { startSecuredMosquitto, type SecuredMosquitto } from '../helpers/secured-mosquitto';
import { freePort, startInfluxd, type Service } from '../helpers/services';
import { SteadyLoad, type LoadSource } from '../helpers/steady-load';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { until } from '../helpers/wait';

const registry = registrySchema.parse(parseYaml(readFileSync(TEST_REGISTRY_FILE, 'utf8')));
const passwordOf = (mn: string) => registry.sources.find((s) => s.mn === mn)?.mqttPassword as string;
const SOURCES: LoadSource[] = [
  { mn: '370300NH3000000000000201', factor: 'a21001', value: (i) => 9 + (i % 10) / 10 + (i % 997) / 1e4 },
  { mn: '370300NH3000000000000101', factor: 'a21001', value: (i) => 1 + (i % 10) / 10 + (i % 997) / 1e4 },
  { mn: '370300AQS000000000001001', factor: 'a05024', value: (i) => 60 + (i % 40) },
];
const VICTIM = SOURCES[1]!.mn;
const VICTIM_ID = `load-${VICTIM}`;
const ATTACKER_LOGGER = '370300CEMS00000000000201'; // not in the load
const ENTERPRISE_USER = { username: 'qilu-power', password: 'qilu-power-demo-2026' };
const INGEST = { username: 'o3s-ingest', password: 'chaos-ingest-secret', clientId: 'o3-chaos-ingest' };
const EVERY_MS = 20;
const ARTIFACTS = join(ROOT, 'tests/artifacts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Attempt {
  who: string;
  creds: { username: string; password: string };
  clientId: string;
  clean: boolean;
}

const ATTACKER = { username: ATTACKER_LOGGER, password: passwordOf(ATTACKER_LOGGER) };
const ATTEMPTS: Attempt[] = [true, false].flatMap((clean) => [
  { who: 'enterprise user → ingest id', creds: ENTERPRISE_USER, clientId: INGEST.clientId, clean },
  { who: 'logger → ingest id', creds: ATTACKER, clientId: INGEST.clientId, clean },
  { who: 'logger → victim logger id', creds: ATTACKER, clientId: VICTIM_ID, clean },
  { who: 'enterprise user → victim logger id', creds: ENTERPRISE_USER, clientId: VICTIM_ID, clean },
]);

describe.each([
  // aedes refuses every attempt ("identifier rejected") before it touches the owner's session.
  ['aedes', () => /identifier rejected/i],
  // Mosquitto renames a logger's connection to its username (it takes over nothing) and knows no users.
  ['mosquitto', (a: Attempt) => (a.creds === ENTERPRISE_USER ? /not authori[sz]ed|bad user/i : /^connected$/)],
] as const)('client-id takeover attempts under steady QoS 1 load (%s)', (broker, expected) => {
  let influx: Service;
  let mosquitto: SecuredMosquitto | undefined;
  let server: ServerChild;
  let load: SteadyLoad;
  let db: InfluxHttp;
  let dataDir: string;
  let mqttUrl: string;
  const logFile = join(ARTIFACTS, `chaos-takeover-${broker}.log`);

  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  };
  const stored = async (s: LoadSource): Promise<number> => {
    const [series = []] = await db.query(`SELECT count("${s.factor}_rtd") FROM ${telemetryOf('2011')} WHERE mn = '${s.mn}'`);
    return Number(series[0]?.values[0]?.[1] ?? 0);
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    rmSync(logFile, { force: true });
    dataDir = mkdtempSync(join(tmpdir(), 'o3-chaos-takeover-'));
    const [port, mqttPort] = await Promise.all([freePort(), freePort()]);
    influx = await startInfluxd();
    db = new InfluxHttp({ url: influx.url, db: `takeover_${broker}`, timeoutMs: 5_000 });
    const env: Record<string, string> = {
      PORT: String(port),
      HOST: '127.0.0.1',
      INFLUX_URL: influx.url,
      INFLUX_DB: `takeover_${broker}`,
      // The readings are of fixed days in 2026: a 90-day real-time policy would refuse them (as startTestApp).
      RETENTION_REALTIME_DAYS: '3650',
      RETENTION_MINUTE_DAYS: '3650',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      SIMULATE: 'false',
      HJ212_ENABLED: 'false',
      MQTT_CLIENT_ID: INGEST.clientId,
      INFLUX_FLUSH_MS: '50',
      SPOOL_SYNC_MS: '200',
      AUTH_DEMO_ACCOUNTS: 'true',
      AUTH_FORCE_PASSWORD_CHANGE: 'false', // signs in as demo accounts (tests/helpers/test-app.ts)
      MQTT_USERNAME: INGEST.username,
      INGEST_MAX_PAST_AGE_H: '0', // the load replays a fixed July day
      REGISTRY_FILE: TEST_REGISTRY_FILE,
    };
    if (broker === 'aedes') {
      mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
      Object.assign(env, { MQTT_URL: '', MQTT_PORT: String(mqttPort), INTERNAL_MQTT_PASSWORD: INGEST.password });
    } else {
      mosquitto = await startSecuredMosquitto(registry.sources, INGEST, maxPacketBytes(65_536));
      mqttUrl = mosquitto.url;
      Object.assign(env, { MQTT_URL: mqttUrl, MQTT_PASSWORD: INGEST.password });
    }
    server = await startServer(env, { logFile });
    load = await SteadyLoad.start(mqttUrl, SOURCES, EVERY_MS, Date.parse('2026-07-01T08:00:00+08:00'), { password: passwordOf });
    await sleep(2_000);
  }, 120_000);

  afterAll(async () => {
    await load?.close();
    await server?.stop();
    await Promise.all([influx?.stop(), mosquitto?.stop()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing acknowledged, keeps the ingest connected and kicks no logger', async () => {
    let ingestDown = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        if ((await metric('o3s_broker_connected')) !== 1) ingestDown++;
        await sleep(100);
      }
    })();
    const outcomes: string[] = [];
    for (let round = 0; round < 10; round++) {
      for (const a of ATTEMPTS) {
        const outcome = await tryConnect(mqttUrl, a.clientId, a.creds, a.clean);
        outcomes.push(outcome);
        expect(outcome, `${a.who} (clean ${a.clean}), round ${round}`).toMatch(expected(a));
      }
      await sleep(500);
    }
    await sleep(2_000); // a kicked ingest would have shown by now
    polling = false;
    await poll;

    await load.stop();
    const published = Object.fromEntries(load.published);
    let counts: Record<string, number> = {};
    await until(
      async () => {
        counts = Object.fromEntries(await Promise.all(SOURCES.map(async (s) => [s.mn, await stored(s)] as const)));
        return SOURCES.every((s) => counts[s.mn] === published[s.mn]);
      },
      'every acknowledged reading in InfluxDB',
      90_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\npublished ${JSON.stringify(published)}\nstored    ${JSON.stringify(counts)}`);
    });
    expect(counts).toEqual(published);
    expect(load.total).toBeGreaterThan(300); // ~50 readings/s while the attempts went on
    expect(ingestDown).toBe(0);
    expect(Object.fromEntries(load.closes)).toEqual(Object.fromEntries(SOURCES.map((s) => [`load-${s.mn}`, 0])));
    const log = readFileSync(logFile, 'utf8');
    expect(log).not.toMatch(/broker connection lost; reconnecting/);
    if (broker === 'aedes') {
      const health = (await (await fetch(`${server.baseUrl}/healthz`)).json()) as { mqttBroker: { refused: Record<string, number> } };
      expect(health.mqttBroker.refused.client_id).toBeGreaterThanOrEqual(outcomes.length);
    }
  }, 240_000);
});
