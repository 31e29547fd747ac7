/**
 * The Mosquitto password and ACL files that `npm run broker:credentials` writes, loaded by a real
 * Mosquitto with anonymous access off: a logger publishes its own topic and the ingest user gets
 * it; a logger publishing as another MN is dropped; a wrong password or no credentials is refused;
 * a logger cannot read another logger's replies. Client ids are the usernames
 * (`use_username_as_clientid`): a logger asking for the ingest's or another logger's client id
 * takes over nothing (clean or not); a packet over `max_packet_size` closes the connection early.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMosquittoAuthFiles } from '../../server/broker/mosquitto-credentials';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { hj212ReplyTopic, hj212Topic } from '../../server/domain/hj212/mqtt-topics';
import { streamOversizePublish, tryConnect, watchCloses } from '../helpers/mqtt-attacks';
import { findBinary, freePort } from '../helpers/services';
import { until } from '../helpers/wait';

const A = { mn: '370300CEMS00000000000101', mqttPassword: 'logger-a-secret' };
const B = { mn: '370300CEMS00000000000201', mqttPassword: 'logger-b-secret' };
const NO_PASSWORD = { mn: '370300CEMS00000000000301' };
const INGEST = { username: 'o3s-ingest', password: 'ingest-secret-42' };
const INGEST_ID = 'o3-sentinel-ingest';
const MAX_PACKET = 8192;

describe('Mosquitto with the generated password and ACL files', () => {
  let dir: string;
  let proc: ChildProcess;
  let url: string;
  let output = '';
  let ingest: MqttClient;
  const received: { topic: string; payload: string }[] = [];
  const clients: MqttClient[] = [];

  const connect = async (username: string | undefined, password: string | undefined, clientId: string) => {
    const c = await mqtt.connectAsync(url, { clientId, username, password, reconnectPeriod: 0, connectTimeout: 5_000 });
    clients.push(c);
    return c;
  };

  /** The ingest user as the server connects: its fixed client id, a persistent session. */
  const connectIngest = async () => {
    const c = mqtt.connect(url, { clientId: INGEST_ID, clean: false, ...INGEST, reconnectPeriod: 0, connectTimeout: 5_000 });
    clients.push(c);
    // Listening before the CONNACK: a resumed session's queued messages follow it at once.
    c.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
    await new Promise<void>((resolve, reject) => (c.once('connect', () => resolve()), c.once('error', reject)));
    return c;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-mosquitto-acl-'));
    chmodSync(dir, 0o755); // Mosquitto started as root drops to its own user, which must read the files.
    const files = writeMosquittoAuthFiles(dir, [A, B, NO_PASSWORD], INGEST, 1000, 0o644, MAX_PACKET);
    expect(files.skipped).toEqual([NO_PASSWORD.mn]);
    const port = await freePort();
    url = `mqtt://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      `listener ${port} 127.0.0.1\npersistence false\nlog_dest stderr\nlog_type error\nlog_type warning\n${files.confSnippet}`,
    );
    proc = spawn(findBinary('mosquitto'), ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stderr?.on('data', (b: Buffer) => (output += b.toString()));
    await until(async () => {
      if (proc.exitCode !== null) throw new Error(`mosquitto exited ${proc.exitCode}:\n${output}`);
      return mqtt
        .connectAsync(url, { username: INGEST.username, password: INGEST.password, reconnectPeriod: 0, clientId: `probe-${Date.now()}` })
        .then(
          (c) => (c.end(true), true),
          () => false,
        );
    }, 'mosquitto to accept the ingest user');

    ingest = await connectIngest();
    const granted = await ingest.subscribeAsync(['sentinel/v1/+/data', 'sentinel/v1/+/hj212'], { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1, 1]);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes a password file Mosquitto reads, in the $7$ format', () => {
    const lines = readFileSync(join(dir, 'passwd'), 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual([INGEST.username, A.mn, B.mn]);
    for (const l of lines) expect(l).toMatch(/^[^:]+:\$7\$1000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });

  it('logger A publishes its own data and HJ 212 topics; the ingest user receives both', async () => {
    const a = await connect(A.mn, A.mqttPassword, `logger-a-${Date.now()}`);
    await a.publishAsync(dataTopic(A.mn), '{"own":1}', { qos: 1 });
    await a.publishAsync(hj212Topic(A.mn), '##frame', { qos: 1 });
    await until(() => received.some((m) => m.topic === hj212Topic(A.mn)), 'A’s messages at the ingest user');
    expect(received.filter((m) => m.topic.includes(A.mn)).map((m) => m.payload)).toEqual(['{"own":1}', '##frame']);
  });

  it('logger A publishing on B’s topic is dropped; its next own message still arrives', async () => {
    const a = await connect(A.mn, A.mqttPassword, `logger-a2-${Date.now()}`);
    await a.publishAsync(dataTopic(B.mn), '{"forged":1}', { qos: 1 });
    await a.publishAsync(dataTopic(A.mn), '{"marker":1}', { qos: 1 });
    // Same connection, QoS 1: once the later marker is delivered, the forged one would have been too.
    await until(() => received.some((m) => m.payload === '{"marker":1}'), 'the marker');
    expect(received.some((m) => m.payload === '{"forged":1}')).toBe(false);
    expect(received.some((m) => m.topic === dataTopic(B.mn))).toBe(false);
  });

  it('refuses a wrong password, no credentials, and a source without an MQTT password', async () => {
    await expect(connect(A.mn, 'wrong-password', `bad-${Date.now()}`)).rejects.toThrow(/not authorized|bad user/i);
    await expect(connect(undefined, undefined, `anon-${Date.now()}`)).rejects.toThrow(/not authorized/i);
    await expect(connect(NO_PASSWORD.mn, 'anything-at-all', `nopw-${Date.now()}`)).rejects.toThrow(/not authorized|bad user/i);
  });

  it('a logger reads its own HJ 212 replies, not another logger’s', async () => {
    const a = await connect(A.mn, A.mqttPassword, `logger-a3-${Date.now()}`);
    const got: string[] = [];
    a.on('message', (topic) => got.push(topic));
    // Mosquitto 2.0 grants a subscription and then filters each message by the read ACL.
    await a.subscribeAsync([hj212ReplyTopic(A.mn), hj212ReplyTopic(B.mn)], { qos: 1 });
    await ingest.publishAsync(hj212ReplyTopic(B.mn), 'for B', { qos: 1 });
    await ingest.publishAsync(hj212ReplyTopic(A.mn), 'for A', { qos: 1 });
    await until(() => got.includes(hj212ReplyTopic(A.mn)), 'A’s reply');
    expect(got).toEqual([hj212ReplyTopic(A.mn)]);
  });

  it('generates a conf snippet that binds client ids to usernames and caps packets', () => {
    const conf = readFileSync(join(dir, 'auth.conf'), 'utf8');
    expect(conf).toMatch(/^use_username_as_clientid true$/m);
    expect(conf).toMatch(new RegExp(`^max_packet_size ${MAX_PACKET}$`, 'm'));
  });

  it.each([
    ['logger B asking for the ingest’s client id, clean', B, INGEST_ID, true],
    ['logger B asking for the ingest’s client id, persistent', B, INGEST_ID, false],
  ])('%s: the ingest is not kicked and its queued messages survive', async (_what, attacker, clientId, clean) => {
    await ingest.endAsync(); // away, as during a server restart: the broker queues for its session
    const a = await connect(A.mn, A.mqttPassword, A.mn);
    for (let i = 0; i < 5; i++) await a.publishAsync(dataTopic(A.mn), `queued-${clean}-${i}`, { qos: 1 });
    // Connects (Mosquitto renames it to its username) but takes over nothing.
    expect(await tryConnect(url, clientId, { username: attacker.mn, password: attacker.mqttPassword }, clean)).toBe('connected');
    ingest = await connectIngest();
    const want = [0, 1, 2, 3, 4].map((i) => `queued-${clean}-${i}`);
    await until(() => want.every((w) => received.some((m) => m.payload === w)), 'the queued messages after the attempt');
    const victim = watchCloses(ingest);
    expect(await tryConnect(url, clientId, { username: attacker.mn, password: attacker.mqttPassword }, clean)).toBe('connected');
    await a.publishAsync(dataTopic(A.mn), `after-${clean}`, { qos: 1 });
    await until(() => received.some((m) => m.payload === `after-${clean}`), 'the next message at the ingest');
    expect(victim.closes).toBe(0);
  });

  it('logger B asking for logger A’s client id does not kick A', async () => {
    const a = await connect(A.mn, A.mqttPassword, A.mn);
    const victim = watchCloses(a);
    for (const clean of [true, false]) {
      expect(await tryConnect(url, A.mn, { username: B.mn, password: B.mqttPassword }, clean)).toBe('connected');
    }
    await a.publishAsync(dataTopic(A.mn), '{"a-still":1}', { qos: 1 });
    await until(() => received.some((m) => m.payload === '{"a-still":1}'), 'A’s next message');
    expect(victim.closes).toBe(0);
  });

  it('closes a connection whose PUBLISH declares 100 MB early, and serves others', async () => {
    const out = await streamOversizePublish(url, 'big', { username: B.mn, password: B.mqttPassword }, dataTopic(B.mn));
    expect(out.connected).toBe(true);
    expect(out.closedEarly).toBe(true);
    expect(out.bytesSent).toBeLessThan(4 * 1024 * 1024);
    const a = await connect(A.mn, A.mqttPassword, A.mn);
    await a.publishAsync(dataTopic(A.mn), '{"after-big":1}', { qos: 1 });
    await until(() => received.some((m) => m.payload === '{"after-big":1}'), 'A’s message after the big one');
  });
});
