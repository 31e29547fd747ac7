/**
 * The embedded aedes broker with the auth hooks, on a free port, with real mqtt.js clients: data
 * loggers (username = MN, registry mqttPassword), the server's internal ingest client, and user
 * accounts of each role connecting read-only; client ids bound to identities (no takeover of the
 * ingest's session or of a logger's connection) and the packet size cap.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { openAuthDatabase } from '../../server/auth/auth-database';
import { LoginGuard } from '../../server/auth/login-guard';
import { createPasswordHasher } from '../../server/auth/password';
import { UserStore } from '../../server/auth/user-store';
import { createBrokerAuth, userChecker } from '../../server/broker/broker-auth';
import { EmbeddedBroker } from '../../server/broker/embedded-broker';
import { dataTopic, DEADLETTER_TOPIC } from '../../server/domain/mqtt-contract';
import { hj212ReplyTopic } from '../../server/domain/hj212/mqtt-topics';
import { registrySchema } from '../../server/domain/registry';
import { createLogger } from '../../server/logger';
import { streamOversizePublish, tryConnect, watchCloses } from '../helpers/mqtt-attacks';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { until } from '../helpers/wait';

const registry = registrySchema.parse(parseYaml(readFileSync(TEST_REGISTRY_FILE, 'utf8')));
const bySource = new Map(registry.sources.map((s) => [s.mn, s]));
const A = bySource.get('370300CEMS00000000000101')!; // qilu-power
const B = bySource.get('370300CEMS00000000000201')!; // zichuan-cement
const INTERNAL = { username: 'o3s-internal', password: 'internal-secret-xyz' };
const INGEST_ID = 'o3-test-ingest';
const MAX_PACKET = 8192;
const PW = 'correct horse battery';

describe('embedded aedes broker with auth', () => {
  let broker: EmbeddedBroker;
  let url: string;
  let internal: MqttClient;
  const atInternal: { topic: string; payload: string }[] = [];
  const clients: MqttClient[] = [];
  let n = 0;

  /** A client id its owner may use: `t<n>-MN` for a logger, `u:<name>:t<n>` for a user. */
  const ownId = (username?: string) => (username && bySource.has(username) ? `t${n++}-${username}` : `u:${username ?? 'anon'}:t${n++}`);
  const connect = async (username?: string, password?: string, opts: { clientId?: string; clean?: boolean } = {}) => {
    const options = { clientId: ownId(username), username, password, reconnectPeriod: 0, connectTimeout: 5_000, ...opts };
    const c = await mqtt.connectAsync(url, options);
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

  let authDb: Awaited<ReturnType<typeof openAuthDatabase>> | undefined;
  beforeAll(async () => {
    authDb = await openAuthDatabase(':memory:');
    const users = new UserStore(authDb.db, createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }));
    for (const [username, role, enterpriseId] of [
      ['officer1', 'officer', null],
      ['ozone1', 'ozone', null],
      ['qilu1', 'enterprise', 'qilu-power'],
      ['gone1', 'officer', null],
      ['admin1', 'admin', null],
    ] as const) {
      await users.create({ username, role, enterpriseId, password: PW });
    }
    await users.update((await users.findByUsername('gone1'))!.id, { disabled: true });
    await users.create({ username: 'given1', role: 'officer', password: PW }, { mustChangePassword: true });
    const auth = createBrokerAuth({
      source: (mn) => bySource.get(mn),
      internal: INTERNAL,
      ingestClientId: INGEST_ID,
      checkUser: userChecker(users),
      guard: new LoginGuard(),
      log: createLogger('silent'),
    });
    broker = new EmbeddedBroker(createLogger('silent'), { auth, maxPacketBytes: MAX_PACKET });
    url = `mqtt://127.0.0.1:${await broker.start(0, '127.0.0.1')}`;
    internal = await connect(INTERNAL.username, INTERNAL.password, { clientId: INGEST_ID, clean: false });
    internal.on('message', (topic, payload) => atInternal.push({ topic, payload: payload.toString() }));
    expect(await grantedQos(internal, 'sentinel/v1/#')).toBe(1);
  });

  afterAll(async () => {
    await authDb?.close();
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
    ['a user who must change the password first', 'given1', PW, /not authori[sz]ed/i],
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

  describe('client ids are bound to identities', () => {
    const IDENTIFIER_REJECTED = /identifier rejected/i;

    it.each([
      ['an enterprise user', 'clean', 'qilu1', PW, INGEST_ID, true],
      ['an enterprise user', 'persistent', 'qilu1', PW, INGEST_ID, false],
      ['logger A', 'clean', A.mn, A.mqttPassword, INGEST_ID, true],
      ['an officer', 'persistent', 'officer1', PW, INGEST_ID, false],
    ])('%s asking for the ingest’s client id (%s session) is refused; the ingest stays connected', async (...row) => {
      const [, , username, password, clientId, clean] = row;
      const victim = watchCloses(internal);
      expect(await tryConnect(url, clientId, { username, password }, clean)).toMatch(IDENTIFIER_REJECTED);
      const marker = `{"after-takeover":"${username}-${clean}"}`;
      await internal.publishAsync(dataTopic(A.mn), marker, { qos: 1 });
      await until(() => atInternal.some((m) => m.payload === marker), 'the ingest to receive the next message');
      expect(victim.closes).toBe(0);
      expect(internal.connected).toBe(true);
    });

    it('a refused clean takeover does not wipe the ingest’s queued messages', async () => {
      const id = 'o3-test-ingest-queue';
      const auth2 = createBrokerAuth({
        source: (mn) => bySource.get(mn),
        internal: INTERNAL,
        ingestClientId: id,
        log: createLogger('silent'),
      });
      const b2 = new EmbeddedBroker(createLogger('silent'), { auth: auth2 });
      const url2 = `mqtt://127.0.0.1:${await b2.start(0, '127.0.0.1')}`;
      try {
        const ingest = await mqtt.connectAsync(url2, { clientId: id, clean: false, ...INTERNAL, reconnectPeriod: 0 });
        await ingest.subscribeAsync('sentinel/v1/+/data', { qos: 1 });
        await ingest.endAsync();
        const logger = await mqtt.connectAsync(url2, { clientId: A.mn, username: A.mn, password: A.mqttPassword, reconnectPeriod: 0 });
        for (let i = 0; i < 5; i++) await logger.publishAsync(dataTopic(A.mn), `queued-${i}`, { qos: 1 });
        expect(await tryConnect(url2, id, { username: A.mn, password: A.mqttPassword }, true)).toMatch(IDENTIFIER_REJECTED);
        await logger.endAsync();
        const got: string[] = [];
        const back = await mqtt.connectAsync(url2, { clientId: id, clean: false, ...INTERNAL, reconnectPeriod: 0 });
        back.on('message', (_t, p) => got.push(p.toString()));
        await until(() => got.length === 5, 'the five queued messages');
        expect(got).toEqual(['queued-0', 'queued-1', 'queued-2', 'queued-3', 'queued-4']);
        await back.endAsync();
      } finally {
        await b2.stop();
      }
    });

    it.each([
      ['logger B with A’s own id', B.mn, B.mqttPassword, () => A.mn],
      ['logger B with A’s tagged id', B.mn, B.mqttPassword, () => `victim-${A.mn}`],
      ['an enterprise user of A’s enterprise', 'qilu1', PW, () => `victim-${A.mn}`],
      ['an officer', 'officer1', PW, () => A.mn],
    ])('%s is refused and logger A stays connected', async (_who, username, password, victimId) => {
      const a = await connect(A.mn, A.mqttPassword, { clientId: victimId() });
      const victim = watchCloses(a);
      for (const clean of [true, false]) {
        expect(await tryConnect(url, victimId(), { username, password }, clean)).toMatch(IDENTIFIER_REJECTED);
      }
      await a.publishAsync(dataTopic(A.mn), `{"still":"${username}"}`, { qos: 1 });
      expect(victim.closes).toBe(0);
    });

    it('a user cannot take over another user’s id; its own ids work', async () => {
      const officer = await connect('officer1', PW, { clientId: 'u:officer1' });
      const victim = watchCloses(officer);
      expect(await tryConnect(url, 'u:officer1', { username: 'qilu1', password: PW }, true)).toMatch(IDENTIFIER_REJECTED);
      expect(await tryConnect(url, 'u:qilu1:laptop', { username: 'qilu1', password: PW }, true)).toBe('connected');
      expect(await tryConnect(url, `tag-${A.mn}`, { username: A.mn, password: A.mqttPassword }, true)).toBe('connected');
      expect(victim.closes).toBe(0);
    });

    it('a wrong password with the ingest id is a bad password, not a takeover', async () => {
      const outcome = await tryConnect(url, INGEST_ID, { username: INTERNAL.username, password: 'guess-guess' }, true);
      expect(outcome).toMatch(/bad user ?name or password/i);
      expect(internal.connected).toBe(true);
    });
  });

  describe('packet size cap', () => {
    it('closes a connection whose PUBLISH declares 100 MB after its header, and serves others', async () => {
      const before = broker.oversizePackets;
      const out = await streamOversizePublish(url, `big-${A.mn}`, { username: A.mn, password: A.mqttPassword }, dataTopic(A.mn));
      expect(out.connected).toBe(true);
      expect(out.closedEarly).toBe(true);
      expect(out.bytesSent).toBeLessThan(4 * 1024 * 1024); // of the 16 MiB it tried to stream
      expect(broker.oversizePackets).toBe(before + 1);
      const a = await connect(A.mn, A.mqttPassword);
      await a.publishAsync(dataTopic(A.mn), '{"after-big":1}', { qos: 1 });
      await until(() => atInternal.some((m) => m.payload === '{"after-big":1}'), 'the next reading');
      expect(internal.connected).toBe(true);
    });

    it('passes a packet just under the cap and closes one just over it', async () => {
      const a = await connect(A.mn, A.mqttPassword);
      const topic = dataTopic(A.mn);
      const fits = MAX_PACKET - 5 - (2 + topic.length) - 2; // fixed header ≤ 5, topic, packet id
      await a.publishAsync(topic, 'x'.repeat(fits), { qos: 1 });
      await until(() => atInternal.some((m) => m.payload.length === fits), 'the largest allowed message');
      const closed = new Promise<void>((r) => a.once('close', () => r()));
      a.publish(topic, 'x'.repeat(MAX_PACKET), { qos: 1 });
      await closed;
    });
  });
});
