/**
 * Heavy-pollution and ozone warnings on the real app (issue 17 item 3; embedded broker and store):
 * the control centre issues a warning by hand; it is pushed live to staff dashboards (and in the
 * snapshot of one that connects later), sent through a notification target (a real local webhook)
 * when issued, upgraded and lifted; it is listed in force first; a level change is kept in the
 * history and a stale version refused; lifting ends it; a forecast import proposes a warning that
 * is shown, never issued by itself; every change is audited; bad input gets a clear 400.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warning, WarningProposals } from '../../server/domain/warning';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

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

const texts = (r: Receiver): string[] => r.received.map((b) => String((b['markdown'] as { text: string }).text));

describe('warnings', () => {
  const receiver = new Receiver();
  let t: TestApp;
  let ozone: ApiSession;
  let officer: ApiSession;
  let admin: ApiSession;
  let officerSocket: DashboardSocket;
  let first: Warning;

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp();
    [ozone, officer, admin] = await Promise.all([t.signIn('ozone'), t.signIn('officer'), t.signIn('admin')]);
    const target = await admin.call('POST', '/api/notify-targets', { name: '应急指挥群', format: 'dingtalk', url: receiver.url });
    expect(target.status).toBe(201);
    officerSocket = await connectDashboard(t.baseUrl, officer);
  });
  afterAll(async () => {
    officerSocket?.close();
    await t?.stop();
    await receiver.close();
  });

  it('the centre issues a warning: pushed live to staff, sent through the targets, listed with its history', async () => {
    const pushed = nextEvent(officerSocket, 'warning:changed', (e) => e.warning.status === 'in_force');
    const res = await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
      kind: 'heavy_pollution',
      level: 'orange',
      basis: 'regional_consultation',
      districts: ['张店区', '临淄区'],
      startAt: new Date(Date.now() - 60_000).toISOString(),
      plannedLiftAt: Date.now() + 3 * 86_400_000,
      note: '依据区域会商结果',
    });
    expect(res.status).toBe(201);
    first = res.body.warning;
    // Its start has come: in force at once, the start recorded by the system.
    expect(first).toMatchObject({ status: 'in_force', level: 'orange', issuedBy: 'ozone', note: '依据区域会商结果' });
    expect(first.history.map((h) => [h.event, h.by])).toEqual([
      ['issued', 'ozone'],
      ['started', 'system'],
    ]);
    expect((await pushed).warning).toMatchObject({ id: first.id, status: 'in_force', note: '依据区域会商结果' });
    await until(() => receiver.received.length >= 1, 'the issue notice delivered');
    expect(texts(receiver)[0]).toContain('重污染天气橙色预警');
    expect(texts(receiver)[0]).toContain('张店区、临淄区');
    expect(texts(receiver)[0]).not.toContain('依据区域会商结果');
  });

  it('a later dashboard gets the open warnings in its snapshot; the list has in force first', async () => {
    const scheduled = await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
      kind: 'ozone',
      level: 'red',
      basis: 'provincial_prompt',
      districts: ['周村区'],
      startAt: Date.now() + 86_400_000,
    });
    expect(scheduled.body.warning).toMatchObject({ status: 'issued', plannedLiftAt: null, note: null });
    const late = await connectDashboard(t.baseUrl, await t.signIn('officer'));
    const snap = await new Promise<{ items: Warning[] }>((res) => {
      late.once('warnings:snapshot', res);
      late.emit('state:resync');
    });
    expect(snap.items.map((w) => w.id)).toEqual([first.id, scheduled.body.warning.id]);
    late.close();
    const list = (await officer.call<{ items: Warning[] }>('GET', '/api/warnings')).body.items;
    expect(list.map((w) => w.status)).toEqual(['in_force', 'issued']);
  });

  it('a level change is kept in the history, sent, and a stale version is refused', async () => {
    const up = await ozone.call<{ warning: Warning }>('PATCH', `/api/warnings/${first.id}`, {
      version: first.version,
      level: 'red',
      note: '省级提示升级',
    });
    expect(up.status).toBe(200);
    expect(up.body.warning).toMatchObject({ level: 'red', version: first.version + 1 });
    expect(up.body.warning.history.at(-1)).toMatchObject({ event: 'upgraded', fromLevel: 'orange', toLevel: 'red', by: 'ozone' });
    const stale = await ozone.call('PATCH', `/api/warnings/${first.id}`, { version: first.version, level: 'yellow' });
    expect(stale).toMatchObject({ status: 409, body: { error: 'version_conflict' } });
    await until(() => texts(receiver).some((x) => x.includes('橙色 → 红色')), 'the change notice delivered');
    expect(texts(receiver).filter((x) => x.startsWith('### 【调整】重污染天气红色预警'))).toHaveLength(1);
    first = up.body.warning;
  });

  it('lifting ends it: pushed, sent, refused a second time', async () => {
    const pushed = nextEvent(officerSocket, 'warning:changed', (e) => e.warning.id === first.id && e.warning.status === 'lifted');
    const lifted = await ozone.call<{ warning: Warning }>('POST', `/api/warnings/${first.id}/lift`, { note: '空气质量好转' });
    expect(lifted.body.warning).toMatchObject({ status: 'lifted', liftedBy: 'ozone' });
    expect(lifted.body.warning.liftedAt).toBeGreaterThan(0);
    await pushed;
    expect((await ozone.call('POST', `/api/warnings/${first.id}/lift`, {})).status).toBe(409);
    expect((await ozone.call('PATCH', `/api/warnings/${first.id}`, { version: 9, note: 'x' })).status).toBe(409);
    await until(() => texts(receiver).some((x) => x.startsWith('### 【解除】重污染天气红色预警')), 'the lift notice delivered');
  });

  it('refuses bad input with a clear 400: unknown district, lift before start, unknown level', async () => {
    const base = { kind: 'heavy_pollution', level: 'yellow', basis: 'city_notice', districts: ['张店区'], startAt: Date.now() };
    const unknown = await ozone.call<{ message: string }>('POST', '/api/warnings', { ...base, districts: ['朝阳县'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('朝阳县');
    expect((await ozone.call('POST', '/api/warnings', { ...base, plannedLiftAt: base.startAt - 1 })).status).toBe(400);
    expect((await ozone.call('POST', '/api/warnings', { ...base, level: 'purple' })).status).toBe(400);
    expect((await ozone.call('GET', '/api/warnings/999')).status).toBe(404);
  });

  it('forecasts propose a warning, shown to the centre and never issued by itself', async () => {
    const before = (await ozone.call<{ items: Warning[] }>('GET', '/api/warnings')).body.items.length;
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const day = (n: number) => new Date(Date.parse(today) + n * 86_400_000).toISOString().slice(0, 10);
    // O3 IAQI > 150 on 4 days with one > 200: ozone orange (covered: the red ozone warning issued
    // above). Day AQI > 200 on 2 days (the CSV's aqi column; PM2.5 180 µg/m³ on the third is IAQI 230):
    // heavy pollution on 3 days without one > 300 → orange.
    const csv = ['date,iaqi,aqi,pm25', `${day(0)},160,230,`, `${day(1)},210,250,`, `${day(2)},170,,180`, `${day(3)},155,120,`].join('\n');
    const imported = await ozone.fetch('/api/ozone/forecasts', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(imported.status).toBe(201);
    const p = (await ozone.call<WarningProposals>('GET', '/api/warnings/proposals')).body;
    expect(p.items).toEqual([
      expect.objectContaining({
        kind: 'heavy_pollution',
        level: 'orange',
        peak: 250,
        covered: false,
        run: { from: today, to: day(2), days: 3 },
      }),
      expect.objectContaining({
        kind: 'ozone',
        level: 'orange',
        basis: 'own_forecast',
        peak: 210,
        covered: true,
        run: { from: today, to: day(3), days: 4 },
      }),
    ]);
    expect((await ozone.call<{ items: Warning[] }>('GET', '/api/warnings')).body.items.length).toBe(before);
  });

  it('every change is in the audit log with who', async () => {
    const log = await admin.call<{ items: { action: string; username: string }[] }>('GET', '/api/audit?action=warning_issued');
    expect(log.body.items.length).toBeGreaterThanOrEqual(2);
    expect(log.body.items.every((r) => r.username === 'ozone')).toBe(true);
    for (const action of ['warning_changed', 'warning_lifted']) {
      const r = await admin.call<{ items: unknown[] }>('GET', `/api/audit?action=${action}`);
      expect({ action, n: r.body.items.length }).toEqual({ action, n: 1 });
    }
  });
});
