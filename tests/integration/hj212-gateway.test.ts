/**
 * The HJ 212 gateway role (issue 15 item 4) on real services: a Mosquitto secured as `npm run
 * broker:credentials` makes it (ingest user, gateway users with their ACL, loggers), a real
 * PostgreSQL holding the registry (the gateway reads it there), a real InfluxDB, the app as the
 * ingest and a gateway started in-process from its own config (`ROLE=gateway`). A data logger
 * connects to the gateway over TCP:
 * - its frame is forwarded, stored in InfluxDB and archived by the ingest as a TCP frame from the
 *   logger's own address, and answered with 9014;
 * - with the broker down, the gateway holds the frame unanswered (no 9014) until the broker is back,
 *   then answers it, and the ingest stores and archives it exactly once;
 * - a wrong password is answered 9011 QnRtn=3 by the gateway and never forwarded; the refusal is in
 *   the archive the app reads (the shared database's);
 * - a password rotated in the product reaches the gateway through the database: the logger is cut
 *   off, its old password refused, the new one taken;
 * - the ingest shows the logger connected (from its own address) until its connection closes;
 * - `server/main.ts --role gateway` runs it as its own process (health, readiness, metrics, SIGTERM);
 * - the broker refuses a gateway's publish on any topic but the gateway topics.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { maxPacketBytes } from '../../server/broker/packet-size-guard';
import { loadConfig } from '../../server/config';
import { encodeFrameText } from '../../server/domain/hj212/encode';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { hj212GatewayTopic, hj212Topic } from '../../server/domain/hj212/mqtt-topics';
import { startGateway, type RunningGateway } from '../../server/ingest/gateway/gateway-module';
import { telemetryOf } from '../../server/storage/influx/influx-retention';
import { createLogger } from '../../server/logger';
import { InfluxHttp } from '../../server/storage/influx/influx-http';
import { TEST_DISTRICTS_FILE, TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { rawLogger, type RawLogger } from '../helpers/hj212-harness';
import { startSecuredMosquitto, type SecuredMosquitto } from '../helpers/secured-mosquitto';
import { freePort } from '../helpers/services';
import { freshPgDatabase } from '../helpers/sql-engines';
import { ROOT, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { eventually, until } from '../helpers/wait';

const NH3 = '370300NH3000000000000201';
const INGEST = { username: 'o3s-ingest', password: 'ingest-secret-for-tests' };
const GATEWAYS = [
  { username: 'gw-1', password: 'gateway-one-secret' },
  { username: 'gw-2', password: 'gateway-two-secret' },
];
const db = `gateway_${Date.now()}`;

interface ArchivedFrame {
  frame: string;
  verdict: string;
  transport: string;
  peer: string;
}

describe('HJ 212 gateways: 9014 only after the broker holds the frame', () => {
  const dir = mkdtempSync(join(tmpdir(), 'o3-gateway-'));
  let database: Awaited<ReturnType<typeof freshPgDatabase>>;
  let broker: SecuredMosquitto;
  let t: TestApp;
  let gateway: RunningGateway;
  let officer: ApiSession;
  let influx: InfluxHttp;
  let logger: RawLogger;
  let pw: string;
  let clock = Math.floor(Date.now() / 1000) * 1000 - 600_000;

  /** A real-time NH3 upload asking for an answer, at its own instant (a new QN each). */
  const upload = (rtd: number, password = pw) => {
    clock += 1_000;
    const at = clock;
    const qn = formatQn(at);
    const frame = encodeFrameText({
      qn,
      st: '31',
      cn: '2011',
      pw: password,
      mn: NH3,
      flag: 5,
      cp: { params: { DataTime: formatHjTime(at) }, factors: [{ code: 'a21001', fields: { Rtd: String(rtd), Flag: 'N' } }] },
    });
    return { at, qn, frame };
  };
  const storedCount = async (at: number) => {
    const [series = []] = await influx.query(`SELECT COUNT(a21001_rtd) FROM ${telemetryOf('2011')} WHERE mn = '${NH3}' AND time = ${at}ms`);
    return (series[0]?.values[0]?.[1] as number | undefined) ?? 0;
  };
  const archived = async (): Promise<ArchivedFrame[]> => {
    const res = await officer.fetch(`/api/sources/${NH3}/frames?from=${clock - 600_000}&limit=1000`);
    return ((await res.json()) as { items: ArchivedFrame[] }).items;
  };
  const masked = (frame: string) => frame.trimEnd().replace(/;PW=[^;]*;/, ';PW=***;');
  const repliesOf = (cn: string) => logger.replies.filter((r) => r.ok && r.frame.cn === cn).map((r) => (r.ok ? r.frame : null));

  beforeAll(async () => {
    database = await freshPgDatabase();
    const { registry } = loadConfig({ REGISTRY_FILE: TEST_REGISTRY_FILE, MAP_BOUNDARY_FILE: TEST_DISTRICTS_FILE }, ROOT);
    pw = registry.sources.find((s) => s.mn === NH3)?.pw as string;
    broker = await startSecuredMosquitto(registry.sources, INGEST, maxPacketBytes(65_536), GATEWAYS);
    const shared = { DATABASE_URL: database.url, MQTT_URL: broker.url };
    t = await startTestApp({
      ...shared,
      MQTT_USERNAME: INGEST.username,
      MQTT_PASSWORD: INGEST.password,
      INFLUX_URL: inject('influxUrl'),
      INFLUX_DB: db,
    });
    officer = await t.signIn('officer');
    influx = new InfluxHttp({ url: inject('influxUrl'), db, timeoutMs: 5_000 });
    const config = loadConfig(
      {
        ...shared,
        ROLE: 'gateway',
        MQTT_USERNAME: GATEWAYS[0]!.username,
        MQTT_PASSWORD: GATEWAYS[0]!.password,
        PORT: '0',
        HOST: '127.0.0.1',
        HJ212_PORT: '0',
        HJ212_PASSWORD_GUESSES_PER_MIN: '0',
        GATEWAY_REGISTRY_POLL_S: '1',
        DATA_DIR: join(dir, 'gateway'),
        REGISTRY_FILE: TEST_REGISTRY_FILE,
        MAP_BOUNDARY_FILE: TEST_DISTRICTS_FILE,
        LOG_LEVEL: 'silent',
      },
      ROOT,
    );
    gateway = await startGateway(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
    await until(() => gateway.connected(), 'the gateway to connect to the broker');
    logger = await rawLogger(gateway.hj212Port);
  });
  afterAll(async () => {
    await logger?.close();
    await gateway?.stop();
    await t?.stop();
    await broker?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards an accepted frame: 9014 to the logger, stored and archived by the ingest as the logger sent it', async () => {
    const a = upload(3.1);
    await logger.write(a.frame);
    await logger.waitReplies(1);
    expect(repliesOf('9014').map((f) => f?.qn)).toEqual([a.qn]);
    await until(async () => (await storedCount(a.at)) === 1, 'the reading in InfluxDB');
    const frames = await eventually(async () => {
      const items = (await archived()).filter((f) => f.frame === masked(a.frame));
      return items.length > 0 ? items : undefined;
    }, 'the frame in the ingest’s archive');
    expect(frames).toEqual([expect.objectContaining({ verdict: 'accepted', transport: 'tcp' })]);
    expect(frames[0]?.peer).toBe(`${logger.socket.localAddress}:${logger.socket.localPort}`);
    expect(gateway.forwarder).toMatchObject({ forwarded: 1, pending: 0 });
  });

  it('with the broker down the frame waits unanswered; once the broker is back it is answered and stored exactly once', async () => {
    await broker.halt();
    await until(() => !gateway.connected(), 'the gateway to notice the broker is gone');
    const b = upload(4.2);
    await logger.write(b.frame);
    // The gateway took the frame (checked, its 9014 owed) and holds it for the broker's PUBACK.
    await until(() => gateway.forwarder.pending === 1, 'the frame to wait for the broker');
    expect(gateway.hj212.stats.replies).toMatchObject({ requested: 2, sent: 1 });
    expect(repliesOf('9014')).toHaveLength(1);

    await broker.resume();
    await logger.waitReplies(2, 30_000);
    expect(repliesOf('9014')).toHaveLength(2);
    expect(repliesOf('9014')[1]?.qn).toBe(b.qn);
    expect(gateway.forwarder).toMatchObject({ forwarded: 2, pending: 0, failed: 0 });
    await until(async () => (await storedCount(b.at)) === 1, 'the held reading in InfluxDB', 30_000);
    await until(async () => (await archived()).some((f) => f.frame === masked(b.frame)), 'the held frame in the archive');
    expect((await archived()).filter((f) => f.frame === masked(b.frame))).toHaveLength(1);
  });

  it('a wrong password is answered 9011 QnRtn=3 by the gateway and never forwarded', async () => {
    await until(() => gateway.connected(), 'the gateway to be connected');
    const before = { ...gateway.forwarder };
    const bad = upload(5.5, 'WRONGPASSWORD00000000000');
    await logger.write(bad.frame);
    await logger.waitReplies(3);
    const refusal = logger.replies[2];
    expect(refusal?.ok && refusal.frame).toMatchObject({ cn: '9011', qn: bad.qn, cp: { params: { QnRtn: '3' } } });
    expect(gateway.hj212.stats.rejected.bad_password).toBe(1);
    // A good frame after it on the same topic: once it is archived by the ingest, the bad one would be too.
    const good = upload(2.0);
    await logger.write(good.frame);
    await logger.waitReplies(4);
    await until(async () => (await archived()).some((f) => f.frame === masked(good.frame)), 'the good frame in the archive');
    // The refusal is in the shared archive once, as the gateway refused it (the API reads it here).
    const asRefused = async () => (await archived()).filter((f) => f.frame === masked(bad.frame)).map((f) => f.verdict);
    await until(async () => (await asRefused()).length > 0, 'the gateway’s refusal in the shared archive');
    expect(await asRefused()).toEqual(['bad_password']);
    expect(await storedCount(bad.at)).toBe(0);
    expect(gateway.forwarder.forwarded).toBe(before.forwarded + 1);
  });

  it('follows the registry in the database: a rotated password cuts the logger off at the gateway; only the new one works', async () => {
    const registry = t.app.registry.view.current();
    const rotated = 'ROTATED00PW00AT00GATEWAY';
    const sources = registry.sources.map((x) => (x.mn === NH3 ? { ...x, pw: rotated } : x));
    await t.app.registry.admin.apply({ ...registry, sources }, { username: 'system' }, 'registry.import_applied');
    await until(() => logger.closed(), 'the gateway to close the logger’s connection', 20_000);
    logger = await rawLogger(gateway.hj212Port);
    const old = upload(3.3);
    pw = rotated;
    const fresh = upload(3.4);
    await logger.write(old.frame);
    await logger.write(fresh.frame);
    const replies = await logger.waitReplies(2);
    expect(replies.map((r) => r.ok && [r.frame.cn, r.frame.qn, r.frame.cp.params.QnRtn])).toEqual([
      ['9011', old.qn, '3'],
      ['9014', fresh.qn, undefined],
    ]);
    await until(async () => (await storedCount(fresh.at)) === 1, 'the reading under the new password in InfluxDB');
  });

  it('the ingest shows the logger connected through the gateway, from its own address, until it disconnects', async () => {
    type Status = { mn: string; connected: boolean; transport: string; peer: string };
    const statusOf = async () => {
      const res = await officer.fetch('/api/hj212/loggers');
      return ((await res.json()) as { items: Status[] }).items.find((s) => s.mn === NH3);
    };
    const peer = `${logger.socket.localAddress}:${logger.socket.localPort}`;
    expect(await statusOf()).toMatchObject({ connected: true, transport: 'tcp', peer });
    await logger.close();
    await until(async () => (await statusOf())?.connected === false, 'the ingest to hear the connection closed');
  });

  it('runs as its own process: npm start -- --role gateway (health, readiness, metrics; SIGTERM stops it)', async () => {
    const [port, hj212Port] = [await freePort(), await freePort()];
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/start.ts', '--role', 'gateway'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        MQTT_URL: broker.url,
        MQTT_USERNAME: GATEWAYS[1]!.username,
        MQTT_PASSWORD: GATEWAYS[1]!.password,
        PORT: String(port),
        HOST: '127.0.0.1',
        HJ212_PORT: String(hj212Port),
        DATA_DIR: join(dir, 'gateway-process'),
        REGISTRY_FILE: TEST_REGISTRY_FILE,
        MAP_BOUNDARY_FILE: TEST_DISTRICTS_FILE,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`).catch(() => null);
      await until(async () => (await get('/readyz'))?.status === 200, `the gateway process to be ready (${output})`, 100_000);
      expect(await (await get('/healthz'))?.json()).toMatchObject({ role: 'gateway', clientId: 'gw-2', broker: 'connected' });
      const metrics = await (await get('/metrics'))?.text();
      expect(metrics).toMatch(/^o3s_gateway_forwarded_total 0$/m);
      expect(metrics).toMatch(/^o3s_gateway_pending 0$/m);
      expect(metrics).toMatch(/^o3s_broker_connected 1$/m);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 150_000);

  it('the broker lets a gateway publish on the gateway topics only', async () => {
    const other = GATEWAYS[1]!;
    const client = await mqtt.connectAsync(broker.url, { ...other, clientId: other.username, protocolVersion: 5, reconnectPeriod: 0 });
    try {
      const reading = JSON.stringify({ cn: '2011', ts: clock, factors: { a21001: { rtd: 99 } } });
      await expect(client.publishAsync(dataTopic(NH3), reading, { qos: 1 })).rejects.toThrow(/Not authorized/);
      await expect(client.publishAsync(hj212Topic(NH3), upload(99).frame, { qos: 1 })).rejects.toThrow(/Not authorized/);
      await expect(client.publishAsync('sentinel/v1/deadletter', '{}', { qos: 1 })).rejects.toThrow(/Not authorized/);
      // It may publish there, and reads nothing: by the time the ingest has judged its message, the broker
      // has sent it to every subscriber allowed to read it.
      const heard: string[] = [];
      client.on('message', (topic) => heard.push(topic));
      await client.subscribeAsync(hj212GatewayTopic(NH3), { qos: 1 });
      await expect(client.publishAsync(hj212GatewayTopic(NH3), 'not an envelope', { qos: 1 })).resolves.toBeDefined();
      await until(async () => (await archived()).some((f) => f.verdict === 'garbage'), 'the ingest to refuse the message');
      expect(heard).toEqual([]);
    } finally {
      await client.endAsync();
    }
  });
});
