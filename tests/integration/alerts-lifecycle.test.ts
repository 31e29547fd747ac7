/**
 * The duty officer's alert lifecycle on the real app (embedded broker and stores): MQTT readings
 * open, update and clear alerts; officers acknowledge, comment, assign and resolve over REST;
 * silences and maintenance windows keep new alerts quiet; every change is pushed over socket.io;
 * a configured webhook receives the new alert.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertHistoryEntry } from '../../server/domain/alert';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { connectDashboard, nextEvent, ROOT, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const CEMENT_NH3 = '370300NH3000000000000201'; // zichuan-cement, limit 8 mg/m³
const WTE_NH3 = '370300NH3000000000000701'; // city-wte, limit 8 mg/m³
const QILU_NH3 = '370300NH3000000000000101'; // qilu-power, limit 2.5 mg/m³

const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

interface Page {
  items: Alert[];
  total: number;
  limit: number;
  offset: number;
  nextOffset: number | null;
}

describe('alert lifecycle over MQTT, REST and socket.io', () => {
  let t: TestApp;
  let dashboard: DashboardSocket;
  let logger: MqttClient;
  const base = Date.now() - 600_000;

  const publish = (mn: string, ts: number, rtd: number) => logger.publishAsync(dataTopic(mn), nh3(ts, rtd), { qos: 1 });
  let officer: ApiSession;
  const call = (method: string, path: string, body?: unknown) => officer.call(method, path, body);
  const list = async (query: string) => (await call('GET', `/api/alerts?${query}`)).body as unknown as Page;
  const openAlert = async (mn: string, ts: number, rtd: number) => {
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === mn);
    await publish(mn, ts, rtd);
    return (await opened).alert;
  };

  beforeAll(async () => {
    t = await startTestApp();
    officer = await t.signIn('officer');
    dashboard = await connectDashboard(t.baseUrl, officer);
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `alerts-it-${Date.now()}`, ...t.mqttAuth });
  });
  afterAll(async () => {
    dashboard?.close();
    await logger?.endAsync();
    await t?.stop();
  });

  it('an exceedance opens an alert; acknowledge, assign and comment are pushed live and kept in its history', async () => {
    const alert = await openAlert(CEMENT_NH3, base, 9.6);
    expect(alert).toMatchObject({ state: 'active', acknowledgedAt: null, suppressed: null, closedAt: null, value: 9.6 });
    expect((await list('attention=true')).items.map((a) => a.id)).toContain(alert.id);

    const acked = nextEvent(dashboard, 'alert:updated', (e) => e.alert.id === alert.id && e.alert.acknowledgedAt !== null);
    const ack = await call('POST', `/api/alerts/${alert.id}/acknowledge`, { note: '已电话联系企业' });
    expect(ack).toMatchObject({ status: 200, body: { alert: { acknowledgedBy: 'officer', closedAt: null } } });
    expect((await acked).alert.acknowledgedBy).toBe('officer');

    const assigned = await call('POST', `/api/alerts/${alert.id}/assign`, { assignee: 'admin' });
    expect(assigned.body).toMatchObject({ alert: { assignee: 'admin' } });
    const comment = await call('POST', `/api/alerts/${alert.id}/comment`, { text: 'SNCR 喷枪堵塞，已安排检修' });
    expect(comment).toMatchObject({
      status: 201,
      body: { comment: { kind: 'commented', actor: 'officer', note: 'SNCR 喷枪堵塞，已安排检修' } },
    });

    // Repeats update the same alert.
    const updated = nextEvent(dashboard, 'alert:updated', (e) => e.alert.id === alert.id && e.alert.count === 2);
    await publish(CEMENT_NH3, base + 10_000, 11.2);
    expect((await updated).alert).toMatchObject({ value: 11.2, peak: 11.2, acknowledgedBy: 'officer' });

    const one = (await call('GET', `/api/alerts/${alert.id}`)).body as {
      alert: Alert;
      history: AlertHistoryEntry[];
      comments: AlertHistoryEntry[];
    };
    expect(one.history.map((e) => [e.kind, e.actor])).toEqual([
      ['opened', 'system'],
      ['acknowledged', 'officer'],
      ['assigned', 'officer'],
      ['commented', 'officer'],
      ['peak', 'system'],
    ]);
    expect(one.comments).toHaveLength(1);
    const bySource = (await call('GET', `/api/alerts/history?mn=${CEMENT_NH3}&limit=2`)).body as { items: AlertHistoryEntry[] };
    expect(bySource.items.map((e) => e.kind)).toEqual(['peak', 'commented']);
  });

  it('an acknowledged alert that clears is closed; a cleared unacknowledged one stays listed as needing attention', async () => {
    const cleared = nextEvent(dashboard, 'alert:cleared', (e) => e.alert.mn === CEMENT_NH3);
    await publish(CEMENT_NH3, base + 20_000, 6.1);
    expect((await cleared).alert).toMatchObject({ state: 'cleared', clearedAt: base + 20_000, closedBy: 'system' });

    const wte = await openAlert(WTE_NH3, base, 9.1);
    const wteCleared = nextEvent(dashboard, 'alert:cleared', (e) => e.alert.id === wte.id);
    await publish(WTE_NH3, base + 10_000, 5);
    expect((await wteCleared).alert).toMatchObject({ state: 'cleared', closedAt: null });
    const attention = await list('attention=true');
    expect(attention.items.map((a) => [a.mn, a.state])).toEqual([[WTE_NH3, 'cleared']]);
    const fresh = await connectDashboard(t.baseUrl, officer);
    const snapshot = await new Promise<{ alerts: Alert[] }>((res) => (fresh.once('state:snapshot', res), fresh.emit('state:resync')));
    fresh.close();
    expect(snapshot.alerts.find((a) => a.id === wte.id)).toMatchObject({ state: 'cleared', closedAt: null });

    expect((await call('POST', `/api/alerts/${wte.id}/acknowledge`)).body).toMatchObject({ alert: { closedBy: 'officer' } });
    expect((await list('attention=true')).total).toBe(0);
    expect((await call('POST', `/api/alerts/${wte.id}/resolve`, {})).status).toBe(409);
  });

  it('a silence keeps the new alerts of its source quiet: recorded, pushed as updated, never as opened', async () => {
    const announced = nextEvent(dashboard, 'silence:changed', (e) => e.silence.mn === QILU_NH3);
    const created = await call('POST', '/api/silences', { mn: QILU_NH3, reason: '分析仪更换', durationMin: 60 });
    expect(created).toMatchObject({ status: 201, body: { silence: { mn: QILU_NH3, factor: null, createdBy: 'officer' } } });
    await announced;

    const openedEvents: number[] = [];
    const onOpened = (e: { alert: Alert }) => void (e.alert.mn === QILU_NH3 && openedEvents.push(e.alert.id));
    dashboard.on('alert:opened', onOpened);
    const quiet = nextEvent(dashboard, 'alert:updated', (e) => e.alert.mn === QILU_NH3);
    await publish(QILU_NH3, base, 4.2);
    expect((await quiet).alert).toMatchObject({ suppressed: 'silence', state: 'active' });
    // A later announced alert on another source proves the opened event would have arrived by now.
    await openAlert(CEMENT_NH3, base + 30_000, 9.9);
    dashboard.off('alert:opened', onOpened);
    expect(openedEvents).toEqual([]);
    expect((await list(`suppressed=true&mn=${QILU_NH3}`)).total).toBe(1);

    const id = (created.body.silence as { id: number }).id;
    expect((await call('DELETE', `/api/silences/${id}`)).body).toMatchObject({ silence: { id } });
    expect(((await call('GET', '/api/silences?active=true')).body.items as unknown[]).length).toBe(0);
  });

  it('alerts inside a declared maintenance window are quiet', async () => {
    const now = Date.now();
    const declared = await call('POST', '/api/maintenance', {
      mn: WTE_NH3,
      from: now - 3_600_000,
      to: new Date(now + 3_600_000).toISOString(),
      reason: '停炉检修',
    });
    expect(declared).toMatchObject({ status: 201, body: { window: { enterpriseId: 'city-wte', mn: WTE_NH3, declaredBy: 'officer' } } });
    const quiet = nextEvent(dashboard, 'alert:updated', (e) => e.alert.mn === WTE_NH3 && e.alert.suppressed === 'maintenance');
    await publish(WTE_NH3, now - 1_000, 12);
    expect((await quiet).alert.state).toBe('active');
    expect(((await call('GET', '/api/maintenance?current=true&enterpriseId=city-wte')).body.items as unknown[]).length).toBe(1);
  });

  it('lists with filters and pagination', async () => {
    const all = await list('limit=200');
    expect(all.total).toBe(all.items.length);
    const first = await list('limit=1');
    expect(first).toMatchObject({ total: all.total, limit: 1, offset: 0, nextOffset: 1 });
    const last = await list(`limit=1&offset=${all.total - 1}`);
    expect(last.nextOffset).toBeNull();
    expect(last.items[0]?.id).toBe(all.items.at(-1)?.id);
    const closed = await list('severity=info,warning,major,critical&open=false');
    expect(closed.items.map((a) => a.mn).sort()).toEqual([CEMENT_NH3, WTE_NH3]);
    expect((await list(`q=${encodeURIComponent('city-wte')}`)).items.map((a) => a.enterpriseId)).toEqual(['city-wte', 'city-wte']);
    expect((await list(`from=${base}&to=${base + 1}&factor=a21001`)).items.map((a) => a.mn).sort()).toEqual(
      [QILU_NH3, CEMENT_NH3, WTE_NH3].sort(),
    );
  });

  it.each([
    ['GET', '/api/alerts?state=resolved', undefined, 400, /state/],
    ['GET', '/api/alerts?limit=0', undefined, 400, /limit/],
    ['GET', '/api/alerts?severity=major,urgent', undefined, 400, /severity/],
    ['GET', '/api/alerts?from=2026-07-02T00:00:00Z&to=2026-07-01T00:00:00Z', undefined, 400, /from must be before to/],
    ['GET', '/api/alerts?colour=red', undefined, 400, /colour/],
    ['GET', '/api/alerts/999999', undefined, 404, /alert 999999 not found/],
    ['GET', '/api/alerts/abc', undefined, 400, /id/],
    ['POST', '/api/alerts/1/assign', { assignee: '' }, 400, /assignee/],
    ['POST', '/api/alerts/1/comment', {}, 400, /text/],
    ['POST', '/api/alerts/1/silence', { reason: 'x' }, 400, /exactly one of endsAt and durationMin/],
    ['POST', '/api/silences', { reason: 'x', durationMin: 5 }, 400, /at least one of mn, factor, rule/],
    ['POST', '/api/silences', { mn: '370300NH3000000000009999', reason: 'x', durationMin: 5 }, 400, /not registered/],
    ['POST', '/api/silences', { rule: 'limit', reason: 'x', endsAt: 1 }, 400, /endsAt: must be in the future/],
    ['POST', '/api/maintenance', { mn: WTE_NH3, from: 2, to: 1, reason: 'x' }, 400, /from: must be before to/],
    ['POST', '/api/maintenance', { enterpriseId: 'nobody', from: 1, to: Date.now() + 60_000, reason: 'x' }, 404, /not registered/],
    ['POST', '/api/maintenance', { mn: '370300NH3000000000009999', from: 1, to: Date.now() + 60_000, reason: 'x' }, 404, /not registered/],
    [
      'POST',
      '/api/maintenance',
      { mn: WTE_NH3, from: Date.now() - 48 * 3_600_000, to: Date.now() + 60_000, reason: 'x' },
      400,
      /from: may start at most 24 h in the past/,
    ],
    ['POST', '/api/silences', { rule: 'limit', reason: 'x', endsAt: Date.now() + 366 * 86_400_000 }, 400, /at most 365 days/],
    ['PATCH', '/api/silences/1', { endsAt: Date.now() + 366 * 86_400_000 }, 400, /at most 365 days/],
    ['POST', '/api/alerts/1/silence', { reason: 'x', endsAt: Date.now() + 366 * 86_400_000 }, 400, /at most 365 days/],
    ['PATCH', '/api/silences/999999', { reason: 'y' }, 404, /silence 999999 not found/],
  ] as const)('%s %s → %i', async (method, path, body, status, message) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(status);
    expect(String(res.body.message)).toMatch(message);
  });
});

describe('webhook notification of a new alert (configured in the config file)', () => {
  let t: TestApp;
  let receiver: Server;
  const received: unknown[] = [];
  let dir: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(data));
        res.writeHead(received.length === 1 ? 500 : 200).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    dir = mkdtempSync(join(tmpdir(), 'o3-config-'));
    const file = join(dir, 'config.yaml');
    const yaml = readFileSync(join(ROOT, 'config/default.yaml'), 'utf8')
      .replace('    targets: []', `    targets: [{ name: duty, url: "${url}", format: json }]`)
      .replace('    retryBaseMs: 5000', '    retryBaseMs: 100')
      .replace('    pollIntervalMs: 1000', '    pollIntervalMs: 50');
    writeFileSync(file, yaml);
    t = await startTestApp({ CONFIG_FILE: file });
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a new alert is POSTed to the target; the first answer 500 is retried until 200', async () => {
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `alerts-hook-${Date.now()}`, ...t.mqttAuth });
    await logger.publishAsync(dataTopic(CEMENT_NH3), nh3(Date.now() - 1_000, 9.3), { qos: 1 });
    await logger.endAsync();
    await until(() => received.length >= 2, 'the retried notification');
    expect(received[0]).toEqual(received[1]);
    expect(received[1]).toMatchObject({
      event: 'opened',
      alert: { mn: CEMENT_NH3, value: 9.3 },
      sourceName: '窑尾SNCR出口',
      enterpriseName: '淄川建材水泥有限公司',
    });
  });
});
