/**
 * Enterprises cannot silence the bureau (PLANS A7, B12, B14), on the real app with a webhook
 * target and an injected clock: an enterprise's 31-day company-wide window waits for an officer and
 * quiets nothing; its short window for one outlet takes effect, yet a bypass and an offline alert in
 * it are still notified; officers approve and reject (audited, recorded in the window, pushed live);
 * and an enterprise never receives the bureau's internal notes over REST or socket.io.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertHistoryEntry, MaintenanceWindow } from '../../server/domain/alert';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { connectDashboard, nextEvent, ROOT, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const ENT = 'zichuan-cement';
const NH3 = '370300NH3000000000000201'; // zichuan-cement, limit 8 mg/m³
const CEMS = '370300CEMS00000000000201'; // zichuan-cement
const WTE_NH3 = '370300NH3000000000000701'; // city-wte
const H = 3_600_000;
const DAY = 24 * H;

interface Hook {
  event: string;
  alert: Alert;
}

describe('maintenance windows are reviewed and never silence the bureau', () => {
  let t: TestApp;
  let receiver: Server;
  const hooks: Hook[] = [];
  let dir: string;
  let clock = Date.now();
  let ent: ApiSession;
  let officer: ApiSession;
  let admin: ApiSession;
  let entSocket: DashboardSocket;
  let staffSocket: DashboardSocket;
  let logger: MqttClient;
  const hooked = (mn: string, rule: string) => hooks.find((h) => h.alert.mn === mn && h.alert.rule === rule);
  const publish = (mn: string, ts: number, factors: Record<string, { rtd: number; flag: string }>) =>
    logger.publishAsync(dataTopic(mn), JSON.stringify({ cn: '2011', ts, factors }), { qos: 1 });
  type Answer = { window: MaintenanceWindow };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(data) as Hook);
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    dir = mkdtempSync(join(tmpdir(), 'o3-review-'));
    const file = join(dir, 'config.yaml');
    const yaml = readFileSync(join(ROOT, 'config/default.yaml'), 'utf8')
      .replace('    targets: []', `    targets: [{ name: duty, url: "${url}", format: json }]`)
      .replace('    pollIntervalMs: 1000', '    pollIntervalMs: 50');
    writeFileSync(file, yaml);
    t = await startTestApp({ CONFIG_FILE: file, RULES_TICK_S: '1' }, { now: () => clock });
    [ent, officer, admin] = await Promise.all([t.signIn(ENT), t.signIn('officer'), t.signIn('admin')]);
    [entSocket, staffSocket] = await Promise.all([connectDashboard(t.baseUrl, ent), connectDashboard(t.baseUrl, officer)]);
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `review-it-${Date.now()}`, ...t.mqttAuth });
  });
  afterAll(async () => {
    entSocket?.close();
    staffSocket?.close();
    await logger?.endAsync();
    await t?.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('an enterprise’s 31-day company-wide window stays pending and quiets nothing; a start in the past is refused', async () => {
    const past = await ent.call('POST', '/api/maintenance', { mn: NH3, from: clock - H, to: clock + H, reason: '补报' });
    expect(past).toMatchObject({ status: 400, body: { message: 'from: must not be in the past' } });
    const declared = await ent.call<Answer>('POST', '/api/maintenance', {
      enterpriseId: ENT,
      from: clock,
      to: clock + 31 * DAY,
      reason: '全厂停产检修',
    });
    expect(declared).toMatchObject({ status: 201, body: { window: { status: 'pending', reviewedBy: null, mn: null, declaredBy: ENT } } });

    const opened = nextEvent(staffSocket, 'alert:opened', (e) => e.alert.mn === NH3);
    await publish(NH3, clock - 1_000, { a21001: { rtd: 9.3, flag: 'N' } });
    expect((await opened).alert).toMatchObject({ rule: 'limit-instant', suppressed: null });
    await until(() => hooked(NH3, 'limit-instant') !== undefined, 'the limit alert notified');
  });

  it('a short window for one outlet takes effect as declared; a bypass in it is notified, maintenance flags are quiet', async () => {
    const declared = await ent.call<Answer>('POST', '/api/maintenance', { mn: CEMS, from: clock, to: clock + 2 * H, reason: '窑检修' });
    expect(declared).toMatchObject({ status: 201, body: { window: { status: 'approved', reviewedBy: 'system', mn: CEMS } } });
    const bypass = nextEvent(staffSocket, 'alert:opened', (e) => e.alert.mn === CEMS && e.alert.rule === 'bypass');
    const quiet = nextEvent(staffSocket, 'alert:updated', (e) => e.alert.mn === CEMS && e.alert.rule === 'maintenance-flag');
    await publish(CEMS, clock + 1_000, { abp01: { rtd: 1.2, flag: 'N' }, a21026: { rtd: 5, flag: 'M' } });
    expect((await bypass).alert).toMatchObject({ severity: 'critical', suppressed: null });
    expect((await quiet).alert.suppressed).toBe('maintenance');
    await until(() => hooked(CEMS, 'bypass') !== undefined, 'the bypass notified');
    expect(hooked(CEMS, 'maintenance-flag')).toBeUndefined();
  });

  it('an offline source inside its approved window is notified', async () => {
    const offline = nextEvent(staffSocket, 'alert:opened', (e) => e.alert.mn === CEMS && e.alert.rule === 'offline');
    clock += 10 * 60_000; // 10 min of silence, the window still runs
    expect((await offline).alert.suppressed).toBeNull();
    await until(() => hooked(CEMS, 'offline') !== undefined, 'the offline alert notified');
  });

  it('officers list pending first, approve or reject with a reason; audited, recorded, pushed to the enterprise', async () => {
    const items = (await officer.call<{ items: MaintenanceWindow[] }>('GET', `/api/maintenance?enterpriseId=${ENT}`)).body.items;
    expect(items.map((w) => w.status)).toEqual(['pending', 'approved']);
    const pending = items[0] as MaintenanceWindow;
    expect((await ent.call('POST', `/api/maintenance/${pending.id}/approve`, {})).status).toBe(403);
    expect((await officer.call('POST', `/api/maintenance/${pending.id}/reject`, {})).status).toBe(400);

    const pushed = nextEvent(entSocket, 'maintenance:changed', (e) => e.window.id === pending.id && e.window.status === 'rejected');
    const why = '全厂停产须提前报送停产计划';
    const rejected = await officer.call<Answer>('POST', `/api/maintenance/${pending.id}/reject`, { reason: why });
    expect(rejected.body.window).toMatchObject({ status: 'rejected', reviewedBy: 'officer', reviewedAt: clock, reviewNote: why });
    // The enterprise reads the officer by display name, never the account's username.
    expect((await pushed).window).toMatchObject({ reviewNote: why, reviewedBy: '值班人员 Duty officer' });
    const seen = await ent.call<Answer>('GET', `/api/maintenance/${pending.id}`);
    expect(seen.body.window).toMatchObject({ status: 'rejected', reviewNote: why, reviewedBy: '值班人员 Duty officer' });
    expect((await ent.call('PATCH', `/api/maintenance/${pending.id}`, { reason: '再报' })).status).toBe(409);

    const declared = await ent.call<Answer>('POST', '/api/maintenance', { mn: NH3, from: clock, to: clock + 3 * DAY, reason: '脱硝改造' });
    const long = declared.body.window;
    expect(long.status).toBe('pending');
    const approved = nextEvent(entSocket, 'maintenance:changed', (e) => e.window.id === long.id && e.window.status === 'approved');
    const ok = await officer.call<Answer>('POST', `/api/maintenance/${long.id}/approve`, { note: '已核实改造方案' });
    expect(ok.body.window).toMatchObject({ status: 'approved', reviewedBy: 'officer', reviewNote: '已核实改造方案' });
    await approved;
    expect((await officer.call('POST', `/api/maintenance/${long.id}/approve`, {})).status).toBe(409);

    // An enterprise's later change is a new declaration: back to pending.
    const changed = await ent.call<Answer>('PATCH', `/api/maintenance/${long.id}`, { to: clock + 4 * DAY });
    expect(changed.body.window).toMatchObject({ status: 'pending', reviewedBy: null });
    const ended = await officer.call<Answer>('DELETE', `/api/maintenance/${long.id}`);
    expect(ended.body.window).toMatchObject({ endedBy: 'officer', endedAt: clock });

    const audit = await admin.call<{ items: { action: string; target: string; username: string }[] }>(
      'GET',
      '/api/audit?action=maintenance_approved&action=maintenance_rejected',
    );
    expect(audit.body.items.map((r) => [r.action, r.target, r.username])).toEqual([
      ['maintenance_approved', `/api/maintenance/${long.id}/approve`, 'officer'],
      ['maintenance_rejected', `/api/maintenance/${pending.id}/reject`, 'officer'],
    ]);
  });

  it('another enterprise’s source answers exactly like an unknown one', async () => {
    const body = (mn: string) => ({ mn, from: clock + H, to: clock + 2 * H, reason: 'x' });
    const unknown = await ent.call('POST', '/api/maintenance', body('370300NH3000000000009999'));
    const theirs = await ent.call('POST', '/api/maintenance', body(WTE_NH3));
    expect(theirs.status).toBe(unknown.status);
    const shown = (body: unknown, echoed: string) => JSON.stringify(body).replace(echoed, '<echoed>');
    expect(shown(theirs.body, WTE_NH3)).toBe(shown(unknown.body, '370300NH3000000000009999'));
    const byEnt = async (id: string) => {
      const res = await ent.call('POST', '/api/maintenance', { enterpriseId: id, from: clock + H, to: clock + 2 * H, reason: 'x' });
      return `${res.status} ${shown(res.body, id)}`;
    };
    expect(await byEnt('city-wte')).toBe(await byEnt('no-such-enterprise'));
  });

  it('an enterprise never receives the bureau’s internal notes, over REST or socket.io', async () => {
    const staffAlert = (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${NH3}&rule=limit-instant`)).body.items[0] as Alert;
    const id = staffAlert.id;
    const entUpdates: Alert[] = [];
    entSocket.on('alert:updated', (e) => void (e.alert.id === id && entUpdates.push(e.alert)));
    const internal = await officer.call('POST', `/api/alerts/${id}/comment`, { text: '该企业屡次超标，重点盯防' });
    expect(internal.body).toMatchObject({ comment: { internal: true } });
    expect((await officer.call('POST', `/api/alerts/${id}/comment`, { text: '请说明超标原因', internal: false })).status).toBe(201);
    expect((await ent.call('POST', `/api/alerts/${id}/comment`, { text: '内部', internal: true })).status).toBe(400);
    expect((await officer.call('POST', `/api/alerts/${id}/assign`, { assignee: 'officer', note: '交王工核查' })).status).toBe(200);

    const toStaff = nextEvent(staffSocket, 'alert:updated', (e) => e.alert.id === id && e.alert.suppressed === 'silence');
    expect(
      (await officer.call('POST', `/api/alerts/${id}/silence`, { reason: '疑似数据造假，暂不通知企业', durationMin: 60 })).status,
    ).toBe(200);
    expect((await toStaff).alert).toMatchObject({ suppressed: 'silence', assignee: 'officer' });
    await until(() => entUpdates.length >= 4, 'the enterprise told of two comments, the assignment and the silence');
    expect(entUpdates.map((a) => [a.suppressed, a.assignee])).toEqual([
      [null, null],
      [null, null],
      [null, null],
      [null, null],
    ]);

    type Detail = { alert: Alert; history: AlertHistoryEntry[]; comments: AlertHistoryEntry[] };
    const detail = await ent.call<Detail>('GET', `/api/alerts/${id}`);
    const bySource = await ent.call<{ items: AlertHistoryEntry[] }>('GET', `/api/alerts/history?mn=${NH3}`);
    const list = await ent.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${NH3}`);
    const everything = JSON.stringify([detail.body, bySource.body, list.body]);
    for (const secret of ['该企业屡次超标', '疑似数据造假', '交王工核查', '"silence"', '"silenced"', '"assigned"']) {
      expect(everything).not.toContain(secret);
    }
    expect(detail.body.alert).toMatchObject({ suppressed: null, assignee: null });
    expect(detail.body.comments.map((c) => c.note)).toEqual(['请说明超标原因']);
    for (const probe of ['assignee=officer', 'suppressed=true', 'q=officer']) {
      expect((await ent.call('GET', `/api/alerts?${probe}`)).body).toMatchObject({ error: 'bad_request', message: /not a filter/ });
    }

    const fresh = await connectDashboard(t.baseUrl, ent);
    const snapshot = await new Promise<string>((r) => {
      fresh.once('state:snapshot', (s) => r(JSON.stringify(s.alerts)));
      fresh.emit('state:resync');
    });
    fresh.close();
    expect(snapshot).toContain(`"id":${id}`);
    expect(snapshot).not.toContain('"silence"');
    const staffDetail = await officer.call<{ history: AlertHistoryEntry[] }>('GET', `/api/alerts/${id}`);
    expect(staffDetail.body.history.map((e) => e.kind)).toEqual(expect.arrayContaining(['silenced', 'assigned', 'commented']));
  });
});
