/**
 * REDIS_URL on the real app: two apps (two web processes) given the same Redis share their
 * dashboards' events — a silence an officer creates on B reaches an officer's browser on A — and
 * their alert numbers (a snapshot on either starts from the same number), and a dashboard that
 * left A resumes on B with exactly the alert changes it missed (its handshake's `auth.seq`). A Redis
 * that cannot be reached fails the start with an error instead of a web process that serves only
 * its own sockets.
 */
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_EVENT_KINDS, type AlertEvent, type HandshakeAuth } from '../../server/domain/events';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { createLogger } from '../../server/logger';
import { connectRealtimeRedis } from '../../server/realtime/realtime-redis';
import { freePort, startRedis, type Service } from '../helpers/services';
import { connectDashboard, nextEvent, startTestApp, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const CEMENT_NH3 = '370300NH3000000000000201'; // zichuan-cement, limit 8 mg/m³
const QILU_NH3 = '370300NH3000000000000101'; // qilu-power, limit 2.5 mg/m³
const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

/** Every alert change a socket receives, in order, as `kind seq mn`, and whether a snapshot came. */
function record(socket: DashboardSocket): { changes: { kind: string; seq: number; id: number; mn: string }[]; snapshots: number[] } {
  const log = { changes: [] as { kind: string; seq: number; id: number; mn: string }[], snapshots: [] as number[] };
  socket.on('state:snapshot', (s) => log.snapshots.push(s.seq));
  for (const kind of ALERT_EVENT_KINDS)
    socket.on(`alert:${kind}`, (e: AlertEvent) => log.changes.push({ kind, seq: e.seq, id: e.alert.id, mn: e.alert.mn }));
  return log;
}

describe('the app with REDIS_URL', () => {
  let redis: Service;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([startTestApp({ REDIS_URL: redis.url }), startTestApp({ REDIS_URL: redis.url })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it("an officer's change on B reaches the browser on A; both number alerts from Redis", async () => {
    const onA = await connectDashboard(a.baseUrl, await a.signIn('officer'));
    const snapshots = [a, b].map(async (t) => {
      const s = await connectDashboard(t.baseUrl, await t.signIn('officer'));
      return new Promise<number>((resolve) => {
        s.once('state:snapshot', (snap) => (resolve(snap.seq), s.disconnect()));
        s.emit('state:resync');
      });
    });
    const [seqA, seqB] = await Promise.all(snapshots);
    expect(seqA).toBe(seqB);
    // Redis numbers an audience from the current time (above what any browser holds after a Redis restart).
    expect(seqA).toBeGreaterThan(Date.UTC(2026, 0, 1));

    const seen = nextEvent(onA, 'silence:changed', (e) => e.silence.reason === '跨进程');
    const made = await (await b.signIn('officer')).call('POST', '/api/silences', { rule: 'limit', reason: '跨进程', durationMin: 5 });
    expect(made.status).toBe(201);
    expect((await seen).silence.createdBy).toBe('officer');
    onA.disconnect();
  });

  it('a dashboard that left A resumes on B: exactly the alert changes it missed, numbered on, no snapshot', async () => {
    const officer = await a.signIn('officer');
    // Stays on A throughout: sees every change of the staff audience.
    const watcher = await connectDashboard(a.baseUrl, officer);
    const all = record(watcher);
    // The page on A: its snapshot's number, then its connection drops.
    const page = io(a.baseUrl, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: officer.cookie } });
    const seq = await new Promise<number>((resolve) => page.once('state:snapshot', (snap) => resolve(snap.seq)));
    page.disconnect();

    // Meanwhile, on A: two alerts open and one is acknowledged.
    const logger = await mqtt.connectAsync(a.app.mqttUrl, { clientId: `resume-it-${Date.now()}`, ...a.mqttAuth });
    const base = Date.now() - 60_000;
    await logger.publishAsync(dataTopic(CEMENT_NH3), nh3(base, 9.6), { qos: 1 });
    await logger.publishAsync(dataTopic(QILU_NH3), nh3(base, 3.1), { qos: 1 });
    await until(() => new Set(all.changes.filter((c) => c.kind === 'opened').map((c) => c.mn)).size === 2, 'two alerts opened');
    const [cement, qilu] = [CEMENT_NH3, QILU_NH3].map((mn) => all.changes.find((c) => c.mn === mn)?.id as number);
    expect((await officer.call('POST', `/api/alerts/${cement}/acknowledge`, { note: '已联系' })).status).toBe(200);
    await until(() => all.changes.some((c) => c.kind === 'updated' && c.id === cement), 'the acknowledgement');

    // The page comes back on B (the load balancer chose the other process), saying where it left off.
    // (Each test app keeps its sessions in its own data dir: B's cookie stands for the shared session store.)
    const onB = await b.signIn('officer');
    const resumed = io(b.baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: onB.cookie },
      auth: { seq } satisfies HandshakeAuth,
    });
    const got = record(resumed);
    await new Promise<void>((res, rej) => (resumed.once('connect', res), resumed.once('connect_error', rej)));
    // A live change after the reconnect follows the replayed ones.
    expect((await officer.call('POST', `/api/alerts/${qilu}/acknowledge`, { note: '已联系' })).status).toBe(200);
    await until(() => got.changes.some((c) => c.kind === 'updated' && c.id === qilu), 'the live change on B');
    // The watcher on A gets it too (through Redis, in its own time): compare once both have it.
    await until(() => all.changes.some((c) => c.kind === 'updated' && c.id === qilu), 'the live change on A');

    expect(got.snapshots).toEqual([]);
    const last = got.changes.at(-1)?.seq as number;
    expect(got.changes.map((c) => c.seq)).toEqual(Array.from({ length: last - seq }, (_, i) => seq + 1 + i));
    expect(got.changes).toEqual(all.changes.filter((c) => c.seq > seq && c.seq <= last));
    // The missed ones (two opened, one acknowledged) came replayed, the live one after them.
    expect(got.changes.filter((c) => c.id === cement || c.id === qilu).map((c) => c.kind)).toEqual([
      'opened',
      'opened',
      'updated',
      'updated',
    ]);

    for (const s of [watcher, resumed]) s.disconnect();
    await logger.endAsync();
  });

  it('a Redis that does not answer fails the start', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(connectRealtimeRedis(url, { log: createLogger('silent') })).rejects.toThrow();
  });
});
