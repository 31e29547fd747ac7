/**
 * `logger:status` on the running app: a data logger's MQTT connection to the embedded broker and
 * its HJ 212 TCP connection (once bound to its MN by a frame) are announced to the dashboard the
 * moment they open and close — staff and the source's own enterprise, never another enterprise.
 */
import { connect } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggerStatusEvent } from '../../server/domain/events';
import { encodeFrameText } from '../../server/domain/hj212/encode';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import { connectDashboard, nextEvent, startTestApp, type DashboardSocket, type TestApp } from '../helpers/test-app';

const CEMENT_NH3 = '370300NH3000000000000201'; // zichuan-cement
const QILU_CEMS = '370300CEMS00000000000101'; // qilu-power

describe('logger:status', () => {
  let t: TestApp;
  let officer: DashboardSocket;
  let cement: DashboardSocket;
  let qilu: DashboardSocket;
  const seenByQilu: LoggerStatusEvent[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    [officer, cement, qilu] = await Promise.all([
      connectDashboard(t.baseUrl, await t.signIn('officer')),
      connectDashboard(t.baseUrl, await t.signIn('zichuan-cement')),
      connectDashboard(t.baseUrl, await t.signIn('qilu-power')),
    ]);
    qilu.on('logger:status', (e) => void seenByQilu.push(e));
  });
  afterAll(async () => {
    for (const s of [officer, cement, qilu]) s?.close();
    await t?.stop();
  });

  const status = (socket: DashboardSocket, mn: string, s: 'online' | 'offline', via: 'mqtt' | 'hj212') =>
    nextEvent(socket, 'logger:status', (e) => e.mn === mn && e.status === s && e.via === via);

  it('MQTT: a logger connecting to the embedded broker is online, its disconnection offline at once', async () => {
    const source = t.config.registry.sources.find((s) => s.mn === CEMENT_NH3)!;
    const before = Date.now();
    const online = [status(officer, CEMENT_NH3, 'online', 'mqtt'), status(cement, CEMENT_NH3, 'online', 'mqtt')];
    const logger = await mqtt.connectAsync(t.app.mqttUrl, {
      clientId: `dl-${CEMENT_NH3}`,
      username: CEMENT_NH3,
      password: source.mqttPassword,
      reconnectPeriod: 0,
    });
    const [forOfficer, forCement] = await Promise.all(online);
    expect(forOfficer).toEqual(forCement);
    expect(forOfficer?.since).toBeGreaterThanOrEqual(before);
    const offline = [status(officer, CEMENT_NH3, 'offline', 'mqtt'), status(cement, CEMENT_NH3, 'offline', 'mqtt')];
    logger.stream.destroy(); // the link drops (no DISCONNECT)
    await Promise.all(offline);
    await logger.endAsync(true);
  });

  it('HJ 212 TCP: online once a frame binds the connection to the MN, offline when it closes', async () => {
    const at = Math.floor(Date.now() / 1000) * 1000 - 2_000;
    const pw = t.config.registry.sources.find((s) => s.mn === CEMENT_NH3)?.pw ?? '';
    const frame = encodeFrameText({
      qn: formatQn(at),
      st: '31',
      cn: '2011',
      pw,
      mn: CEMENT_NH3,
      flag: 4,
      cp: { params: { DataTime: formatHjTime(at) }, factors: [{ code: 'a21001', fields: { Rtd: '2.1', Flag: 'N' } }] },
    });
    const online = status(officer, CEMENT_NH3, 'online', 'hj212');
    const socket = connect(t.app.hj212Port as number, '127.0.0.1');
    socket.write(frame);
    await online;
    const offline = status(cement, CEMENT_NH3, 'offline', 'hj212');
    socket.destroy();
    await offline;
  });

  it('another enterprise hears nothing of it; its own logger it does', async () => {
    expect(seenByQilu.filter((e) => e.mn !== QILU_CEMS)).toEqual([]);
    const source = t.config.registry.sources.find((s) => s.mn === QILU_CEMS)!;
    const online = status(qilu, QILU_CEMS, 'online', 'mqtt');
    const logger = await mqtt.connectAsync(t.app.mqttUrl, {
      clientId: `dl-${QILU_CEMS}`,
      username: QILU_CEMS,
      password: source.mqttPassword,
      reconnectPeriod: 0,
    });
    await online;
    await logger.endAsync();
  });
});
