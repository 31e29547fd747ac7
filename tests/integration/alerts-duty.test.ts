/**
 * What the duty room needs from the alert API, on the real app (embedded broker, stores, accounts,
 * audit): the wall's order (`sort=attention`), bulk acknowledgement with per-id results (role-checked
 * and audited), assignment to real accounts only and the list of who can be assigned, and history
 * entries recorded as codes with parameters rather than English sentences.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertHistoryEntry } from '../../server/domain/alert';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';

const CEMENT_NH3 = '370300NH3000000000000201'; // zichuan-cement, limit 8 mg/m³
const WTE_NH3 = '370300NH3000000000000701'; // city-wte, limit 8 mg/m³
const QILU_NH3 = '370300NH3000000000000101'; // qilu-power, limit 2.5 mg/m³

const reading = (ts: number, rtd: number, flag = 'N') => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag } } });

describe('alert API for the duty room', () => {
  let t: TestApp;
  let dashboard: DashboardSocket;
  let logger: MqttClient;
  let officer: ApiSession;
  let admin: ApiSession;
  let cement: ApiSession;
  const base = Date.now() - 600_000;
  const alerts: Record<string, Alert> = {};

  const raise = async (name: string, mn: string, ts: number, rtd: number, flag = 'N') => {
    const seen = nextEvent(dashboard, flag === 'N' ? 'alert:opened' : 'alert:updated', (e) => e.alert.mn === mn);
    await logger.publishAsync(dataTopic(mn), reading(ts, rtd, flag), { qos: 1 });
    alerts[name] = (await seen).alert;
  };

  beforeAll(async () => {
    t = await startTestApp();
    [officer, admin, cement] = await Promise.all([t.signIn('officer'), t.signIn('admin'), t.signIn('zichuan-cement')]);
    dashboard = await connectDashboard(t.baseUrl, officer);
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `duty-it-${Date.now()}`, ...t.mqttAuth });
    // Oldest first: a warning on the cement kiln, another on the incinerator, then an info flag alert.
    await raise('cementWarning', CEMENT_NH3, base, 9.6);
    await raise('wteWarning', WTE_NH3, base + 1_000, 9.1);
    // Newest: an M-flagged value (maintenance-flag, severity info, no limit).
    const flagged = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === QILU_NH3 && e.alert.rule === 'maintenance-flag');
    await logger.publishAsync(dataTopic(QILU_NH3), reading(base + 2_000, 0, 'M'), { qos: 1 });
    alerts.flag = (await flagged).alert;
  });
  afterAll(async () => {
    dashboard?.close();
    await logger?.endAsync();
    await t?.stop();
  });

  const ids = async (query: string) =>
    ((await officer.call('GET', `/api/alerts?${query}`)).body as { items: Alert[] }).items.map((a) => a.id);

  it('sort=attention: open before closed, then severity, then unacknowledged, then newest; the default stays newest first', async () => {
    const { cementWarning, wteWarning, flag } = alerts as Record<string, Alert>;
    expect(await ids('sort=newest')).toEqual([flag!.id, wteWarning!.id, cementWarning!.id]);
    expect(await ids('')).toEqual([flag!.id, wteWarning!.id, cementWarning!.id]);
    // Both warnings above the newer info; the acknowledged one below the unacknowledged one.
    await officer.call('POST', `/api/alerts/${wteWarning!.id}/acknowledge`, {});
    expect(await ids('sort=attention')).toEqual([cementWarning!.id, wteWarning!.id, flag!.id]);
    // A closed alert goes last whatever its severity.
    await officer.call('POST', `/api/alerts/${cementWarning!.id}/resolve`, { note: '误报' });
    expect(await ids('sort=attention')).toEqual([wteWarning!.id, flag!.id, cementWarning!.id]);
    expect((await officer.call('GET', '/api/alerts?sort=severity')).status).toBe(400);
  });

  it('a flag alert records no limit in its history; system entries are codes with parameters', async () => {
    const detail = (await officer.call('GET', `/api/alerts/${alerts.flag!.id}`)).body as { history: AlertHistoryEntry[] };
    expect(detail.history[0]).toMatchObject({ kind: 'opened', note: null, detail: { code: 'measured', limit: null } });
    const closed = (await officer.call('GET', `/api/alerts/${alerts.cementWarning!.id}`)).body as { history: AlertHistoryEntry[] };
    expect(closed.history.map((e) => [e.kind, e.note, e.detail?.code ?? null])).toEqual([
      ['opened', null, 'measured'],
      ['resolved', '误报', null],
    ]);
  });

  it('bulk acknowledge: one note for all, a result per id (closed → conflict, unknown → not_found), audited', async () => {
    await raise('qiluWarning', QILU_NH3, base + 3_000, 3.1);
    const target = [alerts.qiluWarning!.id, alerts.flag!.id, alerts.cementWarning!.id, 999_999, alerts.qiluWarning!.id];
    const res = await officer.call('POST', '/api/alerts/acknowledge', { ids: target, note: '批量确认：已通知企业' });
    expect(res.status).toBe(200);
    expect((res.body as { results: unknown[] }).results).toEqual([
      { id: alerts.qiluWarning!.id, ok: true, alert: expect.objectContaining({ acknowledgedBy: 'officer' }) },
      { id: alerts.flag!.id, ok: true, alert: expect.objectContaining({ acknowledgedBy: 'officer' }) },
      { id: alerts.cementWarning!.id, ok: false, error: 'conflict' },
      { id: 999_999, ok: false, error: 'not_found' },
    ]);
    const history = (await officer.call('GET', `/api/alerts/${alerts.flag!.id}`)).body as { history: AlertHistoryEntry[] };
    // The flag cleared with the next N reading, so acknowledging it closed it.
    expect(history.history.slice(-2)).toMatchObject([
      { kind: 'acknowledged', actor: 'officer', note: '批量确认：已通知企业' },
      { kind: 'resolved', actor: 'officer', note: null, detail: { code: 'closedAfterCleared' } },
    ]);
    const audit = (await admin.call('GET', '/api/audit?action=alerts_acknowledged')).body as { items: { detail: object }[] };
    expect(audit.items[0]?.detail).toMatchObject({ acknowledged: [alerts.qiluWarning!.id, alerts.flag!.id] });
  });

  it.each([
    ['an enterprise user', 'cement', { ids: [1] }, 403],
    ['no ids', 'officer', { ids: [] }, 400],
    ['too many ids', 'officer', { ids: Array.from({ length: 201 }, (_, i) => i + 1) }, 400],
    ['ids that are not ids', 'officer', { ids: ['1'] }, 400],
    ['unknown fields', 'officer', { ids: [1], all: true }, 400],
  ] as const)('bulk acknowledge refuses %s', async (_name, who, body, status) => {
    const session = who === 'cement' ? cement : officer;
    expect((await session.call('POST', '/api/alerts/acknowledge', body)).status).toBe(status);
  });

  it('assignees are the enabled officers and administrators; assigning anyone else is refused with a code', async () => {
    const created = await admin.call('POST', '/api/users', { username: 'wang.gone', password: 'wang-gone-pass-2026', role: 'officer' });
    expect(created.status).toBe(201);
    const { user } = created.body as { user: { id: number } };
    expect((await admin.call('PATCH', `/api/users/${user.id}`, { disabled: true })).status).toBe(200);

    const list = (await officer.call('GET', '/api/assignees')).body as { items: { username: string; displayName: string; id: number }[] };
    expect(list.items.map((u) => u.username).sort()).toEqual(['admin', 'officer']);
    expect(Object.keys(list.items[0]!).sort()).toEqual(['displayName', 'id', 'username']);
    expect((await cement.call('GET', '/api/assignees')).status).toBe(403);

    const id = alerts.wteWarning!.id;
    for (const assignee of ['nobody.here', 'wang.gone', 'ozone', 'zichuan-cement']) {
      const res = await officer.call('POST', `/api/alerts/${id}/assign`, { assignee });
      expect([assignee, res.status, (res.body as { error?: string }).error]).toEqual([assignee, 400, 'unknown_assignee']);
    }
    const assigned = await officer.call('POST', `/api/alerts/${id}/assign`, { assignee: 'admin' });
    expect(assigned.body).toMatchObject({ alert: { assignee: 'admin' } });
    expect((await officer.call('POST', `/api/alerts/${id}/assign`, { assignee: null })).body).toMatchObject({ alert: { assignee: null } });
    const history = (await officer.call('GET', `/api/alerts/${id}`)).body as { history: AlertHistoryEntry[] };
    expect(history.history.filter((e) => e.kind === 'assigned').map((e) => e.detail)).toEqual([
      { code: 'assigned', assignee: 'admin' },
      { code: 'assigned', assignee: null },
    ]);
  });
});
