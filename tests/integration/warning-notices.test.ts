/**
 * Pre-notices, acknowledgements and the effect report on the real app (issue 17 item 3, PLANS E8,
 * E9; real Mosquitto and InfluxDB, the app's clock fixed at 2026-12-02 09:30 China time):
 * - forecasts imported as CSV show frequent orange-or-worse days; the pre-notice is only proposed,
 *   then issued by the centre to the continuous-process enterprises of the districts chosen, pushed
 *   live to exactly those enterprises' sockets (each its own entry), sent through a notification
 *   target, acknowledged (已知悉) with the time kept, and audited;
 * - an enterprise in a warning's scope acknowledges its notice; the bureau sees who did;
 * - a lifted warning's effect report, with observed AQI from ambient hour records sent over MQTT,
 *   equals the hand computation written out below.
 */
import { createServer, type Server } from 'node:http';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AqiResponse } from '../../server/domain/air-quality';
import { dataTopic, type LoggerMessage } from '../../server/domain/mqtt-contract';
import type { NoticeRecipient, PreNotice, PreNoticeProposal, WarningAcknowledgements } from '../../server/domain/prenotice';
import type { Warning } from '../../server/domain/warning';
import type { WarningEffect } from '../../server/domain/warning-effect';
import {
  connectDashboard,
  nextEvent,
  signIn,
  startTestApp,
  type ApiSession,
  type DashboardSocket,
  type TestApp,
} from '../helpers/test-app';
import { eventually, until } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const H = 3_600_000;
const DAY1 = Date.parse('2026-12-01T00:00:00+08:00');
const DAY2 = Date.parse('2026-12-02T00:00:00+08:00');
const NOW = Date.parse('2026-12-02T09:30:00+08:00');
const PARK = '370300AQS000000000001001'; // 人民公园站, 张店区 (临淄大化站 and 周村东站 send nothing)

