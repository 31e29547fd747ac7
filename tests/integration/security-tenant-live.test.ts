/**
 * Tenant isolation of the live paths on the real app (see tests/helpers/tenant-suite.ts): A's
 * dashboard socket gets neither B's alerts nor B's readings while staff get both; a socket without a
 * session is refused at the handshake; over MQTT, A's logger cannot publish as B's, A's user cannot
 * subscribe to B's topics, and anonymous clients cannot connect.
 */
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { LatestValues } from '../../server/domain/events';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { A_ENT, A_NH3, B_NH3, B_CEMS, nh3, tenantSuite } from '../helpers/tenant-suite';
import { connectDashboard, nextEvent, type ApiSession, type TestApp } from '../helpers/test-app';

describe('tenant isolation: socket.io and MQTT', () => {
  let t: TestApp, a: ApiSession, officer: ApiSession;
  const { clients, mqttPw, logger } = tenantSuite('live', (app) => ({ t, a, officer } = app));

  it('over socket.io, A’s dashboard gets neither B’s alerts nor B’s readings; staff get both', async () => {
    const aSocket = await connectDashboard(t.baseUrl, a);
    const staff = await connectDashboard(t.baseUrl, officer);
    const seen: { alerts: Alert[]; readings: LatestValues[] } = { alerts: [], readings: [] };
    for (const ev of ['alert:opened', 'alert:updated', 'alert:cleared', 'alert:escalated'] as const)
      aSocket.on(ev, (e) => seen.alerts.push(e.alert));
    aSocket.on('reading:batch', (batch) => seen.readings.push(...batch));
    const snapshot = new Promise<{ alerts: Alert[]; sources: { enterpriseId: string }[] }>((res) => aSocket.once('state:snapshot', res));
    aSocket.emit('state:resync');
    const snap = await snapshot;
    expect(snap.alerts.every((x) => x.enterpriseId === A_ENT)).toBe(true);
    expect(snap.sources.every((s) => s.enterpriseId === A_ENT)).toBe(true);

    const staffSawReading = nextEvent(staff, 'reading:batch', (batch) => batch.some((lv) => lv.mn === B_NH3));
    const staffSawAlert = nextEvent(staff, 'alert:updated', (e) => e.alert.mn === B_NH3);
    const b = await logger(B_NH3);
    await b.publishAsync(dataTopic(B_NH3), nh3(Date.now() - 1_000, 10.1), { qos: 1 });
    await Promise.all([staffSawReading, staffSawAlert]);
    const aOwn = nextEvent(aSocket, 'reading:batch', (batch) => batch.some((lv) => lv.mn === A_NH3));
    const own = await logger(A_NH3);
    await own.publishAsync(dataTopic(A_NH3), nh3(Date.now() - 500, 1.2), { qos: 1 });
    await aOwn; // A's socket is live (later than B's events), and saw nothing of B
    expect(seen.alerts.filter((x) => x.enterpriseId !== A_ENT)).toEqual([]);
    expect(seen.readings.filter((lv) => lv.mn === B_NH3 || lv.mn === B_CEMS)).toEqual([]);
    aSocket.close();
    staff.close();
  });

  it('a socket without a session is refused at the handshake', async () => {
    const socket = io(t.baseUrl, { transports: ['websocket'], reconnection: false });
    const err = await new Promise<Error>((res) => socket.once('connect_error', res));
    expect(err.message).toBe('unauthenticated');
    socket.close();
  });

  it('over MQTT, A’s logger cannot publish as B’s, A’s user cannot subscribe to B’s topics, anonymous cannot connect', async () => {
    const aLogger = await logger(A_NH3);
    const closed = new Promise<void>((res) => aLogger.once('close', () => res()));
    aLogger.publish(dataTopic(B_NH3), nh3(Date.now() - 100, 55.5), { qos: 1 });
    await closed; // the broker drops a logger that publishes outside its own topics
    const stored = await officer.call<{ items: { a21001_rtd?: number; rtd?: number }[] }>(
      'GET',
      `/api/sources/${B_NH3}/series?factor=a21001&from=${Date.now() - 60_000}`,
    );
    expect(JSON.stringify(stored.body)).not.toContain('55.5');

    const user = await mqtt.connectAsync(t.app.mqttUrl, {
      clientId: `u:${A_ENT}:sec`,
      username: A_ENT,
      password: `${A_ENT}-demo-2026`,
      reconnectPeriod: 0,
    });
    clients.push(user);
    // mqtt.js rejects a SUBACK that refuses any filter; the packet says which.
    const suback = await user.subscribeAsync([dataTopic(B_NH3), 'sentinel/v1/+/data', '#', dataTopic(A_NH3)], { qos: 1 }).then(
      (granted) => granted.map((g) => g.qos),
      (err: { packet?: { granted?: number[] } }) => err.packet?.granted,
    );
    expect(suback).toEqual([128, 128, 128, 1]);

    await expect(mqtt.connectAsync(t.app.mqttUrl, { clientId: 'sec-anon', reconnectPeriod: 0, connectTimeout: 3_000 })).rejects.toThrow(
      /Not authorized|Bad username or password|Connection refused/i,
    );
    await expect(
      mqtt.connectAsync(t.app.mqttUrl, {
        clientId: 'sec-wrong',
        username: B_NH3,
        password: mqttPw(A_NH3),
        reconnectPeriod: 0,
        connectTimeout: 3_000,
      }),
    ).rejects.toThrow();
  });
});
