/**
 * Tenant isolation and authentication on the real app (embedded broker, embedded store, demo
 * accounts): signed in as enterprise A (qilu-power), every REST route, socket event and MQTT path
 * to enterprise B's (zichuan-cement) sources, readings, alerts, reports and raw frames is refused;
 * every registry write (enterprises, sources, credentials, facilities, import, credential export) is
 * refused to A, officer and ozone and changes nothing, B is absent from every registry read, export
 * and source-list page A gets (whatever A filters on), and no logger credential reaches A, by REST or socket;
 * unauthenticated requests get 401 everywhere but sign-in, health and the API's description (which
 * holds no data); state changes from another origin are refused; enterprise A manages only its own
 * API tokens and its token reads only its own data; and no password ever appears in a response or in the server's own log.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import YAML from 'yaml';
import ExcelJS from 'exceljs';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../server/auth/demo-accounts';
import type { Alert } from '../../server/domain/alert';
import type { LatestValues } from '../../server/domain/events';
import type { PreNotice } from '../../server/domain/prenotice';
import type { Warning } from '../../server/domain/warning';
import type { CaseView } from '../../server/domain/case';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { workbookOf } from '../../server/registry/registry-fixture';
import { connectDashboard, nextEvent, signIn, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const A_ENT = 'qilu-power';
const B_ENT = 'zichuan-cement';
const A_NH3 = '370300NH3000000000000101';
const B_NH3 = '370300NH3000000000000201';
const B_CEMS = '370300CEMS00000000000201';
const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });
const today = new Date().toISOString().slice(0, 10);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const B_LINE = 'zichuan-kiln-line';

/** Every cell of a workbook, as text. */
async function workbookText(bytes: ArrayBuffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.text)))));
  return cells.join('\n');
}

/** The session, keeping the text of every answer it gets (workbooks as their cells' text). */
function recorded(s: ApiSession, seen: string[]): ApiSession {
  const fetchKept: ApiSession['fetch'] = async (path, init) => {
    const res = await s.fetch(path, init);
    const copy = res.clone();
    seen.push(copy.headers.get('content-type')?.startsWith(XLSX) ? await workbookText(await copy.arrayBuffer()) : await copy.text());
    return res;
  };
  return {
    cookie: s.cookie,
    fetch: fetchKept,
    async call<T>(method: string, path: string, body?: unknown) {
      const res = await s.call<T>(method, path, body);
      seen.push(JSON.stringify(res.body));
      return res;
    },
  };
}

