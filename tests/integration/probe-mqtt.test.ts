/**
 * Probe suite (issue 12, Devices 2 and 6): the MQTT attacks of the review, re-run from outside
 * against the real app — once on its embedded broker (aedes), once on a real Mosquitto configured
 * by `npm run broker:credentials` with the app's ingest on it — with the app's own registry and
 * demo accounts:
 * - taking over the ingest's client id (clean and persistent) as an enterprise user and as a
 *   logger, and a logger's client id as another logger or a user: the ingest stays connected
 *   (no reconnect in its log) and goes on storing, the victim logger is not kicked;
 * - a PUBLISH declaring 100 MB, streamed: the connection is closed early, others are served;
 * - the topic ACL: a logger publishing as another MN, users reading what is not theirs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxPacketBytes } from '../../server/broker/packet-size-guard';
import { dataTopic, DEADLETTER_TOPIC } from '../../server/domain/mqtt-contract';
import { streamOversizePublish, tryConnect, watchCloses } from '../helpers/mqtt-attacks';
import { startSecuredMosquitto, type SecuredMosquitto } from '../helpers/secured-mosquitto';
import { loadConfig } from '../../server/config';
import { ROOT, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { eventually, until } from '../helpers/wait';

const A_NH3 = '370300NH3000000000000101'; // qilu-power
const B_NH3 = '370300NH3000000000000201'; // zichuan-cement
const B_CEMS = '370300CEMS00000000000201'; // zichuan-cement
const INGEST_ID = 'o3-probe-ingest';
const ENTERPRISE_A = { username: 'qilu-power', password: 'qilu-power-demo-2026' };
const ENTERPRISE_B = { username: 'zichuan-cement', password: 'zichuan-cement-demo-2026' };
const OFFICER = { username: 'officer', password: 'officer-demo-2026' };
const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

type Target = 'aedes' | 'mosquitto';

describe.each(['aedes', 'mosquitto'] as const)('MQTT probes on %s', (target: Target) => {
  let t: TestApp;
  let mosquitto: SecuredMosquitto | undefined;
  let dir: string;
  let logFile: string;
  let url: string;
  let officer: ApiSession;
  const clients: MqttClient[] = [];
  const pw = (mn: string) => t.config.registry.sources.find((s) => s.mn === mn)?.mqttPassword as string;
  const logger = (mn: string) => ({ username: mn, password: pw(mn) });
  const connectLogger = async (mn: string, clientId = `probe-${mn}`) => {
    const c = await mqtt.connectAsync(url, { clientId, ...logger(mn), reconnectPeriod: 0, connectTimeout: 5_000 });
    clients.push(c);
    return c;
  };
  /** What the broker answers a takeover attempt: aedes refuses it, Mosquitto renames the client to its username. */
  const takeoverAnswer = (isLogger: boolean) =>
    target === 'aedes' ? /identifier rejected/i : isLogger ? /^connected$/ : /not authori[sz]ed|bad user/i;
  const storedRtds = async (mn: string, from: number): Promise<number[]> => {
    const r = await officer.call<{ items: { rtd?: number }[] }>('GET', `/api/sources/${mn}/series?factor=a21001&cn=2011&from=${from}`);
    return r.body.items.map((i) => i.rtd as number);
  };
  const reconnects = () => (readFileSync(logFile, 'utf8').match(/broker connection lost; reconnecting/g) ?? []).length;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-probe-mqtt-'));
    logFile = join(dir, 'server.log');
    const env: Record<string, string> = { MQTT_CLIENT_ID: INGEST_ID, LOG_LEVEL: 'info', HJ212_ENABLED: 'false' };
    if (target === 'mosquitto') {
      const registry = loadConfig({ DATA_DIR: dir, REGISTRY_FILE: TEST_REGISTRY_FILE }, ROOT).registry;
      const ingest = { username: 'o3s-ingest', password: 'probe-ingest-secret' };
      mosquitto = await startSecuredMosquitto(registry.sources, ingest, maxPacketBytes(65_536));
      Object.assign(env, { MQTT_URL: mosquitto.url, MQTT_USERNAME: ingest.username, MQTT_PASSWORD: ingest.password });
    }
    t = await startTestApp(env, { logFile });
    url = t.app.mqttUrl;
    officer = await t.signIn('officer');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await t?.stop();
    await mosquitto?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['an enterprise user, clean session', ENTERPRISE_A, true],
    ['an enterprise user, persistent session', ENTERPRISE_A, false],
    ['an officer, clean session', OFFICER, true],
    ['a logger, clean session', 'logger', true],
    ['a logger, persistent session', 'logger', false],
  ] as const)('the ingest’s client id asked for by %s: no takeover, the ingest goes on storing', async (_who, who, clean) => {
    const creds = who === 'logger' ? logger(B_CEMS) : who;
    const before = reconnects();
    expect(await tryConnect(url, INGEST_ID, creds, clean)).toMatch(takeoverAnswer(who === 'logger'));
    const a = await connectLogger(A_NH3);
    const ts = Date.now() - 1_000;
    const value = 1 + Math.round(Math.random() * 1000) / 1000;
    await a.publishAsync(dataTopic(A_NH3), nh3(ts, value), { qos: 1 });
    await eventually(async () => ((await storedRtds(A_NH3, ts - 1)).includes(value) ? true : undefined), 'the next reading stored');
    const health = (await (await fetch(`${t.baseUrl}/healthz`)).json()) as { broker: string };
    expect(health.broker).toBe('connected');
    expect(reconnects()).toBe(before);
  });

  it.each([
    ['another logger', 'logger', `probe-${A_NH3}`],
    ['another logger, the bare MN', 'logger', A_NH3],
    ['an enterprise user of the same enterprise', ENTERPRISE_A, `probe-${A_NH3}`],
    ['an enterprise user of another enterprise', ENTERPRISE_B, A_NH3],
  ] as const)('a logger’s client id asked for by %s: the logger is not kicked', async (_who, who, victimId) => {
    const creds = who === 'logger' ? logger(B_NH3) : who;
    const victim = await connectLogger(A_NH3, victimId);
    const closes = watchCloses(victim);
    for (const clean of [true, false]) expect(await tryConnect(url, victimId, creds, clean)).toMatch(takeoverAnswer(who === 'logger'));
    await victim.publishAsync(dataTopic(A_NH3), nh3(Date.now() - 500, 1.5), { qos: 1 });
    expect(closes.closes).toBe(0);
    expect(victim.connected).toBe(true);
  });

  if (target === 'aedes')
    it('a user’s client id cannot be taken by another user; the broker counts the refusals', async () => {
      const officerClient = await mqtt.connectAsync(url, { clientId: 'u:officer', ...OFFICER, reconnectPeriod: 0 });
      clients.push(officerClient);
      const closes = watchCloses(officerClient);
      expect(await tryConnect(url, 'u:officer', ENTERPRISE_A, true)).toMatch(/identifier rejected/i);
      expect(await tryConnect(url, 'u:qilu-power:probe', ENTERPRISE_A, true)).toBe('connected');
      expect(closes.closes).toBe(0);
      const health = (await (await fetch(`${t.baseUrl}/healthz`)).json()) as { mqttBroker: { refused: Record<string, number> } };
      expect(health.mqttBroker.refused.client_id).toBeGreaterThanOrEqual(1 + 5 + 8);
      // …and in /metrics, for the operators' alerting.
      const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
      const line = /^o3s_refused_total\{door="mqtt_broker",reason="client_id"\} (\d+)$/m.exec(metrics);
      expect(Number(line?.[1])).toBe(health.mqttBroker.refused.client_id);
    });

  it('a PUBLISH declaring 100 MB is cut off after its header; the broker goes on serving', async () => {
    const out = await streamOversizePublish(url, `big-${B_NH3}`, logger(B_NH3), dataTopic(B_NH3));
    expect(out).toMatchObject({ connected: true, closedEarly: true });
    expect(out.bytesSent).toBeLessThan(4 * 1024 * 1024); // of 16 MiB: nothing close to the declared size was buffered
    const a = await connectLogger(A_NH3);
    const ts = Date.now() - 200;
    await a.publishAsync(dataTopic(A_NH3), nh3(ts, 2.25), { qos: 1 });
    await eventually(async () => ((await storedRtds(A_NH3, ts - 1)).includes(2.25) ? true : undefined), 'a reading after the big packet');
    if (target === 'aedes') {
      const health = (await (await fetch(`${t.baseUrl}/healthz`)).json()) as { mqttBroker: { refused: Record<string, number> } };
      expect(health.mqttBroker.refused.packet_too_large).toBe(1);
    }
  });

  it('a payload JSON must escape six-fold is dead-lettered within the packet cap; the ingest stays on', async () => {
    const before = reconnects();
    type Health = { ingest: { rejected: Record<string, number> } };
    const rejected = async () => ((await (await fetch(`${t.baseUrl}/healthz`)).json()) as Health).ingest.rejected.invalid_json ?? 0;
    const n = await rejected();
    const b = await connectLogger(B_NH3);
    await b.publishAsync(dataTopic(B_NH3), Buffer.alloc(60_000, 0x01), { qos: 1 }); // valid UTF-8, not JSON
    await until(async () => (await rejected()) === n + 1, 'the rejection');
    const ts = Date.now() - 100;
    await b.publishAsync(dataTopic(B_NH3), nh3(ts, 5.25), { qos: 1 });
    await eventually(async () => ((await storedRtds(B_NH3, ts - 1)).includes(5.25) ? true : undefined), 'the next reading');
    expect(reconnects()).toBe(before);
  });

  it('topic ACL: a logger publishing as another MN stores nothing', async () => {
    const a = await connectLogger(A_NH3);
    const ts = Date.now() - 300;
    if (target === 'aedes') {
      const closed = new Promise<void>((r) => a.once('close', () => r()));
      a.publish(dataTopic(B_NH3), nh3(ts, 77.7), { qos: 1 }, () => undefined);
      await closed; // refused before delivery, and the logger disconnected
    } else {
      await a.publishAsync(dataTopic(B_NH3), nh3(ts, 77.7), { qos: 1 }); // acknowledged and dropped
      await a.publishAsync(dataTopic(A_NH3), nh3(ts, 3.5), { qos: 1 });
      // Later on the same connection: once it is stored, the forged one would have been too.
      await eventually(async () => ((await storedRtds(A_NH3, ts - 1)).includes(3.5) ? true : undefined), 'A’s own reading');
    }
    expect(await storedRtds(B_NH3, ts - 1)).not.toContain(77.7);
  });

  if (target === 'aedes')
    it.each([
      [ENTERPRISE_A, dataTopic(B_NH3), 128],
      [ENTERPRISE_A, 'sentinel/v1/+/data', 128],
      [ENTERPRISE_A, DEADLETTER_TOPIC, 128],
      [ENTERPRISE_A, '#', 128],
      [ENTERPRISE_A, dataTopic(A_NH3), 1],
      [OFFICER, 'sentinel/v1/#', 1],
      [OFFICER, '$SYS/#', 128],
    ])('topic ACL: %o subscribing to %s is granted QoS %i', async (creds, filter, qos) => {
      const c = await mqtt.connectAsync(url, { clientId: `u:${creds.username}:acl`, ...creds, reconnectPeriod: 0 });
      clients.push(c);
      const granted = await c.subscribeAsync(filter, { qos: 1 }).then(
        (g) => g.map((x) => x.qos),
        (err: { packet?: { granted?: number[] } }) => err.packet?.granted,
      );
      expect(granted).toEqual([qos]);
    });

  if (target === 'mosquitto')
    it('topic ACL: user accounts cannot connect to Mosquitto at all', async () => {
      expect(await tryConnect(url, 'u:officer', OFFICER, true)).toMatch(/not authori[sz]ed|bad user/i);
    });

  it('the ingest never reconnected during the probes', () => {
    expect(reconnects()).toBe(0);
  });
});
