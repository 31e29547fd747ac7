/**
 * Probe (issue 12, devices 3 and 4) on the real app — embedded aedes broker, embedded store, demo
 * accounts, behind a trusted loopback proxy (TRUST_PROXY=loopback, so X-Forwarded-For names the
 * client) — with real socket.io and mqtt.js clients:
 * - a socket never outlives the identity behind it: logout, password change, disable, a change of
 *   enterprise and a demotion close it at once (and the user's MQTT connections), readings of the
 *   old enterprise's sources never reach it, and a session ended behind the server's back (another
 *   process, the users CLI) is noticed on the next `state:resync`;
 * - a handshake from a foreign page is refused; a `state:resync` flood is answered within budget;
 * - sign-in throttling is per door and per client: bad MQTT CONNECTs with a logger's MN or a user's
 *   name from another address keep neither out, a sprayed address does not lock the admin's
 *   known-good client, and behind the proxy the cookie is Secure and the address is the forwarded one.
 */
import { createConnection } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MqttClient } from 'mqtt';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LatestValues } from '../../server/domain/events';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { connectDashboard, nextEvent, signIn, startTestApp } from '../helpers/test-app';
import type { ApiSession, DashboardSocket, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const A_ENT = 'qilu-power';
const B_ENT = 'zichuan-cement';
const A_NH3 = '370300NH3000000000000101';
const B_NH3 = '370300NH3000000000000201';
const PW = 'probe-password-2026';
const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

describe('probe: sessions, sockets and sign-in throttling', () => {
  let t: TestApp;
  let admin: ApiSession;
  let staff: DashboardSocket;
  const sockets: DashboardSocket[] = [];
  const mqttClients: MqttClient[] = [];
  let n = 0;

  const mqttPw = (mn: string) => t.config.registry.sources.find((s) => s.mn === mn)?.mqttPassword as string;
  const port = () => Number(new URL(t.app.mqttUrl).port);
  /** An MQTT CONNECT from `localAddress` (a loopback alias: another client address). */
  const mqttConnect = async (username: string, password: string, clientId: string, localAddress = '127.0.0.1') => {
    const c = new MqttClient(() => createConnection({ host: '127.0.0.1', port: port(), localAddress }), {
      clientId,
      username,
      password,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      protocolVersion: 4,
    });
    mqttClients.push(c);
    await new Promise<void>((res, rej) => {
      c.once('connect', () => res());
      c.once('error', rej);
      c.once('close', () => rej(new Error('closed before CONNACK')));
    });
    return c;
  };
  const loggerId = (mn: string) => `p${n++}-${mn}`;
  const userId = (username: string) => `u:${username}:p${n++}`;
  const dashboard = async (session: ApiSession) => {
    const s = await connectDashboard(t.baseUrl, session);
    sockets.push(s);
    return s;
  };
  const disconnected = (s: DashboardSocket) => new Promise<string>((res) => s.once('disconnect', (reason) => res(reason)));
  /** A handshake with `cookie` (and `origin`, and more headers): resolves 'connected' or the connect_error message. */
  const handshake = (cookie: string, origin?: string, headers: Record<string, string> = {}) =>
    new Promise<string>((res) => {
      const extraHeaders = { cookie, ...(origin ? { origin } : {}), ...headers };
      const s: DashboardSocket = io(t.baseUrl, { transports: ['websocket'], reconnection: false, extraHeaders });
      sockets.push(s);
      s.once('state:snapshot', () => (res('connected'), s.close()));
      s.once('connect_error', (err) => res(err.message));
    });
  const readingsOf = (s: DashboardSocket): LatestValues[] => {
    const seen: LatestValues[] = [];
    s.on('reading:batch', (batch) => seen.push(...batch));
    return seen;
  };
  /** Publishes a reading of `mn` as its logger and waits until the staff dashboard has it (so every audience's batch went out). */
  const publishReading = async (mn: string, rtd: number) => {
    const ts = Date.now() - 1_000;
    const seen = nextEvent(staff, 'reading:batch', (batch) => batch.some((lv) => lv.mn === mn && lv.ts === ts));
    const logger = await mqttConnect(mn, mqttPw(mn), loggerId(mn));
    await logger.publishAsync(dataTopic(mn), nh3(ts, rtd), { qos: 1 });
    await seen;
    await logger.endAsync();
  };
  const createUser = async (username: string, role: string, enterpriseId?: string) => {
    const res = await admin.call<{ user: { id: number } }>('POST', '/api/users', { username, role, enterpriseId, password: PW });
    expect(res.status).toBe(201);
    return res.body.user.id;
  };
  type Health = { realtime?: { resyncsRefused: number; resyncs: number; handshakesRefused: { bad_origin: number } } };
  const noRealtime = { resyncsRefused: 0, resyncs: 0, handshakesRefused: { bad_origin: 0 } };
  const health = async () => ((await (await fetch(`${t.baseUrl}/healthz`)).json()) as Health).realtime ?? noRealtime;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', SIMULATE: 'false' });
    admin = await t.signIn('admin');
    staff = await dashboard(await t.signIn('officer'));
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all(mqttClients.map((c) => c.endAsync(true)));
    await t?.stop();
  });

  describe('sockets end with the identity behind them', () => {
    it('logout closes that session’s sockets (not the user’s other sessions), and the old cookie cannot reconnect', async () => {
      const [laptop, phone] = [await t.signIn('ozone'), await t.signIn('ozone')];
      const [a, b] = [await dashboard(laptop), await dashboard(phone)];
      const closed = disconnected(a);
      expect((await laptop.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204);
      expect(await closed).toBe('io server disconnect');
      expect(await handshake(laptop.cookie)).toBe('unauthenticated');
      expect(b.connected).toBe(true);
      const snap = new Promise((res) => b.once('state:snapshot', res));
      b.emit('state:resync');
      await snap;
    });

    it('a password change closes every socket of the user; the new cookie connects', async () => {
      const id = await createUser('probe-pw', 'officer');
      const [laptop, phone] = [await signIn(t.baseUrl, 'probe-pw', PW), await signIn(t.baseUrl, 'probe-pw', PW)];
      const sockets2 = [await dashboard(laptop), await dashboard(phone)];
      const closed = sockets2.map(disconnected);
      const res = await laptop.fetch('/api/auth/password', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ currentPassword: PW, newPassword: `${PW}-new` }),
      });
      expect(res.status).toBe(200);
      expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
      const fresh = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
      expect(await handshake(fresh)).toBe('connected');
      expect(await handshake(phone.cookie)).toBe('unauthenticated');
      expect(id).toBeGreaterThan(0);
    });

    it('disabling a user closes their sockets and their MQTT connection at once', async () => {
      const id = await createUser('probe-off', 'officer');
      const session = await signIn(t.baseUrl, 'probe-off', PW);
      const s = await dashboard(session);
      const m = await mqttConnect('probe-off', PW, userId('probe-off'));
      const closed = disconnected(s);
      const mqttClosed = new Promise<void>((res) => m.once('close', () => res()));
      expect((await admin.call('PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200);
      expect(await closed).toBe('io server disconnect');
      await mqttClosed;
      await expect(mqttConnect('probe-off', PW, userId('probe-off'))).rejects.toThrow(/bad user ?name or password/i);
    });

    it('a user moved to another enterprise gets none of the first one’s readings; a new sign-in sees only the new one', async () => {
      const id = await createUser('probe-mover', 'enterprise', A_ENT);
      const session = await signIn(t.baseUrl, 'probe-mover', PW);
      const s = await dashboard(session);
      const seen = readingsOf(s);
      const m = await mqttConnect('probe-mover', PW, userId('probe-mover'));
      const viaMqtt: string[] = [];
      m.on('message', (topic) => viaMqtt.push(topic));
      await m.subscribeAsync(dataTopic(A_NH3), { qos: 1 });
      await publishReading(A_NH3, 1.1);
      await until(() => seen.some((lv) => lv.mn === A_NH3) && viaMqtt.length === 1, 'the first reading as an A user');

      const closed = disconnected(s);
      const mqttClosed = new Promise<void>((res) => m.once('close', () => res()));
      expect((await admin.call('PATCH', `/api/users/${id}`, { enterpriseId: B_ENT })).status).toBe(200);
      expect(await closed).toBe('io server disconnect');
      await mqttClosed;
      const before = seen.length;
      await publishReading(A_NH3, 1.2);
      await publishReading(A_NH3, 1.3);
      expect(seen.length).toBe(before);
      expect(viaMqtt.length).toBe(1);
      expect(await handshake(session.cookie)).toBe('unauthenticated');

      const again = await dashboard(await signIn(t.baseUrl, 'probe-mover', PW));
      const snap = new Promise<{ sources: { enterpriseId: string }[] }>((res) => again.once('state:snapshot', res));
      const after = readingsOf(again);
      again.emit('state:resync');
      expect(new Set((await snap).sources.map((x) => x.enterpriseId))).toEqual(new Set([B_ENT]));
      await publishReading(A_NH3, 1.4);
      await publishReading(B_NH3, 0.9);
      await until(() => after.some((lv) => lv.mn === B_NH3), 'B’s reading on the new socket');
      expect(after.filter((lv) => lv.mn === A_NH3)).toEqual([]);
    });

    it('a demoted officer’s socket is closed and receives no other enterprise’s readings afterwards', async () => {
      const id = await createUser('probe-demoted', 'officer');
      const s = await dashboard(await signIn(t.baseUrl, 'probe-demoted', PW));
      const seen = readingsOf(s);
      const closed = disconnected(s);
      expect((await admin.call('PATCH', `/api/users/${id}`, { role: 'enterprise', enterpriseId: B_ENT })).status).toBe(200);
      expect(await closed).toBe('io server disconnect');
      const before = seen.length;
      await publishReading(A_NH3, 1.5);
      expect(seen.length).toBe(before);
    });

    it('a session ended behind the server’s back (another process, the users CLI) is noticed on the next state:resync', async () => {
      const session = await t.signIn(A_ENT);
      const s = await dashboard(session);
      const db = new Database(join(t.config.dataDir, 'auth.db'));
      db.prepare('DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)').run(A_ENT);
      db.close();
      const closed = disconnected(s);
      let snapshots = 0;
      s.on('state:snapshot', () => snapshots++);
      s.emit('state:resync');
      expect(await closed).toBe('io server disconnect');
      expect(snapshots).toBe(0);
    });
  });

  describe('handshake and resync', () => {
    it('refuses a handshake from a foreign page (Origin) even with a valid cookie; the app’s own origin connects', async () => {
      const session = await t.signIn('officer');
      const refusedBefore = (await health()).handshakesRefused.bad_origin;
      expect(await handshake(session.cookie, 'http://evil.example')).not.toBe('connected');
      expect(await handshake(session.cookie, 'null')).not.toBe('connected');
      expect(await handshake(session.cookie, t.baseUrl)).toBe('connected');
      expect((await health()).handshakesRefused.bad_origin).toBe(refusedBefore + 2);
    });

    it('behind TRUST_PROXY the handshake’s Origin is checked against the host the proxy forwards', async () => {
      const session = await t.signIn('officer');
      const publicOrigin = 'https://o3.example.gov';
      expect(await handshake(session.cookie, publicOrigin, { 'x-forwarded-host': 'o3.example.gov' })).toBe('connected');
      expect(await handshake(session.cookie, publicOrigin)).not.toBe('connected');
      expect(await handshake(session.cookie, publicOrigin, { 'x-forwarded-host': 'other.example.gov' })).not.toBe('connected');
    });

    it('answers at most 5 resyncs per 10 s per socket and counts the rest', async () => {
      const s = await dashboard(await t.signIn('officer'));
      const before = await health();
      let snapshots = 0;
      s.on('state:snapshot', () => snapshots++);
      for (let i = 0; i < 50; i++) s.emit('state:resync');
      await until(async () => (await health()).resyncsRefused - before.resyncsRefused === 45, '45 refused resyncs');
      await until(() => snapshots === 5, '5 snapshots');
      expect((await health()).resyncs - before.resyncs).toBe(5);
      expect(s.connected).toBe(true);
    });
  });

  describe('sign-in throttling is per door and per client', () => {
    it('bad MQTT CONNECTs with a logger’s MN from another address do not keep the logger out', async () => {
      for (let i = 0; i < 8; i++) {
        const attempt = mqttConnect(A_NH3, `wrong-${i}`, loggerId(A_NH3), '127.0.0.2');
        await expect(attempt).rejects.toThrow(/bad user ?name or password|not authori[sz]ed/i);
      }
      const logger = await mqttConnect(A_NH3, mqttPw(A_NH3), loggerId(A_NH3));
      expect(logger.connected).toBe(true);
      await logger.endAsync();
    });

    it('bad MQTT CONNECTs for a web user do not block their web sign-in', async () => {
      for (let i = 0; i < 8; i++) {
        await expect(mqttConnect(B_ENT, `wrong-${i}`, userId(B_ENT))).rejects.toThrow(/bad user ?name or password|not authori[sz]ed/i);
      }
      const session = await t.signIn(B_ENT);
      expect((await session.call('GET', '/api/auth/me')).status).toBe(200);
    });

    it('20 failures from one address do not lock the admin’s correct sign-in from a known-good client', async () => {
      const from = (ip: string, username: string, password: string) =>
        fetch(`${t.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: t.baseUrl, 'x-forwarded-for': ip },
          body: JSON.stringify({ username, password }),
        });
      const adminPw = t.app.demoAccounts.find((a) => a.username === 'admin')!.password;
      expect((await from('198.51.100.20', 'admin', adminPw)).status).toBe(200);
      for (let i = 0; i < 20; i++) expect((await from('198.51.100.20', `nobody${i}`, 'guess-guess-guess')).status).toBe(401);
      expect((await from('198.51.100.20', 'officer', 'guess-guess-guess')).status).toBe(429); // the address is throttled…
      expect((await from('198.51.100.20', 'admin', adminPw)).status).toBe(200); // …but not for the admin's own client
    });

    it('behind TRUST_PROXY the cookie is Secure over forwarded HTTPS and the client address is the forwarded one', async () => {
      const res = await fetch(`${t.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: t.baseUrl, 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ username: 'ozone', password: t.app.demoAccounts.find((a) => a.username === 'ozone')!.password }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
      const plain = await fetch(`${t.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: t.baseUrl },
        body: JSON.stringify({ username: 'ozone', password: t.app.demoAccounts.find((a) => a.username === 'ozone')!.password }),
      });
      expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
      const audit = await admin.call<{ items: { ip: string }[] }>('GET', '/api/audit?action=login&username=ozone&limit=2');
      expect(audit.body.items.map((r) => r.ip)).toEqual(['127.0.0.1', '203.0.113.9']);
    });
  });
});
