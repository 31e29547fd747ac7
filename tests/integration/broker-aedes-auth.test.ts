/**
 * The embedded aedes broker with the auth hooks, on a free port, with real mqtt.js clients: data
 * loggers (username = MN, registry mqttPassword), the server's internal ingest client, and user
 * accounts of each role connecting read-only.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { LoginGuard } from '../../server/auth/login-guard';
import { createPasswordHasher } from '../../server/auth/password';
import { UserStore } from '../../server/auth/user-store';
import { createBrokerAuth, userChecker } from '../../server/broker/broker-auth';
import { EmbeddedBroker } from '../../server/broker/embedded-broker';
import { dataTopic, DEADLETTER_TOPIC } from '../../server/domain/mqtt-contract';
import { hj212ReplyTopic } from '../../server/domain/hj212/mqtt-topics';
import { registrySchema } from '../../server/domain/registry';
import { createLogger } from '../../server/logger';
import { until } from '../helpers/wait';

const ROOT = resolve(import.meta.dirname, '../..');
const registry = registrySchema.parse(parseYaml(readFileSync(join(ROOT, 'config/registry.yaml'), 'utf8')));
const bySource = new Map(registry.sources.map((s) => [s.mn, s]));
const A = bySource.get('370300CEMS00000000000101')!; // qilu-power
const B = bySource.get('370300CEMS00000000000201')!; // zichuan-cement
const INTERNAL = { username: 'o3s-internal', password: 'internal-secret-xyz' };
const PW = 'correct horse battery';

describe('embedded aedes broker with auth', () => {
  let broker: EmbeddedBroker;
  let url: string;
  let internal: MqttClient;
  const atInternal: { topic: string; payload: string }[] = [];
  const clients: MqttClient[] = [];
  let n = 0;

  const connect = async (username?: string, password?: string) => {
    const c = await mqtt.connectAsync(url, { clientId: `t${n++}-${username ?? 'anon'}`.slice(0, 23), username, password, reconnectPeriod: 0, connectTimeout: 5_000 });
    clients.push(c);
    return c;
  };
  /** The granted QoS of one subscription; mqtt.js rejects a SUBACK with 128 but keeps the packet. */
  const grantedQos = async (c: MqttClient, filter: string): Promise<number> => {
    try {
      return (await c.subscribeAsync(filter, { qos: 1 }))[0]!.qos;
    } catch (err) {
      const granted = (err as { packet?: { granted?: number[] } }).packet?.granted;
      if (granted?.length === 1) return granted[0]!;
      throw err;
    }
  };

  beforeAll(async () => {
    const users = new UserStore(new Database(':memory:'), createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }));
    for (const [username, role, enterpriseId] of [['officer1', 'officer', null], ['ozone1', 'ozone', null], ['qilu1', 'enterprise', 'qilu-power'], ['gone1', 'officer', null], ['admin1', 'admin', null]] as const) {
      await users.create({ username, role, enterpriseId, password: PW });
    }
    users.update(users.findByUsername('gone1')!.id, { disabled: true });
    const auth = createBrokerAuth({
      source: (mn) => bySource.get(mn),
      internal: INTERNAL,
      checkUser: userChecker(users),
      guard: new LoginGuard(),
      log: createLogger('silent'),
    });
    broker = new EmbeddedBroker(createLogger('silent'), { auth });
    url = `mqtt://127.0.0.1:${await broker.start(0, '127.0.0.1')}`;
    internal = await connect(INTERNAL.username, INTERNAL.password);
    internal.on('message', (topic, payload) => atInternal.push({ topic, payload: payload.toString() }));
    expect(await grantedQos(internal, 'sentinel/v1/#')).toBe(1);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.stop();
  });

  it('logger A publishes its own topic and the internal client receives it', async () => {
    const a = await connect(A.mn, A.mqttPassword);
    await a.publishAsync(dataTopic(A.mn), '{"own":1}', { qos: 1 });
    await until(() => atInternal.some((m) => m.payload === '{"own":1}'), 'A’s reading');
    expect(atInternal.find((m) => m.payload === '{"own":1}')?.topic).toBe(dataTopic(A.mn));
  });

  it('logger A publishing on B’s topic is not delivered, and A is disconnected', async () => {
    const a = await connect(A.mn, A.mqttPassword);
    const closed = new Promise<void>((r) => a.once('close', () => r()));
    a.publish(dataTopic(B.mn), '{"forged":1}', { qos: 0 });
    await closed;
    const b = await connect(B.mn, B.mqttPassword);
    await b.publishAsync(dataTopic(B.mn), '{"marker":1}', { qos: 1 });
    await until(() => atInternal.some((m) => m.payload === '{"marker":1}'), 'B’s own reading');
    expect(atInternal.some((m) => m.payload === '{"forged":1}')).toBe(false);
  });

  it.each([
    ['a wrong logger password', A.mn, 'not-the-password', /bad user ?name or password/i],
    ['another logger’s password', A.mn, B.mqttPassword, /bad user ?name or password/i],
    ['no credentials', undefined, undefined, /not authori[sz]ed/i],
    ['a wrong internal password', INTERNAL.username, 'guess-guess', /bad user ?name or password/i],
    ['a wrong user password', 'officer1', 'wrong horse battery', /bad user ?name or password/i],
    ['a disabled user', 'gone1', PW, /bad user ?name or password/i],
    ['an unknown username', 'nobody', PW, /bad user ?name or password/i],
  ])('refuses the connection with %s', async (_what, username, password, message) => {
    await expect(connect(username, password)).rejects.toThrow(message);
  });

  it('an enterprise user subscribes to its own enterprise’s topics only (QoS 128 otherwise)', async () => {
    const ent = await connect('qilu1', PW);
    expect(await grantedQos(ent, dataTopic(A.mn))).toBe(1);
    expect(await grantedQos(ent, `sentinel/v1/${A.mn}/#`)).toBe(1);
    expect(await grantedQos(ent, dataTopic(B.mn))).toBe(128);
    expect(await grantedQos(ent, 'sentinel/v1/+/data')).toBe(128);
    expect(await grantedQos(ent, '#')).toBe(128);
    expect(await grantedQos(ent, DEADLETTER_TOPIC)).toBe(128);
    const got: string[] = [];
    ent.on('message', (topic) => got.push(topic));
    await internal.publishAsync(dataTopic(B.mn), 'b', { qos: 1 });
    await internal.publishAsync(dataTopic(A.mn), 'a', { qos: 1 });
    // Published after B's by the same client at QoS 1: once A's arrives, B's would have too.
    await until(() => got.includes(dataTopic(A.mn)), 'A’s reading');
    expect(new Set(got)).toEqual(new Set([dataTopic(A.mn)]));
  });

  it.each([
    ['officer1', DEADLETTER_TOPIC, 1],
    ['officer1', 'sentinel/v1/#', 1],
    ['admin1', DEADLETTER_TOPIC, 1],
    ['ozone1', 'sentinel/v1/+/data', 1],
    ['ozone1', DEADLETTER_TOPIC, 128],
    ['ozone1', 'sentinel/v1/+/#', 128],
    ['officer1', '$SYS/#', 128],
    [A.mn, hj212ReplyTopic(A.mn), 1],
    [A.mn, hj212ReplyTopic(B.mn), 128],
    [A.mn, 'sentinel/v1/+/data', 128],
  ])('%s subscribing to %s is granted QoS %i', async (username, filter, qos) => {
    const c = await connect(username, bySource.get(username)?.mqttPassword ?? PW);
    expect(await grantedQos(c, filter)).toBe(qos);
  });

  it('a user account cannot publish: its message is not delivered and it is disconnected', async () => {
    const officer = await connect('officer1', PW);
    const closed = new Promise<void>((r) => officer.once('close', () => r()));
    officer.publish(dataTopic(A.mn), '{"from-officer":1}', { qos: 0 });
    await closed;
    const a = await connect(A.mn, A.mqttPassword);
    await a.publishAsync(dataTopic(A.mn), '{"marker2":1}', { qos: 1 });
    await until(() => atInternal.some((m) => m.payload === '{"marker2":1}'), 'A’s marker');
    expect(atInternal.some((m) => m.payload === '{"from-officer":1}')).toBe(false);
  });
});