describe('tenant isolation and authentication', () => {
  let t: TestApp;
  let dir: string;
  let logFile: string;
  let a: ApiSession;
  let officer: ApiSession;
  let admin: ApiSession;
  let ozone: ApiSession;
  let bAlert: Alert;
  /** The text of every answer (REST and socket) enterprise A got. */
  const seenByA: string[] = [];
  /** Logger credentials generated during the run (new sources, rotations). */
  const generated: string[] = [];
  const clients: MqttClient[] = [];
  const mqttPw = (mn: string) => t.config.registry.sources.find((s) => s.mn === mn)?.mqttPassword as string;
  const logger = async (mn: string, as = mn) => {
    const c = await mqtt.connectAsync(t.app.mqttUrl, {
      clientId: `sec${clients.length}-${as}`,
      username: as,
      password: mqttPw(as),
      reconnectPeriod: 0,
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-security-'));
    logFile = join(dir, 'server.log');
    t = await startTestApp({ LOG_LEVEL: 'debug' }, { logFile });
    let aRaw: ApiSession;
    [aRaw, officer, admin, ozone] = await Promise.all([t.signIn(A_ENT), t.signIn('officer'), t.signIn('admin'), t.signIn('ozone')]);
    a = recorded(aRaw, seenByA);
    const staffSocket = await connectDashboard(t.baseUrl, officer);
    const opened = nextEvent(staffSocket, 'alert:opened', (e) => e.alert.mn === B_NH3);
    const b = await logger(B_NH3);
    await b.publishAsync(dataTopic(B_NH3), nh3(Date.now() - 2_000, 9.4), { qos: 1 });
    bAlert = (await opened).alert;
    staffSocket.close();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every API route (method, path): the unauthenticated check runs on all of them. */
  const ROUTES: [string, string][] = [
    ['GET', '/api/sources'],
    ['GET', `/api/sources/${B_NH3}/series?factor=a21001`],
    ['GET', `/api/sources/${B_NH3}/frames`],
    ['GET', `/api/enterprises/${B_ENT}/working-condition`],
    ['GET', '/api/alerts'],
    ['GET', '/api/alerts/1'],
    ['GET', `/api/alerts/history?mn=${B_NH3}`],
    ['POST', '/api/alerts/1/acknowledge'],
    ['POST', '/api/alerts/1/assign'],
    ['POST', '/api/alerts/1/comment'],
    ['POST', '/api/alerts/1/resolve'],
    ['POST', '/api/alerts/1/silence'],
    ['GET', '/api/silences'],
    ['POST', '/api/silences'],
    ['PATCH', '/api/silences/1'],
    ['DELETE', '/api/silences/1'],
    ['GET', '/api/maintenance'],
    ['POST', '/api/maintenance'],
    ['PATCH', '/api/maintenance/1'],
    ['DELETE', '/api/maintenance/1'],
    ['GET', '/api/rules'],
    ['GET', `/api/rules/sources/${B_NH3}`],
    ['PUT', '/api/rules/pack'],
    ['DELETE', '/api/rules/pack'],
    ['PUT', `/api/rules/sources/${B_NH3}`],
    ['DELETE', `/api/rules/sources/${B_NH3}`],
    ['GET', '/api/hj212/loggers'],
    ['GET', '/api/hj212/unknown-mns'],
    ['GET', '/api/users'],
    ['POST', '/api/users'],
    ['PATCH', '/api/users/1'],
    ['POST', '/api/users/1/password'],
    ['GET', '/api/audit'],
    ['GET', '/api/auth/me'],
    ['POST', '/api/auth/logout'],
    ['POST', '/api/auth/password'],
    ['GET', `/api/reports/daily?date=${today}`],
    ['GET', `/api/reports/hourly?mn=${B_NH3}&date=${today}`],
    ['GET', '/api/reports/transmission'],
    ['GET', '/api/ozone/status'],
    ['GET', '/api/air/aqi?scope=station&interval=day'],
    ['GET', '/api/air/assessment?period=2026&scope=district'],
    ['GET', '/api/air/bulletin?month=2026-11'],
    ['GET', '/api/air/bulletin?month=2026-11&format=xlsx'],
    ['GET', '/api/campaigns'],
    ['GET', '/api/warnings'],
    ['GET', '/api/warnings/proposals'],
    ['GET', '/api/warnings/1'],
    ['POST', '/api/warnings'],
    ['PATCH', '/api/warnings/1'],
    ['POST', '/api/warnings/1/lift'],
    ['POST', '/api/warnings/1/cancel'],
    ['POST', '/api/warnings/1/acknowledge'],
    ['GET', '/api/warnings/1/acknowledgements'],
    ['GET', '/api/warnings/1/effect'],
    ['GET', '/api/responses/1/effect'],
    ['GET', '/api/pre-notices'],
    ['GET', '/api/pre-notices/proposal'],
    ['POST', '/api/pre-notices'],
    ['POST', '/api/pre-notices/1/acknowledge'],
    ['GET', '/api/enterprises'],
    ['GET', `/api/enterprises/${B_ENT}`],
    ['POST', '/api/enterprises'],
    ['PATCH', `/api/enterprises/${B_ENT}`],
    ['DELETE', `/api/enterprises/${B_ENT}`],
    ['POST', '/api/sources'],
    ['PATCH', `/api/sources/${B_NH3}`],
    ['DELETE', `/api/sources/${B_NH3}`],
    ['POST', `/api/sources/${B_NH3}/credentials`],
    ['GET', '/api/facilities'],
    ['POST', '/api/facilities'],
    ['PATCH', '/api/facilities/f1'],
    ['DELETE', '/api/facilities/f1'],
    ['POST', '/api/registry/import?dryRun=true'],
    ['POST', '/api/registry/import?dryRun=false'],
    ['POST', '/api/power-imports?dryRun=true'],
    ['POST', '/api/power-imports?dryRun=false'],
    ['GET', '/api/registry/export?format=xlsx'],
    ['GET', '/api/registry/export?format=yaml'],
    ['GET', '/api/registry/export?format=yaml&credentials=true'],
    ['GET', '/api/registry/sources'],
    ['GET', `/api/registry/sources?enterpriseId=${B_ENT}`],
    ['GET', '/api/map'],
    ['GET', '/api/notify-targets'],
    ['POST', '/api/notify-targets'],
    ['PATCH', '/api/notify-targets/x'],
    ['DELETE', '/api/notify-targets/x?version=1'],
    ['POST', '/api/notify-targets/x/test'],
    ['GET', '/api/tokens'],
    ['POST', '/api/tokens'],
    ['DELETE', '/api/tokens/x'],
    ['GET', '/api/exchange/v1/sources'],
    ['GET', '/api/exchange/v1/latest'],
    ['GET', `/api/exchange/v1/means/hourly?from=${today}`],
    ['GET', `/api/exchange/v1/means/daily?from=${today}`],
    ['GET', '/api/exchange/v1/alerts'],
    ['GET', `/api/exchange/v1/loads?from=${today.slice(0, 7)}`],
    ['GET', '/api/duty'],
    ['GET', '/api/duty/now'],
    ['POST', '/api/duty/shifts'],
    ['PUT', '/api/duty/shifts/x'],
    ['DELETE', '/api/duty/shifts/x'],
    ['PUT', '/api/duty/escalation'],
    ['GET', '/api/duty/users/officer/settings'],
    ['PUT', '/api/duty/users/officer/settings'],
    ['GET', '/api/notify-settings/me'],
    ['PUT', '/api/notify-settings/me'],
    ['GET', '/api/facilities/f1/adsorbent-replacements'],
    ['POST', '/api/facilities/f1/adsorbent-replacements'],
    ['GET', '/api/start-stop-plans'],
    ['GET', `/api/start-stop-plans/${B_ENT}/2027`],
    ['POST', '/api/start-stop-plans'],
    ['PUT', `/api/start-stop-plans/${B_ENT}/2027`],
    ['GET', '/api/start-stop-events'],
    ['GET', '/api/quality/transmission?period=2026-11'],
    ['GET', '/api/quality/comparisons'],
    ['POST', '/api/quality/comparisons'],
    ['GET', '/api/cases'],
    ['POST', '/api/cases'],
    ['GET', '/api/cases/ledger?format=xlsx'],
    ['GET', '/api/cases/1'],
    ['POST', '/api/cases/1/transition'],
    ['POST', '/api/cases/1/attachments?name=x.pdf'],
    ['GET', '/api/cases/1/attachments/00000000-0000-4000-8000-000000000000'],
    ['GET', '/api/no-such-route'],
  ];

  it.each(ROUTES)('unauthenticated %s %s → 401', async (method, path) => {
    const res = await fetch(`${t.baseUrl}${path}`, {
      method,
      headers: { origin: t.baseUrl, 'content-type': 'application/json' },
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
    });
    expect(res.status).toBe(401);
  });

  it('a user who must change the password gets 403 everywhere but me, logout and the change; then only its own data', async () => {
    const created = await admin.call<{ user: { id: number } }>('POST', '/api/users', {
      username: 'qilu-second',
      role: 'enterprise',
      enterpriseId: A_ENT,
      password: 'qilu-second-given-1',
    });
    expect(created.status).toBe(201);
    // This suite runs with auth.forcePasswordChange off (the harness): the administrator requires it by hand.
    const id = created.body.user.id;
    expect((await admin.call('PATCH', `/api/users/${id}`, { mustChangePassword: true })).status).toBe(200);
    const flagged = await signIn(t.baseUrl, 'qilu-second', 'qilu-second-given-1');
    const open = new Set(['GET /api/auth/me', 'POST /api/auth/logout', 'POST /api/auth/password']);
    for (const [method, path] of ROUTES.filter(([m, p]) => !open.has(`${m} ${p}`))) {
      const res = await flagged.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect({ route: `${method} ${path}`, status: res.status, body: res.body }).toEqual({
        route: `${method} ${path}`,
        status: 403,
        body: { error: 'password_change_required', message: expect.any(String) },
      });
    }
    expect(await flagged.call('GET', '/api/auth/me')).toMatchObject({ status: 200, body: { user: { mustChangePassword: true } } });
    // The change route takes only the caller's own password (nobody else's can be named).
    expect(
      (await flagged.call('POST', '/api/auth/password', { currentPassword: 'qilu-second-given-1', newPassword: 'x'.repeat(12), userId: 1 }))
        .status,
    ).toBe(400);
    const res = await flagged.fetch('/api/auth/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: 'qilu-second-given-1', newPassword: 'qilu-second-own-1' }),
    });
    expect(res.status).toBe(200);
    const own = await signIn(t.baseUrl, 'qilu-second', 'qilu-second-own-1');
    const sources = (await own.call<{ items: { enterpriseId: string }[] }>('GET', '/api/sources')).body.items;
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((x) => x.enterpriseId === A_ENT)).toBe(true);
    expect((await own.call('GET', `/api/sources/${B_NH3}/frames`)).status).toBe(404);
    // The other enterprise's user, and the first user of this one, are untouched.
    expect((await a.call('GET', '/api/auth/me')).status).toBe(200);
    expect((await (await t.signIn(B_ENT)).call('GET', '/api/auth/me')).status).toBe(200);
  });

  it('sign-in, health and the API’s description answer without a session; a forged cookie is 401', async () => {
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    const described = await fetch(`${t.baseUrl}/api/openapi.json`);
    expect(described.status).toBe(200);
    const text = await described.text();
    expect(await (await a.fetch('/api/openapi.json')).text()).toBe(text); // the same for everyone
    expect(text).not.toMatch(new RegExp(`${A_ENT}|${B_ENT}|${A_NH3}|${B_NH3}|${B_CEMS}`));
    expect((await fetch(`${t.baseUrl}/api/docs`)).status).toBe(200);
    const bad = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { origin: t.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ username: A_ENT, password: 'wrong-password-1' }),
    });
    expect(bad.status).toBe(401);
    expect((await fetch(`${t.baseUrl}/api/sources`, { headers: { cookie: 'o3s_session=forged-token-value' } })).status).toBe(401);
  });

  it('enterprise A reads none of B’s sources, readings, raw frames or rules', async () => {
    const sources = (await a.call<{ items: { mn: string; enterpriseId: string }[] }>('GET', '/api/sources')).body.items;
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((s) => s.enterpriseId === A_ENT)).toBe(true);
    // Filtered and paged on the server: B's enterprise or MN finds nothing, the total counts A's only.
    type Page = { items: { mn: string; enterpriseId: string }[]; total: number };
    for (const q of [`enterpriseId=${B_ENT}`, `q=${B_NH3}`, `q=${B_CEMS}`]) {
      expect({ q, ...(await a.call<Page>('GET', `/api/sources?${q}`)).body }).toEqual({ q, items: [], total: 0 });
    }
    const page = (await a.call<Page>('GET', '/api/sources?limit=1&status=normal,exceeding,offline,nodata')).body;
    expect(page.total).toBe(sources.length);
    expect(page.items.map((s) => s.enterpriseId)).toEqual([A_ENT]);
    for (const path of [
      `/api/sources/${B_NH3}/series?factor=a21001`,
      `/api/sources/${B_CEMS}/series?factor=a21002&cn=2061`,
      `/api/sources/${B_NH3}/frames`,
      `/api/rules/sources/${B_NH3}`,
      `/api/enterprises/${B_ENT}/working-condition`,
      `/api/enterprises/${B_ENT}/working-condition?mn=${B_CEMS}`,
      `/api/enterprises/${A_ENT}/working-condition?mn=${B_CEMS}`,
    ]) {
      const res = await a.call('GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect((await a.call('GET', `/api/sources/${A_NH3}/series?factor=a21001`)).status).toBe(200); // its own: fine
    expect((await a.call('GET', `/api/enterprises/${A_ENT}/working-condition`)).status).toBe(200);
  });

  it('enterprise A neither sees nor changes B’s alerts', async () => {
    const list = (await a.call<{ items: Alert[] }>('GET', '/api/alerts')).body.items;
    expect(list.some((x) => x.enterpriseId !== A_ENT)).toBe(false);
    for (const q of [`enterpriseId=${B_ENT}`, `mn=${B_NH3}`, `q=${encodeURIComponent('淄川')}`]) {
      const res = await a.call<{ items?: Alert[] }>('GET', `/api/alerts?${q}`);
      expect(res.body.items ?? []).toEqual([]);
    }
    expect((await a.call('GET', `/api/alerts/${bAlert.id}`)).status).toBe(404);
    const history = await a.call<{ items?: unknown[] }>('GET', `/api/alerts/history?mn=${B_NH3}`);
    expect(history.status === 404 || (history.body.items ?? []).length === 0).toBe(true);
    for (const [action, body] of [
      ['acknowledge', {}],
      ['assign', { assignee: 'me' }],
      ['comment', { text: 'not ours' }],
      ['resolve', {}],
      ['silence', { reason: 'x', durationMin: 60 }],
    ] as const) {
      const res = await a.call('POST', `/api/alerts/${bAlert.id}/${action}`, body);
      expect({ action, status: res.status }).toMatchObject({ action, status: expect.toSatisfy((s: number) => s === 403 || s === 404) });
    }
    const after = (await officer.call<{ alert: Alert }>('GET', `/api/alerts/${bAlert.id}`)).body.alert;
    expect(after).toMatchObject({ acknowledgedAt: null, closedAt: null, assignee: null, suppressed: null });
  });

  it('enterprise A cannot silence, declare maintenance for B, change rules, or reach staff and admin routes', async () => {
    const refused = async (method: string, path: string, body?: unknown) => {
      const res = await a.call(method, path, body);
      expect({ method, path, status: res.status }).toMatchObject({ status: expect.toSatisfy((s: number) => s === 403 || s === 404) });
    };
    await refused('GET', '/api/silences');
    await refused('POST', '/api/silences', { mn: B_NH3, reason: 'x', durationMin: 60 });
    const from = Date.now() + 60_000;
    await refused('POST', '/api/maintenance', { mn: B_NH3, from, to: from + 3_600_000, reason: 'x' });
    await refused('POST', '/api/maintenance', { enterpriseId: B_ENT, from, to: from + 3_600_000, reason: 'x' });
    await refused('GET', '/api/rules');
    await refused('PUT', `/api/rules/sources/${B_NH3}`, { limits: { a21001: { max: 100 } } });
    await refused('PUT', `/api/rules/sources/${A_NH3}`, { limits: { a21001: { max: 100 } } }); // its own permit: the bureau's call
    await refused('GET', '/api/hj212/loggers');
    await refused('GET', '/api/hj212/unknown-mns');
    await refused('GET', '/api/users');
    await refused('GET', '/api/audit');
    await refused('POST', '/api/power-imports?dryRun=true', {}); // power data (issue 16): the bureau's duty room imports it
    await refused('POST', '/api/power-imports?dryRun=false', {});
    for (const scope of ['station', 'district', 'city']) expect((await a.call('GET', `/api/air/aqi?scope=${scope}`)).status).toBe(403);
    for (const scope of ['district', 'city'])
      expect((await a.call('GET', `/api/air/assessment?period=aw-2026&scope=${scope}`)).status).toBe(403);
    expect((await a.call('GET', '/api/air/bulletin?month=2026-12&format=xlsx')).status).toBe(403);
    // Data quality (issue 19): the bureau's ranking of every enterprise, and its comparison tests.
    expect((await a.call('GET', '/api/quality/transmission?period=2026-11')).status).toBe(403);
    expect((await a.call('GET', '/api/quality/comparisons')).status).toBe(403);
    const test = { mn: A_NH3, factor: 'a21001', from: Date.now() - 7_200_000, to: Date.now() - 3_600_000, referenceValues: [1] };
    expect((await a.call('POST', '/api/quality/comparisons', test)).status).toBe(403);
    expect((await a.call('POST', '/api/quality/comparisons', { ...test, mn: B_NH3 })).status).toBe(403);
    const windows = (await a.call<{ items: { enterpriseId: string }[] }>('GET', '/api/maintenance')).body.items ?? [];
    expect(windows.every((w) => w.enterpriseId === A_ENT)).toBe(true);
  });

  it('enterprise A reads only its own registry file, and changes none', async () => {
    const list = (await a.call<{ items: { id: string }[] }>('GET', '/api/enterprises')).body.items;
    expect(list.map((e) => e.id)).toEqual([A_ENT]);
    expect((await a.call('GET', `/api/enterprises/${B_ENT}`)).status).toBe(404);
    expect((await a.call('GET', `/api/facilities?enterpriseId=${B_ENT}`)).status).toBe(404);
    expect((await a.call('PATCH', `/api/enterprises/${A_ENT}`, { name: 'x' })).status).toBe(403);
    expect((await a.call('POST', `/api/sources/${A_NH3}/credentials`)).status).toBe(403);
    const own = await a.call('GET', `/api/enterprises/${A_ENT}`);
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).not.toContain(mqttPw(A_NH3));
  });

  describe('the notification targets (issue 14): administrators only', () => {
    const SECRET = 'sec-tenant-webhook-token-7d1f';
    let id = '';
    const list = async () => (await admin.call<{ items: unknown[] }>('GET', '/api/notify-targets')).body.items;
    beforeAll(async () => {
      const created = await admin.call<{ target: { id: string } }>('POST', '/api/notify-targets', {
        name: '安全测试渠道',
        format: 'dingtalk',
        url: `http://127.0.0.1:9/robot/send?access_token=${SECRET}`,
        enabled: false,
      });
      expect(created.status).toBe(201);
      id = created.body.target.id;
    });

    it.each([A_ENT, 'officer', 'ozone'])('%s: every notification-target route is refused with 403, nothing changes', async (who) => {
      const s = who === A_ENT ? a : who === 'officer' ? officer : ozone;
      const before = await list();
      const routes: [string, string, unknown?][] = [
        ['GET', '/api/notify-targets'],
        ['POST', '/api/notify-targets', { name: '偷偷加的', format: 'json', url: 'https://evil.example/hook' }],
        ['PATCH', `/api/notify-targets/${id}`, { version: 1, url: 'https://evil.example/hook' }],
        ['DELETE', `/api/notify-targets/${id}?version=1`],
        ['POST', `/api/notify-targets/${id}/test`],
      ];
      for (const [method, path, body] of routes) {
        const res = await s.call(method, path, body);
        expect({ who, method, path, status: res.status }).toEqual({ who, method, path, status: 403 });
        expect(JSON.stringify(res.body)).not.toContain(SECRET);
      }
      expect(await list()).toEqual(before);
    });

    it('the administrator sees the target with its URL masked, never the token', async () => {
      const items = await list();
      expect(JSON.stringify(items)).toContain('access_token=***');
      expect(JSON.stringify(items)).not.toContain(SECRET);
    });
  });

  describe('who gets what (issue 21): the roster and the chain are the administrator’s; contacts are one’s own', () => {
    const settings = (email: string) => ({
      contacts: { email, phone: null },
      subscription: { enabled: true, minSeverity: 'info', districts: [], kinds: [], rules: [], channels: ['email'], quietHours: null },
    });
    it.each([A_ENT, 'officer', 'ozone'])('%s: no shift, chain or other user’s settings is changed or read', async (who) => {
      const s = who === A_ENT ? a : who === 'officer' ? officer : ozone;
      const shift = { username: 'officer', position: 'primary', startsAt: Date.now(), endsAt: Date.now() + 3_600_000 };
      const routes: [string, string, unknown?][] = [
        ['POST', '/api/duty/shifts', shift],
        ['PUT', '/api/duty/shifts/x', shift],
        ['DELETE', '/api/duty/shifts/x'],
        ['PUT', '/api/duty/escalation', { enabled: false, minSeverity: 'critical', steps: [], smsTargetId: null }],
        ['GET', '/api/duty/users/admin/settings'],
        ['PUT', '/api/duty/users/admin/settings', settings('evil@example.com')],
      ];
      for (const [method, path, body] of routes) {
        const res = await s.call(method, path, body);
        expect({ who, method, path, status: res.status }).toEqual({ who, method, path, status: 403 });
      }
      // The bureau reads the roster; an enterprise does not.
      expect((await s.call('GET', '/api/duty')).status).toBe(who === A_ENT ? 403 : 200);
      expect((await s.call('GET', '/api/duty/now')).status).toBe(who === A_ENT ? 403 : 200);
      expect((await admin.call<{ contacts: unknown }>('GET', '/api/duty/users/admin/settings')).body.contacts).not.toEqual(
        settings('evil@example.com').contacts,
      );
    });

    it('an enterprise user keeps its own contacts and subscription (only its own enterprise’s alerts are ever routed to it)', async () => {
      const put = await a.call<{ contacts: { email: string } }>('PUT', '/api/notify-settings/me', settings('env@qilu.example.cn'));
      expect(put).toMatchObject({ status: 200, body: { contacts: { email: 'env@qilu.example.cn' } } });
      expect((await a.call('GET', '/api/notify-settings/me')).body).toMatchObject({ contacts: { email: 'env@qilu.example.cn' } });
      // Nobody else's settings changed; an enterprise user is never put on the bureau's roster.
      expect((await officer.call('GET', '/api/notify-settings/me')).body).toMatchObject({ contacts: { email: null } });
      const shift = { username: A_ENT, position: 'primary', startsAt: Date.now(), endsAt: Date.now() + 3_600_000 };
      expect(await admin.call('POST', '/api/duty/shifts', shift)).toMatchObject({ status: 400 });
    });
  });

  describe('the registry routes (issue 14)', () => {
    const NEW_A_MN = '370300NH3000000000000199';
    /** A workbook that adds one outlet to A: a real import (an administrator's dry run counts it). */
    const importFile = () =>
      workbookOf({
        排口: [
          ['数采仪MN', '所属企业编号', '排口名称', '类型', '经度', '纬度'],
          [NEW_A_MN, A_ENT, '2号机组SCR出口', '氨逃逸', 118.3047, 36.8269],
        ],
      });
    /** Every registry write, each with a body the route would accept from an administrator. */
    const writes = async (): Promise<[string, string, unknown?][]> => [
      ['POST', '/api/enterprises', { id: 'a-shell-co', name: '空壳公司', district: '张店区' }],
      ['PATCH', `/api/enterprises/${B_ENT}`, { name: '被改名的水泥厂' }],
      ['PATCH', `/api/enterprises/${A_ENT}`, { name: '自改名' }],
      ['DELETE', `/api/enterprises/${B_ENT}`],
      ['DELETE', `/api/enterprises/${A_ENT}`],
      ['POST', '/api/sources', { mn: NEW_A_MN, enterpriseId: A_ENT, name: '自建排口', kind: 'ammonia', lat: 36.8, lon: 118.3 }],
      ['POST', '/api/sources', { mn: '370300NH3000000000000298', enterpriseId: B_ENT, name: 'x', kind: 'ammonia', lat: 36.6, lon: 117.9 }],
      ['PATCH', `/api/sources/${B_NH3}`, { name: '改名' }],
      ['PATCH', `/api/sources/${A_NH3}`, { intervalS: 60 }],
      ['DELETE', `/api/sources/${B_NH3}`],
      ['DELETE', `/api/sources/${A_NH3}`],
      ['POST', `/api/sources/${B_NH3}/credentials`],
      ['POST', `/api/sources/${A_NH3}/credentials`],
      ['POST', '/api/facilities', { id: 'a-line', enterpriseId: A_ENT, kind: 'production-line', name: '1号机组' }],
      ['POST', '/api/facilities', { id: 'b-line-2', enterpriseId: B_ENT, kind: 'production-line', name: '2号线' }],
      ['PATCH', `/api/facilities/${B_LINE}`, { name: '改名' }],
      ['DELETE', `/api/facilities/${B_LINE}`],
      ['IMPORT', '/api/registry/import?dryRun=true', await importFile()],
      ['IMPORT', '/api/registry/import?dryRun=false', await importFile()],
      ['GET', '/api/registry/export?format=yaml&credentials=true'],
      ['GET', '/api/registry/export?format=xlsx&credentials=true'],
    ];
    const attempt = async (s: ApiSession, [method, path, body]: [string, string, unknown?]) => {
      if (method === 'IMPORT') {
        const res = await s.fetch(path, { method: 'POST', headers: { 'content-type': XLSX }, body: body as Buffer });
        return res.status;
      }
      if (method === 'GET') return (await s.fetch(path)).status;
      return (await s.call(method, path, body)).status;
    };
    /** The whole registry as the administrator exports it, credentials included. */
    const registryNow = async () => (await admin.fetch('/api/registry/export?format=yaml&credentials=true')).text();

    beforeAll(async () => {
      const line = { id: B_LINE, enterpriseId: B_ENT, kind: 'production-line', name: '2号熟料生产线', outletMns: [B_CEMS] };
      expect((await admin.call('POST', '/api/facilities', line)).status).toBe(201);
    });

    it('enterprise A: every registry write is refused with 403, and the registry is unchanged afterwards', async () => {
      const before = await registryNow();
      expect(before).toContain(mqttPw(B_NH3)); // the comparison covers the credentials too
      for (const w of await writes())
        expect({ route: `${w[0]} ${w[1]}`, status: await attempt(a, w) }).toEqual({ route: `${w[0]} ${w[1]}`, status: 403 });
      expect(await registryNow()).toBe(before);
      // The import file was a real one: an administrator's dry run would add the outlet (and changes nothing either).
      const dry = await admin.fetch('/api/registry/import?dryRun=true', {
        method: 'POST',
        headers: { 'content-type': XLSX },
        body: await importFile(),
      });
      expect(((await dry.json()) as { summary: { sources: { added: number } } }).summary.sources.added).toBe(1);
      expect(await registryNow()).toBe(before);
      // B's logger still signs in with its old credentials.
      const b = await logger(B_NH3);
      expect(b.connected).toBe(true);
    });

    it('enterprise A: reads of B answer 404 or leave B out (files, facilities, exports, map)', async () => {
      expect((await a.call('GET', `/api/enterprises/${B_ENT}`)).status).toBe(404);
      expect((await a.call('GET', `/api/facilities?enterpriseId=${B_ENT}`)).status).toBe(404);
      const facilities = (await a.call<{ items: { enterpriseId: string }[] }>('GET', '/api/facilities')).body.items;
      expect(facilities.filter((f) => f.enterpriseId !== A_ENT)).toEqual([]);
      const own = await a.call<{ sources: { mn: string }[]; facilities: unknown[] }>('GET', `/api/enterprises/${A_ENT}`);
      expect(own.body.sources.map((s) => s.mn)).toContain(A_NH3);
      expect(JSON.stringify(own.body)).not.toMatch(/"pw"|mqttPassword/);

      const yamlRes = await a.fetch('/api/registry/export?format=yaml');
      expect(yamlRes.status).toBe(200);
      const doc = YAML.parse(await yamlRes.text()) as { enterprises: { id: string }[]; sources: { mn: string; enterpriseId: string }[] };
      expect(doc.enterprises.map((e) => e.id)).toEqual([A_ENT]);
      expect(doc.sources.length).toBeGreaterThan(0);
      expect(doc.sources.filter((s) => s.enterpriseId !== A_ENT)).toEqual([]);
      const xlsxRes = await a.fetch('/api/registry/export?format=xlsx');
      expect(xlsxRes.status).toBe(200);
      const cells = await workbookText(await xlsxRes.arrayBuffer());
      expect(cells).toContain(A_NH3);
      for (const other of [B_ENT, B_NH3, B_CEMS, B_LINE, '370300VOCS00000000000401'])
        expect({ other, in: cells.includes(other) }).toEqual({ other, in: false });

      // The paged source list: A's own sources only, whatever A filters on (B's id, name, district, MN).
      type ListPage = { items: { mn: string; enterpriseId: string }[]; total: number };
      const listed = await a.call<ListPage>('GET', '/api/registry/sources?pageSize=500');
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((x) => x.mn)).toContain(A_NH3);
      expect(listed.body.items.filter((x) => x.enterpriseId !== A_ENT)).toEqual([]);
      for (const q of [`enterpriseId=${B_ENT}`, 'q=淄川', `q=${B_NH3}`, 'district=淄川区', 'kind=ammonia&sort=enterprise&order=desc']) {
        const res = await a.call<ListPage>('GET', `/api/registry/sources?${q}`);
        expect({ q, status: res.status, others: res.body.items.filter((x) => x.enterpriseId !== A_ENT) }).toEqual({
          q,
          status: 200,
          others: [],
        });
      }

      const map = await a.fetch('/api/map');
      expect(map.status).toBe(200);
      const mapText = await map.text();
      for (const other of [B_ENT, B_NH3, B_CEMS]) expect(mapText).not.toContain(other);
    });

    it.each(['officer', 'ozone'])('%s reads the whole registry, changes none of it', async (role) => {
      const s = role === 'officer' ? officer : ozone;
      const before = await registryNow();
      const list = (await s.call<{ items: { id: string }[] }>('GET', '/api/enterprises')).body.items.map((e) => e.id);
      expect(list).toEqual(expect.arrayContaining([A_ENT, B_ENT]));
      const file = await s.call<{ sources: { mn: string }[] }>('GET', `/api/enterprises/${B_ENT}`);
      expect(file.status).toBe(200);
      expect(file.body.sources.map((x) => x.mn)).toContain(B_NH3);
      expect(
        (await s.call<{ items: { id: string }[] }>('GET', `/api/facilities?enterpriseId=${B_ENT}`)).body.items.map((f) => f.id),
      ).toEqual([B_LINE]);
      const yaml = await s.fetch('/api/registry/export?format=yaml');
      expect(yaml.status).toBe(200);
      const text = await yaml.text();
      expect(text).toContain(B_NH3);
      const xlsx = await s.fetch('/api/registry/export?format=xlsx');
      expect(xlsx.status).toBe(200);
      const cells = await workbookText(await xlsx.arrayBuffer());
      expect(cells).toContain(B_CEMS);
      for (const secret of t.config.registry.sources.flatMap((x) => [x.pw, x.mqttPassword]).filter((x): x is string => !!x)) {
        expect({ secret, inYaml: text.includes(secret), inXlsx: cells.includes(secret) }).toEqual({ secret, inYaml: false, inXlsx: false });
      }
      expect((await s.fetch('/api/map')).status).toBe(200);
      const listed = await s.call<{ items: { mn: string }[]; total: number }>('GET', `/api/registry/sources?enterpriseId=${B_ENT}`);
      expect(listed.body.items.map((x) => x.mn)).toEqual(expect.arrayContaining([B_NH3, B_CEMS]));
      expect(JSON.stringify(listed.body)).not.toMatch(/"pw"|mqttPassword/);
      for (const w of await writes())
        expect({ route: `${w[0]} ${w[1]}`, status: await attempt(s, w) }).toEqual({ route: `${w[0]} ${w[1]}`, status: 403 });
      expect(await registryNow()).toBe(before);
    });

    it('over socket.io, when an administrator adds a source to B, A gets sources:changed without it; staff get it', async () => {
      const aSocket = await connectDashboard(t.baseUrl, a);
      const staff = await connectDashboard(t.baseUrl, officer);
      const aEvents: string[] = [];
      aSocket.onAny((event: string, ...args: unknown[]) => void aEvents.push(`${event} ${JSON.stringify(args)}`));
      const NEW_B = '370300NH3000000000000299';
      const aChanged = nextEvent(aSocket, 'sources:changed', () => true);
      const staffChanged = nextEvent(staff, 'sources:changed', (e) => e.sources.some((x) => x.mn === NEW_B));
      const body = { mn: NEW_B, enterpriseId: B_ENT, name: '2号窑尾SNCR出口', kind: 'ammonia', lat: 36.6435, lon: 117.9677, intervalS: 30 };
      const created = await admin.call<{ credentials: { pw: string; mqttPassword: string } }>('POST', '/api/sources', body);
      expect(created.status).toBe(201);
      generated.push(created.body.credentials.pw, created.body.credentials.mqttPassword);
      const [forA, forStaff] = await Promise.all([aChanged, staffChanged]);
      expect(forA.sources.map((x) => x.mn)).toContain(A_NH3);
      expect(forA.sources.filter((x) => x.enterpriseId !== A_ENT)).toEqual([]);
      expect(forStaff.sources.map((x) => x.enterpriseId)).toEqual(expect.arrayContaining([A_ENT, B_ENT]));
      // A rotation of B's credentials: A again hears nothing of B.
      const rotated = await admin.call<{ credentials: { pw: string; mqttPassword: string } }>('POST', `/api/sources/${NEW_B}/credentials`);
      generated.push(rotated.body.credentials.pw, rotated.body.credentials.mqttPassword);
      const staffRemoved = nextEvent(staff, 'sources:changed', (e) => !e.sources.some((x) => x.mn === NEW_B));
      const aRemoved = nextEvent(aSocket, 'sources:changed', () => true);
      expect((await admin.call('DELETE', `/api/sources/${NEW_B}`)).status).toBe(204);
      await Promise.all([staffRemoved, aRemoved]);
      const aOwn = await a.call<{ items: { mn: string }[] }>('GET', '/api/sources');
      expect(aOwn.body.items.map((x) => x.mn)).not.toContain(NEW_B);
      aSocket.close();
      staff.close();
      seenByA.push(...aEvents);
      const text = aEvents.join('\n');
      expect(text).toContain('sources:changed');
      expect(text).not.toContain(NEW_B);
      expect(text).not.toContain(B_ENT);
    });

    it('no logger credential appears in any answer enterprise A got', () => {
      const secrets = [...t.config.registry.sources.flatMap((x) => [x.pw, x.mqttPassword]).filter((x): x is string => !!x), ...generated];
      expect(secrets.length).toBeGreaterThan(20);
      const all = seenByA.join('\n');
      expect(seenByA.length).toBeGreaterThan(25);
      expect(all).toContain(A_NH3); // A's own sources were in what it got, its credentials were not
      for (const secret of secrets) expect({ secret, found: all.includes(secret) }).toEqual({ secret, found: false });
    });
  });

  describe('facility records (issue 16): an enterprise reads and writes its own only', () => {
    const B_AC = 'zichuan-ac-tenant';
    const A_AC = 'qilu-ac-tenant';
    beforeAll(async () => {
      for (const f of [
        { id: B_AC, enterpriseId: B_ENT, kind: 'treatment', name: '活性炭吸附', adsorbentDays: 90 },
        { id: A_AC, enterpriseId: A_ENT, kind: 'treatment', name: '活性炭吸附', adsorbentDays: 90 },
      ])
        expect((await admin.call('POST', '/api/facilities', f)).status).toBe(201);
      expect(
        (await officer.call('POST', `/api/facilities/${B_AC}/adsorbent-replacements`, { date: '2027-01-05', amountKg: 300 })).status,
      ).toBe(201);
      expect((await officer.call('POST', '/api/start-stop-plans', { enterpriseId: B_ENT, year: 2027, entries: [] })).status).toBe(201);
    });

    it('enterprise A: B’s replacements and plan answer 404, lists leave B out, and nothing of B changes', async () => {
      const refused: [string, string, unknown?][] = [
        ['GET', `/api/facilities/${B_AC}/adsorbent-replacements`],
        ['POST', `/api/facilities/${B_AC}/adsorbent-replacements`, { date: '2027-01-06', amountKg: 1 }],
        ['GET', `/api/start-stop-plans/${B_ENT}/2027`],
        ['PUT', `/api/start-stop-plans/${B_ENT}/2027`, { entries: [] }],
        ['POST', '/api/start-stop-plans', { enterpriseId: B_ENT, year: 2027, entries: [] }],
      ];
      for (const [method, path, body] of refused)
        expect({ route: `${method} ${path}`, status: (await a.call(method, path, body)).status }).toEqual({
          route: `${method} ${path}`,
          status: 404,
        });
      const plans = await a.call<{ items: { enterpriseId: string }[] }>('GET', '/api/start-stop-plans?year=2027');
      expect(plans.body.items.filter((p) => p.enterpriseId !== A_ENT)).toEqual([]);
      expect((await a.call<{ items: unknown[] }>('GET', `/api/start-stop-plans?year=2027&enterpriseId=${B_ENT}`)).body.items).toEqual([]);
      const events = await a.call<{ counts: unknown[]; events: unknown[] }>('GET', `/api/start-stop-events?enterpriseId=${B_ENT}`);
      expect(events.body).toEqual({ counts: [], events: [] });
      // A's own: it logs and files for itself.
      expect((await a.call('POST', `/api/facilities/${A_AC}/adsorbent-replacements`, { date: '2027-01-06', amountKg: 2 })).status).toBe(
        201,
      );
      expect((await a.call('POST', '/api/start-stop-plans', { year: 2027, entries: [] })).status).toBe(201);
      // B's records are as the officer left them.
      expect((await officer.call<{ items: unknown[] }>('GET', `/api/facilities/${B_AC}/adsorbent-replacements`)).body.items).toHaveLength(
        1,
      );
      expect((await officer.call<{ plan: { version: number } }>('GET', `/api/start-stop-plans/${B_ENT}/2027`)).body.plan.version).toBe(1);
    });

    it('the ozone centre reads the records and writes none', async () => {
      expect((await ozone.call('GET', `/api/facilities/${B_AC}/adsorbent-replacements`)).status).toBe(200);
      expect((await ozone.call('POST', `/api/facilities/${B_AC}/adsorbent-replacements`, { date: '2027-01-06', amountKg: 1 })).status).toBe(
        403,
      );
      expect((await ozone.call('PUT', `/api/start-stop-plans/${B_ENT}/2027`, { entries: [] })).status).toBe(403);
    });
  });

  describe('API tokens', () => {
    /** Plain fetch with the token: no cookie, no Origin (a script). */
    const bearer = (secret: string) => async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${t.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      seenByA.push(text);
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };
    type Made = { token: { id: string; enterpriseId: string | null }; secret: string };

    it('enterprise A sees and revokes only its own enterprise’s tokens; staff other than administrators manage none', async () => {
      const bTok = await admin.call<Made>('POST', '/api/tokens', { name: 'B 接口', scope: 'read', enterpriseId: B_ENT, expiresInDays: 5 });
      const aTok = await a.call<Made>('POST', '/api/tokens', { name: 'A 接口', scope: 'read', expiresInDays: 5 });
      expect(aTok.status).toBe(201);
      expect(aTok.body.token.enterpriseId).toBe(A_ENT);
      expect((await a.call('POST', '/api/tokens', { name: 'x', scope: 'read', enterpriseId: B_ENT, expiresInDays: 5 })).status).toBe(403);
      const listed = (await a.call<{ items: { id: string; enterpriseId: string | null }[] }>('GET', '/api/tokens')).body.items;
      expect(listed.map((i) => i.id)).toEqual([aTok.body.token.id]);
      expect((await a.call('DELETE', `/api/tokens/${bTok.body.token.id}`)).status).toBe(404);
      expect((await bearer(bTok.body.secret)('GET', '/api/alerts')).status).toBe(200); // B's token still works
      for (const s of [officer, ozone]) {
        expect((await s.call('GET', '/api/tokens')).status).toBe(403);
        expect((await s.call('POST', '/api/tokens', { name: 'x', scope: 'read', expiresInDays: 5 })).status).toBe(403);
      }
      expect((await a.call('DELETE', `/api/tokens/${aTok.body.token.id}`)).status).toBe(200);
      expect((await bearer(aTok.body.secret)('GET', '/api/alerts')).status).toBe(401);
    });

    it('enterprise A’s token reads only A’s data and changes nothing of B’s', async () => {
      const made = await a.call<Made>('POST', '/api/tokens', { name: 'A 写入', scope: 'write', expiresInDays: 5 });
      const call = bearer(made.body.secret);
      const alerts = (await call('GET', '/api/alerts')).body['items'] as Alert[];
      expect(alerts.every((x) => x.enterpriseId === A_ENT)).toBe(true);
      const sources = (await call('GET', '/api/sources')).body['items'] as { enterpriseId: string }[];
      expect(sources.length).toBeGreaterThan(0);
      expect(sources.every((x) => x.enterpriseId === A_ENT)).toBe(true);
      expect(((await call('GET', '/api/enterprises')).body['items'] as { id: string }[]).map((e) => e.id)).toEqual([A_ENT]);
      for (const path of [`/api/alerts/${bAlert.id}`, `/api/sources/${B_NH3}/series?factor=a21001`, `/api/enterprises/${B_ENT}`]) {
        expect({ path, status: (await call('GET', path)).status }).toEqual({ path, status: 404 });
      }
      for (const [path, body] of [
        [`/api/alerts/${bAlert.id}/acknowledge`, {}],
        [`/api/alerts/${bAlert.id}/comment`, { text: 'not ours' }],
      ] as const) {
        expect((await call('POST', path, body)).status).toSatisfy((s: number) => s === 403 || s === 404);
      }
      expect((await call('GET', '/api/tokens')).status).toBe(403);
      expect((await call('GET', '/api/audit')).status).toBe(401);
      // The data-exchange API (issue 21 item 5): A's rows only; B's MN is unknown, B's enterprise empty.
      const x = '/api/exchange/v1';
      for (const path of [
        `${x}/sources`,
        `${x}/latest`,
        `${x}/alerts`,
        `${x}/means/hourly?from=${today}`,
        `${x}/means/daily?from=${today}`,
      ]) {
        const res = await call('GET', path);
        const rows = res.body['items'] as { enterpriseId: string }[];
        expect({ path, status: res.status, foreign: rows.filter((r) => r.enterpriseId !== A_ENT) }).toEqual({
          path,
          status: 200,
          foreign: [],
        });
      }
      expect(((await call('GET', `${x}/sources`)).body['items'] as unknown[]).length).toBeGreaterThan(0);
      for (const path of [
        `${x}/sources?mn=${B_NH3}`,
        `${x}/latest?mn=${B_NH3}`,
        `${x}/alerts?mn=${B_NH3}`,
        `${x}/means/hourly?from=${today}&mn=${B_NH3}`,
      ]) {
        expect({ path, status: (await call('GET', path)).status }).toEqual({ path, status: 404 });
      }
      for (const path of [
        `${x}/alerts?enterpriseId=${B_ENT}`,
        `${x}/latest?enterpriseId=${B_ENT}`,
        `${x}/loads?from=${today.slice(0, 7)}&enterpriseId=${B_ENT}`,
      ]) {
        expect({ path, body: (await call('GET', path)).body }).toEqual({
          path,
          body: { items: [], limit: 100, next: null, nextUrl: null },
        });
      }
      const loads = (await call('GET', `${x}/loads?from=${today.slice(0, 7)}`)).body['items'] as { enterpriseId: string }[];
      expect(loads.filter((r) => r.enterpriseId !== A_ENT)).toEqual([]);
      // A's own session gets the same, never B's alert.
      const mine = (await a.call<{ items: { id: number }[] }>('GET', `${x}/alerts`)).body.items;
      expect(mine.map((r) => r.id)).not.toContain(bAlert.id);
      const after = (await officer.call<{ alert: Alert }>('GET', `/api/alerts/${bAlert.id}`)).body.alert;
      expect(after).toMatchObject({ acknowledgedAt: null });
    });
  });

  it('enterprise A gets no report of B', async () => {
    const res = await a.call('GET', `/api/reports/hourly?mn=${B_NH3}&date=${today}`);
    expect(res.status).toBe(404);
    const daily = await a.call<{ items?: { mn: string }[] }>('GET', `/api/reports/daily?date=${today}`);
    expect((daily.body.items ?? []).some((r) => r.mn === B_NH3 || r.mn === B_CEMS)).toBe(false);
  });

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

  it('warnings (issue 17): A sees only those covering its district, without the note; it cannot issue, change, lift or cancel', async () => {
    const issue = (districts: string[], note: string) =>
      ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
        kind: 'heavy_pollution',
        level: 'orange',
        basis: 'city_notice',
        districts,
        startAt: Date.now() - 1_000,
        note,
      });
    const aSocket = await connectDashboard(t.baseUrl, a);
    const pushed: Warning[] = [];
    aSocket.on('warning:changed', (e) => pushed.push(e.warning));
    const mine = (await issue(['临淄区', '张店区'], '内部：仅限局内')).body.warning; // A (qilu-power) is in 临淄区
    const other = (await issue(['淄川区'], '内部：淄川')).body.warning; // B's district only
    const list = (await a.call<{ items: Warning[] }>('GET', '/api/warnings')).body.items;
    expect(list.map((w) => w.id)).toEqual([mine.id]);
    expect(list[0]).toMatchObject({ level: 'orange', status: 'in_force', note: null, history: [], issuedBy: '' });
    expect((await a.call('GET', `/api/warnings/${mine.id}`)).status).toBe(200);
    expect((await a.call('GET', `/api/warnings/${other.id}`)).status).toBe(404);
    expect((await a.call('GET', '/api/warnings/proposals')).status).toBe(403);
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/warnings', { kind: 'ozone', level: 'red', basis: 'own_forecast', districts: ['临淄区'], startAt: Date.now() }],
      ['PATCH', `/api/warnings/${mine.id}`, { version: mine.version, level: 'yellow' }],
      ['POST', `/api/warnings/${mine.id}/lift`, {}],
      ['POST', `/api/warnings/${mine.id}/cancel`, {}],
    ];
    for (const [method, path, body] of attempts) {
      for (const who of [a, officer]) expect({ path, status: (await who.call(method, path, body)).status }).toEqual({ path, status: 403 });
    }
    // Live: A's dashboard got the one covering its district (without the note) and nothing of the other.
    await until(() => pushed.some((w) => w.id === mine.id), 'the warning covering A pushed to A');
    const lifted = nextEvent(aSocket, 'warning:changed', (e) => e.warning.id === mine.id && e.warning.status === 'lifted');
    expect((await ozone.call('POST', `/api/warnings/${other.id}/lift`, {})).status).toBe(200);
    expect((await ozone.call('POST', `/api/warnings/${mine.id}/lift`, {})).status).toBe(200);
    await lifted;
    expect(pushed.every((w) => w.id === mine.id && w.note === null && w.history.length === 0)).toBe(true);
    const snapshot = new Promise<{ items: Warning[] }>((res) => aSocket.once('warnings:snapshot', res));
    aSocket.emit('state:resync');
    expect((await snapshot).items).toEqual([]);
    aSocket.close();
    expect(seenByA.join('\n')).not.toContain('内部');
  });

  it('responses’ effect reports (issue 18): A gets its own row of the response covering it — no city sums, no ambient effect, no note; B’s is 404', async () => {
    type Effect = { rows: { enterpriseId: string }[]; city: unknown; ambient: { available: boolean } };
    const all = (await officer.call<{ items: { id: number; districts: string[] }[] }>('GET', '/api/responses')).body.items;
    const mine = all.find((r) => r.districts.includes('临淄区')) as { id: number };
    const theirs = all.find((r) => r.districts.join() === '淄川区') as { id: number };
    const staff = (await officer.call<Effect>('GET', `/api/responses/${mine.id}/effect`)).body;
    expect(staff.rows.length).toBeGreaterThan(1);
    const own = await a.call<Effect>('GET', `/api/responses/${mine.id}/effect`);
    expect(own.status).toBe(200);
    expect(own.body.rows.map((r) => r.enterpriseId)).toEqual([A_ENT]);
    expect([own.body.city, own.body.ambient.available]).toEqual([null, false]);
    const sheet = await a.fetch(`/api/responses/${mine.id}/effect?format=xlsx`);
    expect(sheet.status).toBe(200);
    for (const path of [`/api/responses/${theirs.id}/effect`, `/api/responses/${theirs.id}/effect?format=xlsx`])
      expect({ path, status: (await a.fetch(path)).status }).toEqual({ path, status: 404 });
    const seen = seenByA.join('\n');
    expect(seen).not.toContain('内部');
    expect(seen).not.toContain('淄川建材水泥');
    expect(seen).not.toContain('全市合计');
  });

  it('rectification cases (issue 19): A sees only its own, without the internal note, and only submits its report', async () => {
    const open = (alertIds: number[], enterpriseId: string | undefined, note: string) =>
      officer.call<{ case: CaseView }>('POST', '/api/cases', {
        type: 'exceedance',
        ...(enterpriseId ? { enterpriseId } : {}),
        alertIds,
        officer: 'officer',
        deadline: { kind: 'date', date: today },
        requirements: ['整改'],
        internalNote: note,
      });
    const aSocket = await connectDashboard(t.baseUrl, a);
    const pushed: CaseView[] = [];
    aSocket.on('case:changed', (e) => pushed.push(e.case as CaseView));
    const theirs = (await open([bAlert.id], undefined, '内部：乙企业案件')).body.case;
    const mine = (await open([], A_ENT, '内部：甲企业案件')).body.case;
    expect(theirs.enterpriseId).toBe(B_ENT);
    const list = (await a.call<{ items: CaseView[] }>('GET', '/api/cases')).body.items;
    expect(list.map((c) => c.id)).toEqual([mine.id]);
    expect(list[0]?.internalNote).toBeNull();
    expect((await a.call('GET', `/api/cases?enterprise=${B_ENT}`)).body).toMatchObject({ items: [], total: 0 });
    // The ledger (as its workbook's text): A's own case only, never B's enterprise nor an internal note.
    const ledger = await a.fetch('/api/cases/ledger?format=xlsx');
    expect(ledger.status).toBe(200);
    expect(seenByA.at(-1)).toContain(String(mine.id));
    expect(seenByA.at(-1)).not.toContain('淄川建材水泥');
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const upload = (id: number) =>
      a.fetch(`/api/cases/${id}/attachments?name=r.pdf`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: pdf,
      });
    expect((await upload(theirs.id)).status).toBe(404);
    const staffFile = await officer.fetch(`/api/cases/${theirs.id}/attachments?name=r.pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: pdf,
    });
    const { attachment } = (await staffFile.json()) as { attachment: { id: string } };
    const theirFile = await a.fetch(`/api/cases/${theirs.id}/attachments/${attachment.id}`);
    seenByA.push(await theirFile.text());
    expect(theirFile.status).toBe(404);
    for (const [method, path, body] of [
      ['GET', `/api/cases/${theirs.id}`, undefined],
      ['POST', `/api/cases/${theirs.id}/transition`, { action: 'submit', text: '冒充乙企业' }],
    ] as const)
      expect({ path, status: (await a.call(method, path, body)).status }).toEqual({ path, status: 404 });
    const staffOnly: [string, string, unknown][] = [
      [
        'POST',
        '/api/cases',
        { type: 'other', enterpriseId: A_ENT, officer: 'officer', deadline: { kind: 'date', date: today }, requirements: ['x'] },
      ],
      ['POST', `/api/cases/${mine.id}/transition`, { action: 'accept', cleanDays: 0 }],
      ['POST', `/api/cases/${mine.id}/transition`, { action: 'close' }],
      ['POST', `/api/cases/${mine.id}/transition`, { action: 'return', reason: '自行退回' }],
      ['POST', `/api/cases/${mine.id}/transition`, { action: 'reassign', officer: 'admin' }],
    ];
    for (const [method, path, body] of staffOnly)
      expect({ path, status: (await a.call(method, path, body)).status }).toEqual({ path, status: 403 });
    // The ozone centre reads cases but neither moves them nor answers for an enterprise.
    expect((await ozone.call('POST', `/api/cases/${mine.id}/transition`, { action: 'close' })).status).toBe(403);
    expect((await ozone.call('POST', `/api/cases/${mine.id}/transition`, { action: 'submit', text: 'x' })).status).toBe(403);
    const sent = await a.call<{ case: CaseView }>('POST', `/api/cases/${mine.id}/transition`, { action: 'submit', text: '已整改' });
    expect(sent.body.case).toMatchObject({ status: 'submitted', internalNote: null });
    // Live: A's dashboard got its own case (without the note), nothing of B's.
    await until(() => pushed.some((c) => c.id === mine.id && c.status === 'submitted'), 'A’s case pushed to A');
    expect(pushed.every((c) => c.enterpriseId === A_ENT && c.internalNote === null)).toBe(true);
    aSocket.close();
    expect(seenByA.join('\n')).not.toContain('内部');
  });

  it('reduction lists, responses, scorecards and evidence packages (issues 18, 19): A reads none of B’s', async () => {
    const keep = { action: 'limit', limitToPct: 80, indicators: [], expectedKgH: { nox: 1 } };
    const year = Number(today.slice(0, 4));
    const list = {
      year,
      entries: [
        {
          id: 'e1',
          name: '1#窑',
          measures: { yellow: keep, orange: keep, red: { action: 'stop', indicators: [], expectedKgH: { nox: 2 } } },
          responsible: { name: '王工', phone: '13700000000' },
        },
      ],
    };
    expect((await officer.call('PUT', `/api/reduction-lists/${B_ENT}/${year}`, list)).status).toBe(201);
    expect((await a.call('GET', `/api/reduction-lists/${B_ENT}/${year}`)).status).toBe(404);
    expect((await a.call('GET', `/api/reduction-lists/${B_ENT}/${year}/versions`)).status).toBe(404);
    expect((await a.call('PUT', `/api/reduction-lists/${A_ENT}/${year}`, list)).status).toBe(403); // the bureau files lists
    expect((await a.call('POST', `/api/reduction-lists/${B_ENT}/${year}/acknowledge`)).status).toBe(404);
    const coverage = await a.call<{ items: { enterpriseId: string }[] }>('GET', '/api/reduction-lists');
    expect(coverage.body.items.every((r) => r.enterpriseId === A_ENT)).toBe(true);
    const responses = await a.call<{ items: { enterprises: { enterpriseId: string }[] }[] }>('GET', '/api/responses');
    expect(responses.body.items.every((r) => r.enterprises.every((e) => e.enterpriseId === A_ENT))).toBe(true);
    expect((await a.call('GET', `/api/enterprises/${B_ENT}/scorecard?period=${year}`)).status).toBe(404);
    expect((await a.call('GET', `/api/enterprises/${A_ENT}/scorecard?period=${year}`)).status).toBe(200);
    expect((await a.call('GET', `/api/quality/scorecards?period=${year}`)).status).toBe(403);
    const theirs = await officer.call<{ case: CaseView }>('POST', '/api/cases', {
      type: 'exceedance',
      enterpriseId: B_ENT,
      alertIds: [],
      officer: 'officer',
      deadline: { kind: 'date', date: today },
      requirements: ['整改'],
      internalNote: '内部：乙企业证据',
    });
    expect(theirs.status).toBe(201);
    expect((await a.fetch(`/api/cases/${theirs.body.case.id}/evidence.zip`)).status).toBe(404);
  });

  it('pre-notices and acknowledgements (issue 17): A sees and acknowledges only what is addressed to it', async () => {
    // A (临淄区) and B (淄川区) in continuous-process industries: chemicals and cement.
    for (const [id, code, name] of [
      [A_ENT, 'C2614', '有机化学原料制造'],
      [B_ENT, 'C3011', '水泥制造'],
    ])
      expect((await admin.call('PATCH', `/api/enterprises/${id}`, { industry: { code, name } })).status).toBe(200);
    const aSocket = await connectDashboard(t.baseUrl, a);
    const pushed: PreNotice[] = [];
    aSocket.on('prenotice:changed', (e) => pushed.push(e.preNotice));
    const issue = async (districts: string[]) =>
      (await ozone.call<{ preNotice: PreNotice }>('POST', '/api/pre-notices', { districts, level: 'orange', from: today, to: today })).body
        .preNotice;
    const bOnly = await issue(['淄川区']);
    const both = await issue(['临淄区', '淄川区']);
    expect(both.recipients.map((r) => r.enterpriseId).sort()).toEqual([A_ENT, B_ENT].sort());
    await until(() => pushed.length > 0, 'the pre-notice addressed to A pushed');
    expect(pushed.map((p) => [p.id, p.recipients.map((r) => r.enterpriseId)])).toEqual([[both.id, [A_ENT]]]);
    const list = (await a.call<{ items: PreNotice[] }>('GET', '/api/pre-notices')).body.items;
    expect(list.map((p) => [p.id, p.issuedBy, p.recipients.map((r) => r.enterpriseId)])).toEqual([[both.id, '', [A_ENT]]]);
    expect((await a.call('POST', `/api/pre-notices/${bOnly.id}/acknowledge`)).status).toBe(404);
    const acked = await a.call<{ preNotice: PreNotice }>('POST', `/api/pre-notices/${both.id}/acknowledge`);
    expect(acked.body.preNotice.recipients.map((r) => [r.enterpriseId, r.acknowledgedBy])).toEqual([[A_ENT, A_ENT]]);
    expect((await a.call('GET', '/api/pre-notices/proposal')).status).toBe(403);
    expect((await a.call('POST', '/api/pre-notices', { districts: ['临淄区'] })).status).toBe(403);
    // Warnings' notices: A acknowledges one covering its district only, and sees its own entry only.
    const warn = async (districts: string[]) =>
      (
        await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
          kind: 'heavy_pollution',
          level: 'yellow',
          basis: 'city_notice',
          districts,
          startAt: Date.now() + 86_400_000,
        })
      ).body.warning;
    const other = await warn(['淄川区']);
    const mine = await warn(['临淄区', '淄川区']);
    expect((await a.call('POST', `/api/warnings/${other.id}/acknowledge`)).status).toBe(404);
    expect((await a.call('GET', `/api/warnings/${other.id}/acknowledgements`)).status).toBe(404);
    expect((await a.call('POST', `/api/warnings/${mine.id}/acknowledge`)).status).toBe(200);
    const acks = (await a.call<{ items: { enterpriseId: string }[] }>('GET', `/api/warnings/${mine.id}/acknowledgements`)).body.items;
    expect(acks.map((r) => r.enterpriseId)).toEqual([A_ENT]);
    expect(
      (await officer.call<{ items: unknown[] }>('GET', `/api/warnings/${mine.id}/acknowledgements`)).body.items.length,
    ).toBeGreaterThan(1);
    expect((await a.call('GET', `/api/warnings/${mine.id}/effect`)).status).toBe(403);
    for (const w of [other, mine]) expect((await ozone.call('POST', `/api/warnings/${w.id}/cancel`, {})).status).toBe(200);
    aSocket.close();
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

  it('state changes from another origin are refused (CSRF), even with a valid session', async () => {
    const res = await fetch(`${t.baseUrl}/api/alerts/${bAlert.id}/acknowledge`, {
      method: 'POST',
      headers: { cookie: officer.cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('passwords are never returned, and never in the server’s log of this run', async () => {
    const me = await a.call('GET', '/api/auth/me');
    const users = await admin.call('GET', '/api/users');
    for (const body of [me.body, users.body]) {
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/"password"|passwordHash|\$argon2/i);
    }
    // What the tests typed and what the registry holds, including a failed attempt's password.
    const secrets = [
      ...demoAccounts(t.config.registry.enterprises, t.config.registry.sources).map((d) => d.password),
      ...t.config.registry.sources.map((s) => s.mqttPassword).filter((p): p is string => !!p),
      'wrong-password-1',
    ];
    await until(() => readFileSync(logFile, 'utf8').includes('"msg"'), 'the server to have logged');
    const log = readFileSync(logFile, 'utf8');
    expect(log.length).toBeGreaterThan(1_000);
    for (const secret of secrets) expect({ secret, found: log.includes(secret) }).toEqual({ secret, found: false });
    expect(log).not.toMatch(/\$argon2id\$/);
    expect(log).not.toContain(a.cookie.split('=')[1]);
  });

  it('the audit log records sign-ins, failures and alert handling with who and from where', async () => {
    await officer.call('POST', `/api/alerts/${bAlert.id}/acknowledge`, { note: 'checked by phone' });
    const { body } = await admin.call<{ items: { action: string; username: string | null; ip: string | null; target: string | null }[] }>(
      'GET',
      '/api/audit?limit=200',
    );
    const actions = body.items.map((i) => `${i.action}:${i.username ?? '-'}`);
    expect(actions).toEqual(
      expect.arrayContaining(['login:officer', `login:${A_ENT}`, `login_failed:${A_ENT}`, 'alert_acknowledged:officer']),
    );
    expect(body.items.find((i) => i.action === 'alert_acknowledged')).toMatchObject({
      target: `/api/alerts/${bAlert.id}/acknowledge`,
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
  });
});
