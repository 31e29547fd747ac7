/**
 * The department read role (issue 16) on the real app (embedded broker and store): a department
 * user (城管, urban-management) sees the kitchens and construction sites its department oversees —
 * their sources, latest values, series, frames, alerts, reports and registry files, by REST and on
 * its socket — and nothing else: the same enterprise's industrial source and another department's
 * kitchen answer 404 and never reach its socket; every route whose permission the role lacks answers
 * 403 (read from the API's own description, so a new route is covered); its MQTT subscriptions are
 * its sites' topics only; and changing its department ends its sessions and sockets at once.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolesWith, type Permission } from '../../server/domain/access';
import type { Alert, AlertPage } from '../../server/domain/alert';
import type { LatestValues } from '../../server/domain/events';
import { dataTopic } from '../../server/domain/mqtt-contract';
import {
  connectDashboard,
  nextEvent,
  signIn,
  startTestApp,
  type ApiSession,
  type DashboardSocket,
  type TestApp,
} from '../helpers/test-app';
import { until } from '../helpers/wait';

const A_ENT = 'qilu-power';
const A_NH3 = '370300NH3000000000000101'; // qilu-power's industrial source
const KITCHEN = '370300CYYY00000000000101'; // qilu-power's canteen, overseen by urban-management
const SITE = '370300YCJC00000000000101'; // qilu-power's construction site, overseen by urban-management
const OTHER = '370300CYYY00000000000201'; // zichuan-cement's canteen, overseen by market-regulation
const OURS = [KITCHEN, SITE].sort();
const PASSWORD = 'chengguan-secret-2026';
const today = new Date().toISOString().slice(0, 10);
const fume = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { afm01: { rtd, flag: 'N' } } });
const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

describe('the department read role', () => {
  let t: TestApp;
  let admin: ApiSession;
  let officer: ApiSession;
  let dept: ApiSession;
  let deptId: number;
  let deptSocket: DashboardSocket;
  let internal: MqttClient;
  const clients: MqttClient[] = [];
  const alerts: Record<string, Alert> = {};
  /** Every alert and reading the department's socket received. */
  const deptAlerts: Alert[] = [];
  const deptReadings: LatestValues[] = [];

  const addSource = async (mn: string, enterpriseId: string, kind: 'catering' | 'dust', ownerDepartment: string) => {
    const site = kind === 'dust' ? { siteAreaM2: 9000, earthworkPhase: 'earthwork' } : { cookingRanges: 4, purifierType: 'electrostatic' };
    const created = await admin.call('POST', '/api/sources', {
      mn,
      enterpriseId,
      name: kind === 'dust' ? '扩建工地扬尘监测点' : '职工食堂油烟排口',
      kind,
      lat: 36.8,
      lon: 118.3,
      intervalS: 60,
      ownerDepartment,
      ...site,
    });
    expect(created.status).toBe(201);
  };

  beforeAll(async () => {
    t = await startTestApp();
    [admin, officer] = await Promise.all([t.signIn('admin'), t.signIn('officer')]);
    await addSource(KITCHEN, A_ENT, 'catering', 'urban-management');
    await addSource(SITE, A_ENT, 'dust', 'urban-management');
    await addSource(OTHER, 'zichuan-cement', 'catering', 'market-regulation');
    const created = await admin.call<{ user: { id: number; department: string } }>('POST', '/api/users', {
      username: 'chengguan',
      displayName: '城市管理局',
      role: 'department',
      department: 'urban-management',
      password: PASSWORD,
    });
    expect(created).toMatchObject({ status: 201, body: { user: { department: 'urban-management' } } });
    deptId = created.body.user.id;
    dept = await signIn(t.baseUrl, 'chengguan', PASSWORD);
    deptSocket = await connectDashboard(t.baseUrl, dept);
    deptSocket.on('alert:opened', (e) => void deptAlerts.push(e.alert));
    deptSocket.on('reading:batch', (batch) => void deptReadings.push(...batch));
    internal = await mqtt.connectAsync(t.app.mqttUrl, { ...t.mqttAuth, clientId: `dept-int-${Date.now()}`, reconnectPeriod: 0 });
    clients.push(internal);

    // Another department's kitchen and the enterprise's own NH3 slip first (the staff see them open),
    // then the department's kitchen: a leak would reach the department's socket before its own alert.
    const staff = await connectDashboard(t.baseUrl, officer);
    for (const [mn, message] of [
      [OTHER, fume(Date.now() - 3_000, 4.2)],
      [A_NH3, nh3(Date.now() - 3_000, 9.4)],
    ] as const) {
      const opened = nextEvent(staff, 'alert:opened', (e) => e.alert.mn === mn);
      await internal.publishAsync(dataTopic(mn), message, { qos: 1 });
      alerts[mn] = (await opened).alert;
    }
    staff.close();
    const own = nextEvent(deptSocket, 'alert:opened', (e) => e.alert.mn === KITCHEN);
    await internal.publishAsync(dataTopic(KITCHEN), fume(Date.now() - 2_000, 3.1), { qos: 1 });
    alerts[KITCHEN] = (await own).alert;
  });
  afterAll(async () => {
    deptSocket?.close();
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await t?.stop();
  });

  it('its socket gets its kitchen’s alert and values, and nothing of the other sources', async () => {
    expect(deptAlerts.map((a) => a.mn)).toEqual([KITCHEN]);
    await until(() => deptReadings.some((lv) => lv.mn === KITCHEN), 'the kitchen’s values on the department’s socket');
    expect(new Set(deptReadings.map((lv) => lv.mn))).toEqual(new Set([KITCHEN]));
  });

  it('a resync’s snapshot holds its sites and their alerts only', async () => {
    const snapshot = nextEvent(deptSocket, 'state:snapshot', () => true);
    deptSocket.emit('state:resync');
    const s = await snapshot;
    expect(s.sources.map((v) => v.mn).sort()).toEqual(OURS);
    expect(s.alerts.map((a) => a.mn)).toEqual([KITCHEN]);
  });

  it('lists, reads and reports its sites only; everything else answers 404', async () => {
    const sources = await dept.call<{ items: { mn: string }[] }>('GET', '/api/sources');
    expect(sources.body.items.map((s) => s.mn).sort()).toEqual(OURS);
    // Filtered and paged on the server: still its sites only, total counted within its scope.
    const page = await dept.call<{ items: { mn: string }[]; total: number }>('GET', '/api/sources?limit=1');
    expect(page.body.total).toBe(OURS.length);
    expect(page.body.items.map((s) => s.mn)).toEqual([expect.toBeOneOf(OURS)]);
    for (const q of [`q=${A_NH3}`, `q=${OTHER}`, 'kind=ammonia,cems']) {
      expect((await dept.call<{ total: number }>('GET', `/api/sources?${q}`)).body.total).toBe(0);
    }
    expect((await dept.call('GET', `/api/sources/${KITCHEN}/series?factor=afm01`)).status).toBe(200);
    expect((await dept.call('GET', `/api/sources/${KITCHEN}/frames`)).status).toBe(200);
    expect((await dept.call('GET', `/api/reports/hourly?mn=${SITE}&date=${today}`)).status).toBe(200);
    for (const mn of [A_NH3, OTHER]) {
      expect((await dept.call('GET', `/api/sources/${mn}/series?factor=afm01`)).status).toBe(404);
      expect((await dept.call('GET', `/api/sources/${mn}/frames`)).status).toBe(404);
      expect((await dept.call('GET', `/api/reports/hourly?mn=${mn}&date=${today}`)).status).toBe(404);
      expect((await dept.call('GET', `/api/alerts/${alerts[mn]!.id}`)).status).toBe(404);
      expect((await dept.call<{ items: unknown[] }>('GET', `/api/alerts/history?mn=${mn}`)).body.items).toEqual([]);
    }
    const daily = await dept.call<{ items: { mn: string }[] }>('GET', `/api/reports/daily?date=${today}`);
    expect(daily.body.items.map((i) => i.mn).sort()).toEqual(OURS);
  });

  it('sees its kitchen’s alert, whatever it filters on, and no other', async () => {
    const detail = await dept.call<{ alert: Alert }>('GET', `/api/alerts/${alerts[KITCHEN]!.id}`);
    expect(detail).toMatchObject({ status: 200, body: { alert: { mn: KITCHEN } } });
    for (const query of ['', '?enterpriseId=qilu-power', '?enterpriseId=zichuan-cement', '?open=true', `?mn=${A_NH3}`]) {
      const page = await dept.call<AlertPage>('GET', `/api/alerts${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.every((a) => a.mn === KITCHEN)).toBe(true);
      expect(page.body.total).toBe(page.body.items.length);
    }
    expect((await dept.call<AlertPage>('GET', '/api/alerts')).body.items.map((a) => a.id)).toEqual([alerts[KITCHEN]!.id]);
    // Reading is all it may do.
    expect((await dept.call('POST', `/api/alerts/${alerts[KITCHEN]!.id}/comment`, { text: '已督促整改' })).status).toBe(403);
  });

  it('reads the registry of its sites: their enterprise with those sites only, nothing of another', async () => {
    const list = await dept.call<{ items: { id: string; sourceCount: number }[] }>('GET', '/api/enterprises');
    expect(list.body.items).toEqual([expect.objectContaining({ id: A_ENT, sourceCount: 2 })]);
    const file = await dept.call<{ sources: { mn: string }[]; gradeHistory: unknown[] }>('GET', `/api/enterprises/${A_ENT}`);
    expect(file.body.sources.map((s) => s.mn).sort()).toEqual(OURS);
    expect(file.body.gradeHistory).toEqual([]);
    expect((await dept.call('GET', '/api/enterprises/zichuan-cement')).status).toBe(404);
    expect((await dept.call('GET', '/api/facilities?enterpriseId=zichuan-cement')).status).toBe(404);
    // An enterprise's working conditions are the enterprise's, not a kitchen's.
    expect((await dept.call('GET', `/api/enterprises/${A_ENT}/working-condition`)).status).toBe(404);
    const page = await dept.call<{ items: { mn: string }[]; total: number }>('GET', '/api/registry/sources?pageSize=100');
    expect(page.body.items.map((s) => s.mn).sort()).toEqual(OURS);
    const exported = await dept.fetch('/api/registry/export?format=yaml');
    const yaml = await exported.text();
    expect(exported.status).toBe(200);
    for (const mn of OURS) expect(yaml).toContain(mn);
    for (const mn of [A_NH3, OTHER]) expect(yaml).not.toContain(mn);
    expect(yaml).not.toContain('zichuan-cement');
    expect((await dept.call('GET', '/api/registry/export?format=yaml&credentials=true')).status).toBe(403);
  });

  it('every route of a permission the role lacks answers 403', async () => {
    const doc = await dept.call<{ paths: Record<string, Record<string, { 'x-permission'?: string }>> }>('GET', '/api/openapi.json');
    const refused: string[] = [];
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.body.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const permission = op['x-permission'];
        if (!permission || permission === 'public' || rolesWith(permission as Permission).includes('department')) continue;
        const url = path.replace('{mn}', KITCHEN).replace(/\{[^}]+\}/g, '1');
        const res = await dept.fetch(url, {
          method: method.toUpperCase(),
          headers: { 'content-type': 'application/json' },
          body: method === 'get' ? undefined : '{}',
        });
        checked++;
        if (res.status !== 403) refused.push(`${method.toUpperCase()} ${path} → ${res.status}`);
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(refused).toEqual([]);
  });

  it('subscribes on the broker to its sites’ topics only', async () => {
    const user = await mqtt.connectAsync(t.app.mqttUrl, {
      clientId: 'u:chengguan:sec',
      username: 'chengguan',
      password: PASSWORD,
      reconnectPeriod: 0,
    });
    clients.push(user);
    const suback = await user
      .subscribeAsync([dataTopic(A_NH3), dataTopic(OTHER), 'sentinel/v1/+/data', dataTopic(KITCHEN)], { qos: 1 })
      .then(
        (granted) => granted.map((g) => g.qos),
        (err: { packet?: { granted?: number[] } }) => err.packet?.granted,
      );
    expect(suback).toEqual([128, 128, 128, 1]);
  });

  it('another department ends its sessions and sockets at once', async () => {
    const closed = new Promise<string>((res) => deptSocket.once('disconnect', (reason) => res(reason)));
    const changed = await admin.call('PATCH', `/api/users/${deptId}`, { department: 'housing' });
    expect(changed).toMatchObject({ status: 200, body: { user: { role: 'department', department: 'housing' } } });
    expect(await closed).toBe('io server disconnect');
    expect((await dept.call('GET', '/api/auth/me')).status).toBe(401);
    const again = await signIn(t.baseUrl, 'chengguan', PASSWORD);
    const me = await again.call<{ user: { department: string } }>('GET', '/api/auth/me');
    expect(me.body.user.department).toBe('housing');
    expect((await again.call<{ items: unknown[] }>('GET', '/api/sources')).body.items).toEqual([]);
    const audit = await admin.call<{ items: { action: string; detail: { to: { department: string } } }[] }>(
      'GET',
      '/api/audit?action=role_changed',
    );
    expect(audit.body.items[0]?.detail.to.department).toBe('housing');
  });
});
