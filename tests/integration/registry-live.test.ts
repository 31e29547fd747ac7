/**
 * The registry changes while the app runs (issue 14: no restart). On the real app with its embedded
 * broker and HJ 212 listener, a source added with `registry.replace()` publishes at once over MQTT
 * with its credentials and over HJ 212 with its PW, and its exceedance opens an alert; rotated
 * credentials close the logger's connections and only the new ones work; a removed source's MQTT and
 * HJ 212 connections are closed and its data refused; a changed limit judges the next reading.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { FrameDecoded } from '../../server/domain/hj212/decode';
import { encodeFrameText } from '../../server/domain/hj212/encode';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import { dataTopic } from '../../server/domain/mqtt-contract';
import type { SourceView } from '../../server/domain/events';
import type { Registry, Source } from '../../server/domain/registry';
import { rawLogger, type RawLogger } from '../helpers/hj212-harness';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';

const MN = '370300NH3000000000009901';
const NEW_SOURCE: Source = {
  mn: MN,
  enterpriseId: 'zichuan-cement',
  name: '新增脱硝出口',
  kind: 'ammonia',
  lat: 36.7,
  lon: 117.9,
  position: 'outlet',
  pw: 'live-pw-1',
  mqttPassword: 'live-mqtt-secret-1',
  intervalS: 30,
  limits: {},
};

describe('registry changes take effect live', () => {
  let t: TestApp;
  let base: Registry;
  let dashboard: DashboardSocket;
  let officer: ApiSession;
  const open: { end(): unknown }[] = [];

  const withSource = (s: Source | null): Registry => ({
    ...base,
    sources: [...base.sources.filter((x) => x.mn !== MN), ...(s ? [s] : [])],
  });
  const connectLogger = async (password: string): Promise<MqttClient> => {
    const options = { clientId: `t-${MN}`, username: MN, password, reconnectPeriod: 0, connectTimeout: 5_000 };
    const c = await mqtt.connectAsync(t.app.mqttUrl, options);
    open.push({ end: () => c.end(true) });
    return c;
  };
  const reading = (rtd: number, ts: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });
  const frame = (pw: string, rtd: number, at: number) =>
    encodeFrameText({
      qn: formatQn(at),
      st: '31',
      cn: '2011',
      pw,
      mn: MN,
      flag: 5,
      cp: { params: { DataTime: formatHjTime(at) }, factors: [{ code: 'a21001', fields: { Rtd: String(rtd), Flag: 'N' } }] },
    });
  const tcpLogger = async (): Promise<RawLogger> => {
    const l = await rawLogger(t.app.hj212Port as number);
    open.push({ end: () => l.socket.destroy() });
    return l;
  };
  /** A reply as `CN` or `CN QnRtn=n`. */
  const said = (r: FrameDecoded | undefined): string => {
    if (!r?.ok) return 'bad';
    const rtn = r.frame.cp.params['QnRtn'];
    return rtn ? `${r.frame.cn} QnRtn=${rtn}` : r.frame.cn;
  };
  const closed = (c: MqttClient) => new Promise<void>((r) => c.once('close', () => r()));
  const now = () => Math.floor(Date.now() / 1000) * 1000;

  beforeAll(async () => {
    t = await startTestApp();
    base = t.config.registry;
    officer = await t.signIn('officer');
    dashboard = await connectDashboard(t.baseUrl, officer);
  });
  afterAll(async () => {
    for (const o of open) o.end();
    dashboard?.close();
    await t?.stop();
  });

  it('a source added at run time publishes at once over MQTT and HJ 212; its exceedance opens an alert', async () => {
    await expect(connectLogger(NEW_SOURCE.mqttPassword as string)).rejects.toThrow(/bad user ?name or password/i);
    const cement = await connectDashboard(t.baseUrl, await t.signIn('zichuan-cement'));
    const power = await connectDashboard(t.baseUrl, await t.signIn('qilu-power'));
    open.push({ end: () => cement.close() }, { end: () => power.close() });
    const listed = (socket: DashboardSocket) => nextEvent(socket, 'sources:changed', () => true).then((e) => e.sources);
    const [staffList, cementList, powerList] = [listed(dashboard), listed(cement), listed(power)];
    await t.app.registry.admin.apply(withSource(NEW_SOURCE), { username: 'system' }, 'registry.import_applied');
    // The dashboards get their new source lists on the sockets they have (no reconnect), each its own.
    const listedNew = (await staffList).find((s) => s.mn === MN);
    expect(listedNew).toMatchObject({ name: NEW_SOURCE.name, enterpriseId: 'zichuan-cement', status: 'nodata' });
    expect((await staffList).length).toBe(base.sources.length + 1);
    const owners = async (list: Promise<SourceView[]>) => [...new Set((await list).map((s) => s.enterpriseId))];
    expect((await cementList).map((s) => s.mn)).toContain(MN);
    expect(await owners(cementList)).toEqual(['zichuan-cement']);
    expect(await owners(powerList)).toEqual(['qilu-power']);

    const logger = await connectLogger(NEW_SOURCE.mqttPassword as string);
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === MN);
    await logger.publishAsync(dataTopic(MN), reading(9.5, now() - 5_000), { qos: 1 });
    expect((await opened).alert).toMatchObject({ mn: MN, factor: 'a21001', value: 9.5, limit: 8, enterpriseId: 'zichuan-cement' });
    const latest = async () =>
      (await officer.call<{ items: SourceView[] }>('GET', '/api/sources')).body.items.find((s) => s.mn === MN)?.latest;
    await expect.poll(latest).toMatchObject({ factors: { a21001: { rtd: 9.5 } } });

    const tcp = await tcpLogger();
    await tcp.write(frame('live-pw-1', 3.1, now() - 3_000));
    const [reply] = await tcp.waitReplies(1);
    expect(said(reply)).toBe('9014');
  });

  it('rotated credentials close the logger’s connections; only the new ones work', async () => {
    await t.app.registry.admin.apply(withSource(NEW_SOURCE), { username: 'system' }, 'registry.import_applied');
    const logger = await connectLogger(NEW_SOURCE.mqttPassword as string);
    const tcp = await tcpLogger();
    await tcp.write(frame('live-pw-1', 3.2, now() - 2_000));
    await tcp.waitReplies(1);

    const mqttClosed = closed(logger);
    await t.app.registry.admin.apply(
      withSource({ ...NEW_SOURCE, pw: 'live-pw-2', mqttPassword: 'live-mqtt-secret-2' }),
      { username: 'system' },
      'registry.import_applied',
    );
    await mqttClosed;
    await expect.poll(() => tcp.closed()).toBe(true);

    await expect(connectLogger(NEW_SOURCE.mqttPassword as string)).rejects.toThrow(/bad user ?name or password/i);
    await connectLogger('live-mqtt-secret-2');
    const again = await tcpLogger();
    await again.write(frame('live-pw-1', 3.3, now() - 1_000));
    await again.write(frame('live-pw-2', 3.4, now()));
    const replies = await again.waitReplies(2);
    expect(replies.map(said)).toEqual(['9011 QnRtn=3', '9014']);
  });

  it('a changed limit judges the next reading', async () => {
    const mn = '370300NH3000000000009902';
    const limits = { a21001: { max: 20, o2Converted: false, severity: 'major' as const } };
    const source: Source = { ...NEW_SOURCE, mn, pw: 'limit-pw', mqttPassword: undefined, limits };
    const withIt = (s: Source): Registry => ({ ...base, sources: [...base.sources, s] });
    await t.app.registry.admin.apply(withIt(source), { username: 'system' }, 'registry.import_applied');
    const tcp = await tcpLogger();
    const upload = (rtd: number, at: number) =>
      encodeFrameText({
        qn: formatQn(at),
        st: '31',
        cn: '2011',
        pw: 'limit-pw',
        mn,
        flag: 5,
        cp: { params: { DataTime: formatHjTime(at) }, factors: [{ code: 'a21001', fields: { Rtd: String(rtd), Flag: 'N' } }] },
      });
    const alertsOf = async () => (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${mn}&open=true`)).body.items;
    await tcp.write(upload(15, now() - 4_000));
    await tcp.waitReplies(1); // durable, and judged (the rules run before the reply)
    expect(await alertsOf()).toEqual([]);

    await t.app.registry.admin.apply(
      withIt({ ...source, limits: { a21001: { max: 10, o2Converted: false, severity: 'critical' } } }),
      { username: 'system' },
      'registry.import_applied',
    );
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === mn);
    await tcp.write(upload(15, now() - 2_000));
    expect((await opened).alert).toMatchObject({ factor: 'a21001', value: 15, limit: 10 });
    await t.app.registry.admin.apply(base, { username: 'system' }, 'registry.import_applied');
  });

  it('campaign targets, reports and enterprise accounts read the registry as it is now', async () => {
    const fresh = { id: 'live-depot', name: '新建油库', district: base.enterprises[0]!.district };
    const depot: Source = {
      ...NEW_SOURCE,
      mn: '370300VRS000000000009903',
      enterpriseId: fresh.id,
      kind: 'vapour',
      pw: 'depot-pw',
      mqttPassword: undefined,
    };
    const ozone = await t.signIn('ozone');
    const from = Date.now() + 3_600_000;
    const target = { enterpriseIds: [fresh.id] };
    const campaign = { name: '新企业管控', level: 'light', from, to: from + 3_600_000, target, measures: ['depot-night-unloading'] };
    expect((await ozone.call('POST', '/api/campaigns', campaign)).status).toBe(400); // not yet registered
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect((await officer.call('GET', `/api/reports/hourly?mn=${depot.mn}&date=${today}`)).status).toBe(404);
    const admin = await t.signIn('admin');
    const user = { username: 'live-depot-user', role: 'enterprise', enterpriseId: fresh.id, password: 'a-long-enough-password-2026' };
    expect((await admin.call('POST', '/api/users', user)).status).toBe(400);

    await t.app.registry.admin.apply(
      { ...base, enterprises: [...base.enterprises, fresh], sources: [...base.sources, depot] },
      { username: 'system' },
      'registry.import_applied',
    );
    const created = await ozone.call<{ campaign: { id: number } }>('POST', '/api/campaigns', campaign);
    expect(created.status).toBe(201);
    const activated = await ozone.call<{ campaign: { affected: string[] } }>('POST', `/api/campaigns/${created.body.campaign.id}/activate`);
    expect(activated.body.campaign.affected).toEqual([fresh.id]);
    expect((await officer.call('GET', `/api/reports/hourly?mn=${depot.mn}&date=${today}`)).status).toBe(200);
    expect((await admin.call('POST', '/api/users', user)).status).toBe(201);
    await t.app.registry.admin.apply(base, { username: 'system' }, 'registry.import_applied');
  });

  it('a removed source’s MQTT and HJ 212 connections are closed and its data refused', async () => {
    const source = { ...NEW_SOURCE, pw: 'live-pw-3', mqttPassword: 'live-mqtt-secret-3' };
    await t.app.registry.admin.apply(withSource(source), { username: 'system' }, 'registry.import_applied');
    const logger = await connectLogger(source.mqttPassword);
    const tcp = await tcpLogger();
    await tcp.write(frame(source.pw, 3.5, now()));
    await tcp.waitReplies(1);

    const mqttClosed = closed(logger);
    await t.app.registry.admin.apply(withSource(null), { username: 'system' }, 'registry.import_applied');
    await mqttClosed;
    await expect.poll(() => tcp.closed()).toBe(true);

    await expect(connectLogger(source.mqttPassword)).rejects.toThrow(/bad user ?name or password/i);
    const again = await tcpLogger();
    await again.write(frame(source.pw, 3.6, now()));
    const [reply] = await again.waitReplies(1);
    expect(said(reply)).toBe('9011 QnRtn=4');
  });
});
