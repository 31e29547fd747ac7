/**
 * Peak-shift schedules (错峰生产, issue 18 item 4) on the real app, its clock at 2026-12-02 China
 * time, no warning in force: two lines of a filed list must be stopped from 2026-11-15 to
 * 2027-03-15; their power comes from the grid meters serving them (a file over POST
 * /api/power-imports). The line that keeps running (300 kW against ≤ 200 kW) opens a
 * measure-noncompliance alert after two closed hours, its evidence naming the period; the one
 * stopped (4 kW) raises nothing; the enterprise's user is mailed once, not again while the line
 * keeps running; after the period no hour is judged and the alert clears.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertPage } from '../../server/domain/alert';
import type { AlertEvent } from '../../server/domain/events';
import type { ReductionEntry } from '../../server/domain/reduction-list';
import { registryDatabase } from '../../server/storage/sql/database';
import { openReductionListStore } from '../../server/storage/sql/reduction-list-store';
import { qiluRegistry, type FacilitySpec } from '../helpers/facility-loggers';
import { SmtpSink } from '../helpers/smtp-sink';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const H = 3_600_000;
const Q = 900_000;
const GRACE = 300_000;
const T10 = Date.parse('2026-12-02T10:00:00+08:00');
const GRID = { mn: '370300GKJK00000000000109', pw: 'V8QC3TK9MX4RD2NB6WJP7HZA' };
const KILN_1 = '370300CEMS00000000000101';
const QILU_MAIL = 'env@qilu.example.cn';
const FACILITIES: FacilitySpec[] = [
  { id: 'ps-line-1', mn: GRID.mn, channel: '11', kind: 'production-line', name: '1#熟料线' },
  { id: 'ps-line-2', mn: GRID.mn, channel: '12', kind: 'production-line', name: '2#熟料线' },
  { id: 'ps-meter-1', mn: GRID.mn, channel: '01', kind: 'power-meter', name: '1#线电表', serves: 'ps-line-1', meterNo: '3703210700041' },
  { id: 'ps-meter-2', mn: GRID.mn, channel: '02', kind: 'power-meter', name: '2#线电表', serves: 'ps-line-2', meterNo: '3703210700042' },
];

const line = (id: string, name: string, facilityId: string): ReductionEntry => ({
  id,
  name,
  facilityId,
  outletMns: [KILN_1],
  meterIds: [],
  measures: {
    yellow: { action: 'unchanged', indicators: [], expectedKgH: {} },
    orange: { action: 'limit', limitToPct: 50, indicators: [{ kind: 'line-power', facilityId, maxKw: 2000 }], expectedKgH: { nox: 3 } },
    red: { action: 'stop', indicators: [{ kind: 'line-power', facilityId, maxKw: 200 }], expectedKgH: { nox: 6 } },
  },
  peakShift: [{ from: '2026-11-15', to: '2026-12-02', note: '采暖季错峰停窑' }],
  responsible: { name: '李工', phone: '13800000000' },
});

describe('a peak-shift schedule verified hour by hour', () => {
  let clock = Date.parse('2026-12-02T09:30:00+08:00');
  let dir: string;
  let t: TestApp;
  let officer: ApiSession;
  let staff: DashboardSocket;
  const smtp = new SmtpSink();
  const told = () => smtp.mails.filter((m) => m.to.includes(QILU_MAIL) && m.subject === '【错峰生产未落实】1#熟料线');
  const local = (ts: number) => new Date(ts + 8 * H).toISOString().slice(0, 16).replace('T', ' ');
  /** Both meters' kWh per quarter hour from `start` (75 kWh = 300 kW; 1 kWh = 4 kW). */
  const land = async (start: number, quarters: number, line1: number, line2: number) => {
    const rows = Array.from({ length: quarters }, (_, i) => [
      `3703210700041,${local(start + i * Q)},${line1}`,
      `3703210700042,${local(start + i * Q)},${line2}`,
    ]).flat();
    const res = await officer.fetch('/api/power-imports?dryRun=false', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: ['电表编号,时间,电量(kWh)', ...rows].join('\n'),
    });
    expect(res.status).toBe(200);
    await until(async () => {
      const q = `factor=gkw01&cn=2051&from=${start}&to=${start + quarters * Q}`;
      return (await officer.call<{ items: unknown[] }>('GET', `/api/sources/${GRID.mn}/series?${q}`)).body.items.length === quarters;
    }, 'the file’s points stored');
  };
  const alerts = async () => (await officer.call<AlertPage>('GET', '/api/alerts?rule=measure-noncompliance&limit=100')).body.items;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-peak-shift-'));
    await smtp.start();
    const mail = { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURITY: 'none', SMTP_FROM: 'o3-alerts@sthj.example.cn' };
    t = await startTestApp({ REGISTRY_FILE: qiluRegistry(dir, [GRID], FACILITIES), ...mail }, { now: () => clock });
    officer = await t.signIn('officer');
    const qilu = await t.signIn('qilu-power');
    const me = await qilu.call('PUT', '/api/notify-settings/me', {
      contacts: { email: QILU_MAIL, phone: null },
      subscription: { enabled: false, minSeverity: 'critical', districts: [], kinds: [], rules: [], channels: ['email'], quietHours: null },
    });
    expect(me.status).toBe(200);
    const lists = await openReductionListStore(registryDatabase(t.config));
    const entries = [line('e1', '1#熟料线', 'ps-line-1'), line('e2', '2#熟料线', 'ps-line-2')];
    await lists.store.save({ enterpriseId: 'qilu-power', year: 2026, entries, filedBy: 'officer', filedAt: clock });
    await lists.close();
    staff = await connectDashboard(t.baseUrl, officer);
  });
  afterAll(async () => {
    staff?.close();
    await t?.stop();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one closed hour of running is not yet a non-compliance', async () => {
    clock = T10 + H + 60_000;
    await land(T10, 4, 75, 1);
    clock = T10 + H + GRACE + 1000;
    await t.app.responses.peakShift.tick();
    expect(await alerts()).toEqual([]);
  });

  it('the running line opens the alert after two closed hours, its evidence naming the period; the stopped one raises nothing', async () => {
    clock = T10 + 2 * H + 60_000;
    await land(T10 + H, 4, 80, 1);
    clock = T10 + 2 * H + GRACE + 1000;
    const opened = nextEvent(staff, 'alert:opened', (e: AlertEvent) => e.alert.rule === 'measure-noncompliance');
    await t.app.responses.peakShift.tick();
    const { alert } = await opened;
    expect(alert).toMatchObject({ mn: KILN_1, factor: 'gkw11', enterpriseId: 'qilu-power', value: 320, limit: 200, unit: 'kW' });
    expect(alert.evidence).toMatchObject({
      entry: '1#熟料线',
      measure: '停产',
      level: null,
      peakShift: '2026-11-15 至 2026-12-02',
      peakShiftNote: '采暖季错峰停窑',
      firstHour: T10,
      lastHour: T10 + H,
      failedHours: 2,
      imported: true,
    });
    expect((await alerts()).map((a) => a.factor)).toEqual(['gkw11']);
    await until(async () => told().length === 1, 'the enterprise mailed');
    expect(told()[0]?.text).toContain('错峰停产时段：2026-11-15 至 2026-12-02');
    expect(told()[0]?.text).toContain('连续 2 小时');
  });

  it('after the period’s last day no hour is judged, and the alert returns to normal', async () => {
    const midnight = Date.parse('2026-12-03T00:00:00+08:00');
    clock = midnight + GRACE + 1000; // 23:00 closed: still inside the period
    officer = await t.signIn('officer'); // the session ended over the night
    await land(midnight - 2 * H, 8, 75, 1);
    await t.app.responses.peakShift.tick();
    expect((await alerts()).map((a) => a.state)).toEqual(['active']);
    const cleared = nextEvent(staff, 'alert:cleared', (e: AlertEvent) => e.alert.rule === 'measure-noncompliance');
    clock = midnight + H + GRACE + 1000; // 00:00 on 12-03 closed: after the period
    await land(midnight, 4, 75, 75);
    await t.app.responses.peakShift.tick();
    expect((await cleared).alert).toMatchObject({ mn: KILN_1, factor: 'gkw11' });
    expect((await alerts()).map((a) => a.state)).not.toContain('active');
    // It ran through 23:00 in the same period (the alert stayed open): the enterprise was told once.
    expect(told()).toHaveLength(1);
  });
});
