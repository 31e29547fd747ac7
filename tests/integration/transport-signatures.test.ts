/**
 * Issue 19, relay signature in the running app: a real TCP connection to the HJ 212 listener
 * delivers the frames of two loggers (two MNs, each with its own PW) — a concentrator relaying them,
 * which PLANS A6 forbids. At the next tick of the transport watch both sources have a suspected-relay
 * alert with the connection as evidence; two loggers of one site on their own connections from the
 * same address (a NAT) have none. The enterprise sees its own alert only. And a CEMS that sends
 * JSON over MQTT for a week without one raw HJ 212 frame has a suspected no-raw-hj212 alert.
 */
import { connect, type Socket } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import { encodeFrameText } from '../../server/domain/hj212/encode';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { startTestApp, type TestApp } from '../helpers/test-app';

const CEMENT_NH3 = '370300NH3000000000000201'; // zichuan-cement
const QILU_CEMS = '370300CEMS00000000000101'; // qilu-power
const WTE_CEMS = '370300CEMS00000000000701'; // city-wte
const WTE_NH3 = '370300NH3000000000000701'; // city-wte

describe('suspected relay over HJ 212 TCP', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await t?.stop();
  });

  const frameOf = (mn: string, factor: string, at: number) =>
    encodeFrameText({
      qn: formatQn(at),
      st: '31',
      cn: '2011',
      pw: t.config.registry.sources.find((s) => s.mn === mn)?.pw ?? '',
      mn,
      flag: 5, // ack requested: the 9014 says the frame was taken
      cp: { params: { DataTime: formatHjTime(at) }, factors: [{ code: factor, fields: { Rtd: '2.0', Flag: 'N' } }] },
    });

  /** A logger connection; `send` resolves on the server's 9014 for the frame. */
  function logger() {
    const socket = connect(t.app.hj212Port as number, '127.0.0.1');
    sockets.push(socket);
    let text = '';
    const waiters: { qn: string; resolve: () => void }[] = [];
    socket.on('data', (b) => {
      text += b.toString('utf8');
      for (const w of waiters.filter((x) => text.includes(`QN=${x.qn}`) && text.includes('CN=9014'))) w.resolve();
    });
    return {
      send: (frame: string) =>
        new Promise<void>((resolve) => {
          waiters.push({ qn: /QN=(\d+)/.exec(frame)![1]!, resolve });
          socket.write(frame);
        }),
    };
  }

  const relayAlerts = async (username: string): Promise<Alert[]> => {
    const res = await (await t.signIn(username)).fetch('/api/alerts?rule=relay&limit=100');
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Alert[] }).items;
  };

  it('two MNs from one TCP connection → a suspected-relay alert on each, with the connection as evidence', async () => {
    const at = Math.floor(Date.now() / 1000) * 1000 - 2_000;
    const concentrator = logger();
    await concentrator.send(frameOf(CEMENT_NH3, 'a21001', at));
    await concentrator.send(frameOf(QILU_CEMS, 'a21026', at + 1000));
    // Two loggers of one site, each on its own connection from the same address: not a relay.
    await logger().send(frameOf(WTE_CEMS, 'a21026', at));
    await logger().send(frameOf(WTE_NH3, 'a21001', at));

    await t.app.transportWatch.tick();

    const alerts = await relayAlerts('officer');
    expect(alerts.map((a) => a.mn).sort()).toEqual([QILU_CEMS, CEMENT_NH3].sort());
    const cement = alerts.find((a) => a.mn === CEMENT_NH3)!;
    expect(cement).toMatchObject({ factor: '*', rule: 'relay', severity: 'major', state: 'active', value: 2, limit: 1 });
    expect(cement.evidence).toMatchObject({ pattern: 'shared-connection', sourcesOnConnection: 2, sharedWith: QILU_CEMS });
    expect(String(cement.evidence?.['peer'])).toMatch(/127\.0\.0\.1:\d+$/);

    // The enterprise sees its own source's alert, not the other enterprise's.
    expect((await relayAlerts('zichuan-cement')).map((a) => a.mn)).toEqual([CEMENT_NH3]);
  });
});

describe('suspected converter: JSON over MQTT, never a raw HJ 212 frame', () => {
  const DAY = 86_400_000;
  const clock = { now: Date.parse('2026-07-01T10:00:00+08:00') };
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { now: () => clock.now });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a CEMS sending only JSON for 7 days → a suspected no-raw-hj212 alert; its neighbour sending raw frames has none', async () => {
    const password = t.config.registry.sources.find((s) => s.mn === QILU_CEMS)?.mqttPassword ?? '';
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: QILU_CEMS, username: QILU_CEMS, password });
    let published = 0;
    const sendJson = async () => {
      await logger.publishAsync(
        dataTopic(QILU_CEMS),
        JSON.stringify({ cn: '2011', ts: clock.now - 1000, factors: { a21026: { rtd: 5, flag: 'N' } } }),
        {
          qos: 1,
        },
      );
      published++;
      await expect.poll(() => t.app.stats.accepted, { timeout: 10_000 }).toBeGreaterThanOrEqual(published);
    };
    await sendJson();
    clock.now += 7 * DAY;
    await sendJson();
    // The neighbour's raw HJ 212 frame over TCP, the same week.
    const socket = connect(t.app.hj212Port as number, '127.0.0.1');
    const at = clock.now - 2000;
    const pw = t.config.registry.sources.find((s) => s.mn === CEMENT_NH3)?.pw ?? '';
    const frame = encodeFrameText({
      qn: formatQn(at),
      st: '31',
      cn: '2011',
      pw,
      mn: CEMENT_NH3,
      flag: 5,
      cp: { params: { DataTime: formatHjTime(at) }, factors: [{ code: 'a21001', fields: { Rtd: '2.0', Flag: 'N' } }] },
    });
    const replied = new Promise<void>((resolve) => socket.on('data', (b) => b.toString('utf8').includes('CN=9014') && resolve()));
    socket.write(frame);
    await replied;
    socket.destroy();

    await t.app.transportWatch.tick();
    const res = await (await t.signIn('officer')).fetch('/api/alerts?rule=no-raw-hj212&limit=100');
    const { items } = (await res.json()) as { items: Alert[] };
    expect(items.map((a) => a.mn)).toEqual([QILU_CEMS]);
    expect(items[0]).toMatchObject({ factor: '*', severity: 'warning', limit: 7 * 86_400 });
    expect(items[0]?.evidence).toMatchObject({ lastRawFrameAt: null, periodS: 7 * 86_400 });
    await logger.endAsync();
  });
});