/** A webhook receiver: records each request body. */
class Receiver {
  readonly received: Record<string, unknown>[] = [];
  url = '';
  private readonly server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      this.received.push(JSON.parse(data) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
    });
  });
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/robot/send?access_token=t`;
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('pre-notices, acknowledgements and the effect report', () => {
  const receiver = new Receiver();
  let t: TestApp;
  let admin: ApiSession;
  let ozone: ApiSession;
  let officer: ApiSession;
  /** Enterprise users: 桓台特钢 (C3120, 桓台县), 金华石化 (C2614, 临淄区), 齐鲁热电 (D4411, 临淄区), 淄川水泥 (C3011, 淄川区). */
  const ent: Record<'steel' | 'petro' | 'power' | 'cement', ApiSession> = {} as never;
  const sockets: Record<string, DashboardSocket> = {};
  const pushed: Record<string, PreNotice[]> = { steel: [], petro: [], power: [], cement: [] };
  let logger: MqttClient;
  let preNotice: PreNotice;

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp(
      { MQTT_URL: broker.url(), INFLUX_URL: inject('influxUrl'), INFLUX_DB: `notices_${Date.now()}` },
      { now: () => NOW },
    );
    [admin, ozone, officer] = await Promise.all([t.signIn('admin'), t.signIn('ozone'), t.signIn('officer')]);
    expect((await admin.call('POST', '/api/notify-targets', { name: '应急指挥群', format: 'dingtalk', url: receiver.url })).status).toBe(
      201,
    );
    const industries: [string, string, string][] = [
      ['huantai-steel', 'C3120', '炼钢'],
      ['jinhua-petrochem', 'C2614', '有机化学原料制造'],
      ['qilu-power', 'D4411', '火力发电'],
      ['zichuan-cement', 'C3011', '水泥制造'],
    ];
    for (const [id, code, name] of industries)
      expect((await admin.call('PATCH', `/api/enterprises/${id}`, { industry: { code, name } })).status).toBe(200);
    for (const [key, id] of [
      ['steel', 'huantai-steel'],
      ['petro', 'jinhua-petrochem'],
    ] as const) {
      const password = `${id}-given-2026`;
      expect((await admin.call('POST', '/api/users', { username: id, role: 'enterprise', enterpriseId: id, password })).status).toBe(201);
      ent[key] = await signIn(t.baseUrl, id, password);
    }
    ent.power = await t.signIn('qilu-power');
    ent.cement = await t.signIn('zichuan-cement');
    for (const key of Object.keys(pushed)) {
      sockets[key] = await connectDashboard(t.baseUrl, ent[key as keyof typeof ent]);
      (sockets[key] as DashboardSocket).on('prenotice:changed', (e) => pushed[key]?.push(e.preNotice));
    }
    sockets['officer'] = await connectDashboard(t.baseUrl, officer);
    // Forecast day AQI from yesterday: > 200 on 12-02…04 and 12-06…07 (two orange episodes, 5 days).
    const csv = ['date,iaqi,aqi', '2026-12-01,60,200', '2026-12-02,60,280', '2026-12-03,60,230', '2026-12-04,60,240']
      .concat(['2026-12-05,60,100', '2026-12-06,60,250', '2026-12-07,60,260'])
      .join('\n');
    const imported = await ozone.fetch('/api/ozone/forecasts', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(imported.status).toBe(201);
  });
  afterAll(async () => {
    for (const s of Object.values(sockets)) s.close();
    await logger?.endAsync();
    await t?.stop();
    await receiver.close();
  });

  it('the forecasts propose a pre-notice to the continuous-process enterprises; nothing is sent by itself', async () => {
    const p = (await ozone.call<PreNoticeProposal>('GET', '/api/pre-notices/proposal')).body;
    expect(p.outlook).toEqual({
      horizon: { from: '2026-12-02', to: '2026-12-11' },
      episodes: [
        { from: '2026-12-02', to: '2026-12-04', days: 3, peak: 280, level: 'orange' },
        { from: '2026-12-06', to: '2026-12-07', days: 2, peak: 260, level: 'orange' },
      ],
      qualifyingDays: 5,
      frequent: true,
      rule: { minEpisodes: 2, minDays: 4 },
    });
    expect(p).toMatchObject({ level: 'orange', from: '2026-12-02', to: '2026-12-07' });
    // 齐鲁热电 (power) is not continuous-process.
    expect(p.recipients.map((r) => r.enterpriseId).sort()).toEqual(['huantai-steel', 'jinhua-petrochem', 'zichuan-cement']);
    expect((await ozone.call<{ items: PreNotice[] }>('GET', '/api/pre-notices')).body.items).toEqual([]);
    expect((await ent.steel.call('GET', '/api/pre-notices/proposal')).status).toBe(403);
  });

  it('issued by the centre: pushed live to the addressed enterprises only, each its own entry; sent; audited', async () => {
    const staffPush = nextEvent(sockets['officer'] as DashboardSocket, 'prenotice:changed', () => true);
    const res = await ozone.call<{ preNotice: PreNotice }>('POST', '/api/pre-notices', { districts: ['桓台县', '临淄区'] });
    expect(res.status).toBe(201);
    preNotice = res.body.preNotice;
    expect(preNotice).toMatchObject({ id: 1, level: 'orange', from: '2026-12-02', to: '2026-12-07', issuedBy: 'ozone', issuedAt: NOW });
    expect(preNotice.recipients.map((r) => [r.enterpriseId, r.acknowledgedAt])).toEqual([
      ['huantai-steel', null],
      ['jinhua-petrochem', null],
    ]);
    expect((await staffPush).preNotice.recipients).toHaveLength(2);
    await until(() => pushed['steel']?.length === 1 && pushed['petro']?.length === 1, 'pushed to the two enterprises');
    expect(pushed['steel']?.[0]?.recipients.map((r) => r.enterpriseId)).toEqual(['huantai-steel']);
    expect(pushed['steel']?.[0]).toMatchObject({ issuedBy: '', outlook: null });
    expect(pushed['petro']?.[0]?.recipients.map((r) => r.enterpriseId)).toEqual(['jinhua-petrochem']);
    // A warning over 临淄区 and 淄川区 reaches 齐鲁热电 and 淄川水泥 after the pre-notice would have: they got none.
    const [powerSeen, cementSeen] = (['power', 'cement'] as const).map((k) =>
      nextEvent(sockets[k] as DashboardSocket, 'warning:changed', () => true),
    );
    const w = await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
      kind: 'heavy_pollution',
      level: 'orange',
      basis: 'city_notice',
      districts: ['临淄区', '淄川区'],
      startAt: NOW + 86_400_000,
    });
    expect(w.status).toBe(201);
    await Promise.all([powerSeen, cementSeen]);
    expect([pushed['power'], pushed['cement']]).toEqual([[], []]);
    await until(() => receiver.received.some((b) => JSON.stringify(b).includes('预通知')), 'the pre-notice delivered');
    const text = receiver.received.map((b) => String((b['markdown'] as { text: string }).text)).find((x) => x.includes('预通知')) as string;
    expect(text).toContain('桓台县、临淄区');
    expect(text).toContain('2026-12-02 至 2026-12-07');
    expect(text).toContain('2 家');
    // An enterprise lists only what is addressed to it, with its own entry.
    expect((await ent.petro.call<{ items: PreNotice[] }>('GET', '/api/pre-notices')).body.items.map((p) => p.recipients.length)).toEqual([
      1,
    ]);
    expect((await ent.power.call<{ items: PreNotice[] }>('GET', '/api/pre-notices')).body.items).toEqual([]);
    expect((await ent.steel.call('POST', '/api/pre-notices', { districts: ['桓台县'] })).status).toBe(403);
    // Refused with a clear 400: a district without continuous-process enterprises, an unknown one.
    const none = await ozone.call<{ message: string }>('POST', '/api/pre-notices', { districts: ['周村区'] });
    expect(none).toMatchObject({ status: 400, body: { message: expect.stringContaining('continuous-process') } });
    expect((await ozone.call('POST', '/api/pre-notices', { districts: ['朝阳县'] })).status).toBe(400);
  });

  it('acknowledged (已知悉) by an addressed enterprise: the first time kept, pushed to staff; others refused', async () => {
    const staffPush = nextEvent(sockets['officer'] as DashboardSocket, 'prenotice:changed', (e) =>
      e.preNotice.recipients.some((r) => r.acknowledgedAt !== null),
    );
    const ack = await ent.steel.call<{ preNotice: PreNotice }>('POST', `/api/pre-notices/${preNotice.id}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.preNotice.recipients).toEqual([
      expect.objectContaining({ enterpriseId: 'huantai-steel', acknowledgedAt: NOW, acknowledgedBy: 'huantai-steel' }),
    ]);
    const staff = (await staffPush).preNotice;
    expect(staff.recipients.map((r) => [r.enterpriseId, r.acknowledgedAt])).toEqual([
      ['huantai-steel', NOW],
      ['jinhua-petrochem', null],
    ]);
    expect((await ent.steel.call('POST', `/api/pre-notices/${preNotice.id}/acknowledge`)).status).toBe(200);
    expect((await ent.power.call('POST', `/api/pre-notices/${preNotice.id}/acknowledge`)).status).toBe(404);
    expect((await ent.steel.call('POST', '/api/pre-notices/99/acknowledge')).status).toBe(404);
    expect((await officer.call('POST', `/api/pre-notices/${preNotice.id}/acknowledge`)).status).toBe(403);
    for (const [action, who] of [
      ['prenotice_issued', ['ozone']],
      ['prenotice_acknowledged', ['huantai-steel', 'huantai-steel']], // the repeat too
    ] as const) {
      const r = await admin.call<{ items: { username: string }[] }>('GET', `/api/audit?action=${action}`);
      expect({ action, who: r.body.items.map((x) => x.username) }).toEqual({ action, who });
    }
  });

  it('a warning’s notice: an enterprise in scope acknowledges it; the bureau sees who did; others are refused', async () => {
    const w = (
      await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
        kind: 'heavy_pollution',
        level: 'orange',
        basis: 'regional_consultation',
        districts: ['临淄区'],
        startAt: NOW + 86_400_000,
      })
    ).body.warning;
    const staffSeen = nextEvent(sockets['officer'] as DashboardSocket, 'warning:acknowledged', (e) => e.warningId === w.id);
    const ack = await ent.power.call<{ recipient: NoticeRecipient }>('POST', `/api/warnings/${w.id}/acknowledge`);
    expect(ack).toMatchObject({
      status: 200,
      body: { recipient: { enterpriseId: 'qilu-power', acknowledgedAt: NOW, acknowledgedBy: 'qilu-power' } },
    });
    expect((await staffSeen).recipient.enterpriseId).toBe('qilu-power');
    expect((await ent.steel.call('POST', `/api/warnings/${w.id}/acknowledge`)).status).toBe(404); // 桓台县: not in scope
    expect((await ozone.call('POST', `/api/warnings/${w.id}/acknowledge`)).status).toBe(403);
    const all = (await officer.call<WarningAcknowledgements>('GET', `/api/warnings/${w.id}/acknowledgements`)).body;
    expect(all.items.map((r) => [r.enterpriseId, r.acknowledgedAt])).toEqual([
      ['jinhua-petrochem', null],
      ['qilu-power', NOW],
    ]);
    const own = (await ent.power.call<WarningAcknowledgements>('GET', `/api/warnings/${w.id}/acknowledgements`)).body;
    expect(own.items.map((r) => r.enterpriseId)).toEqual(['qilu-power']);
    expect((await ent.steel.call('GET', `/api/warnings/${w.id}/acknowledgements`)).status).toBe(404);
  });

  it('the effect report of a lifted warning equals the hand computation from ambient readings over MQTT', async () => {
    // 人民公园站 (张店区) sends PM2.5 hour records only: 12-01 hours 00–09 at 160 µg/m³ and 10–23 at 100;
    // 12-02 hours 00–08 at 260 (the clock is 09:30: hour 09 is not over).
    logger = await mqtt.connectAsync(broker.url(), { clientId: `aqs-notices-${Date.now()}` });
    const hours: [number, number][] = [];
    for (let h = 0; h < 24; h++) hours.push([DAY1 + h * H, h < 10 ? 160 : 100]);
    for (let h = 0; h < 9; h++) hours.push([DAY2 + h * H, 260]);
    for (const [ts, pm25] of hours) {
      const msg: LoggerMessage = { cn: '2061', ts, factors: { a34004: { avg: pm25, flag: 'N' } } };
      await logger.publishAsync(dataTopic(PARK), JSON.stringify(msg), { qos: 1 });
    }
    await eventually(async () => {
      const q = 'scope=station&interval=hour&from=2026-12-02&to=2026-12-02';
      const rows = (await officer.call<AqiResponse>('GET', `/api/air/aqi?${q}`)).body.rows;
      const park = rows.filter((r) => r.id === PARK && r.aqi !== null);
      return park.length === 9 ? true : undefined;
    }, 'the hours stored');
    // In force from 12-01 00:00 (the start is in the past: in force at once), lifted at 12-02 09:30.
    const issued = await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
      kind: 'heavy_pollution',
      level: 'orange',
      basis: 'city_notice',
      districts: ['张店区', '临淄区'],
      startAt: DAY1,
    });
    const id = issued.body.warning.id;
    expect((await ozone.call('GET', `/api/warnings/${id}/effect`)).status).toBe(409); // not lifted yet
    await until(
      async () => (await ozone.call<{ warning: Warning }>('GET', `/api/warnings/${id}`)).body.warning.status === 'in_force',
      'in force',
    );
    expect((await ozone.call('POST', `/api/warnings/${id}/lift`, { note: '空气质量好转' })).status).toBe(200);
    const e = (await officer.call<WarningEffect>('GET', `/api/warnings/${id}/effect`)).body;
    expect(e.period).toEqual({ from: DAY1, to: NOW, dates: ['2026-12-01', '2026-12-02'] });
    // By hand (PM2.5 breakpoints 0/35/75/115/150/250/350/500 → IAQI 0/50/100/150/200/300/400/500, carried up):
    //   12-01 day mean (10 × 160 + 14 × 100)/24 = 125 → 150 + 50 × 10/35 = 164.3 → 165 (the city: 人民公园站 alone)
    //   12-02: 9 hours (< 20) → no valid day mean → null
    //   forecasts 200 and 280; difference 165 − 200 = −35; means over the one day having both: 200 and 165
    expect(e.days).toEqual([
      { date: '2026-12-01', forecast: 200, observed: 165, difference: -35 },
      { date: '2026-12-02', forecast: 280, observed: null, difference: null },
    ]);
    expect(e.means).toEqual({ forecast: 200, observed: 165 });
    //   hours: 160 → 200 + 100 × 10/100 = 210 (heavy), 100 → 132, 260 → 310 (heavy): 10 + 9 = 19 heavy of 33
    expect(e.heavyHours).toEqual([
      { district: '张店区', heavyHours: 19, hoursWithData: 33, peak: 310 },
      { district: '临淄区', heavyHours: 0, hoursWithData: 0, peak: null },
    ]);
    expect(e.heavyHoursTotal).toBe(19);
    // Notified: the warning's notice to 张店区 and 临淄区's enterprises; the pre-notice (临淄区, 12-02…07) overlaps.
    expect(e.notices.map((n) => [n.kind, n.notified, n.acknowledged])).toEqual([
      ['warning', 6, 0],
      ['pre_notice', 2, 1],
    ]);
    expect(e.timeline.map((h) => h.event)).toEqual(['issued', 'started', 'lifted']);
    // Its response: the enterprises with air emissions in scope, none with a reduction list in this registry.
    if (!e.compliance.available) throw new Error('a heavy-pollution warning has a response');
    expect(e.compliance.rows.length).toBeGreaterThan(0);
    expect(e.compliance.totals).toMatchObject({ withoutList: e.compliance.rows.length, required: 0, compliant: 0, failed: 0 });
    // The XLSX export; an enterprise may not read the report.
    const xlsx = await officer.fetch(`/api/warnings/${id}/effect?format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    expect((await ent.power.call('GET', `/api/warnings/${id}/effect`)).status).toBe(403);
  });
});
