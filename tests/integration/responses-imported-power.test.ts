/**
 * A response's line power from the grid company's file (issue 18 item 4, with issue 16's import),
 * through the real app with its clock driven through 2026-12-02 China time: 齐鲁热电 (grade C) must
 * stop its 3号机组 at orange (line power ≤ 50 kW); the line has a logger signal of its own that sends
 * nothing, and a grid meter that serves it on a grid logger whose data come only by import.
 * - hours 10 and 11 close with no data: judged, not verified;
 * - a file (POST /api/power-imports) showing the line at 300 kW for those hours has them judged
 *   again: the running line fails and a measure-noncompliance alert opens, its evidence naming
 *   the import; a file showing it stopped (4 kW) for the same hours makes them compliant and clears it;
 * - a file landing before hour 12 closes is read when the hour is judged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../server/domain/events';
import type { ReductionEntry } from '../../server/domain/reduction-list';
import type { ReductionResponse } from '../../server/domain/response';
import type { Warning } from '../../server/domain/warning';
import { registryDatabase } from '../../server/storage/sql/database';
import { openReductionListStore } from '../../server/storage/sql/reduction-list-store';
import { QILU_CEMS, qiluRegistry, type FacilitySpec } from '../helpers/facility-loggers';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const H = 3_600_000;
const Q = 900_000;
const GRACE = 300_000;
const T10 = Date.parse('2026-12-02T10:00:00+08:00');
const LOGGER = { mn: '370300GKJK00000000000107', pw: 'R6KD2QX9MV4TC8NB3WJH7PZA' };
const GRID = { mn: '370300GKJK00000000000108', pw: 'M3TX8QC4VK9RD2NB6WJP7HZA' };
const METER_NO = '3703210700031';
const FACILITIES: FacilitySpec[] = [
  { id: 'qilu-unit-3', mn: LOGGER.mn, channel: '01', kind: 'production-line', name: '3号机组', runningKw: 80 },
  {
    id: 'qilu-unit-3-meter',
    mn: GRID.mn,
    channel: '01',
    kind: 'power-meter',
    name: '3号机组电表',
    serves: 'qilu-unit-3',
    meterNo: METER_NO,
  },
];

const entry: ReductionEntry = {
  id: 'e3',
  name: '3号机组',
  facilityId: 'qilu-unit-3',
  outletMns: [QILU_CEMS.mn],
  meterIds: ['qilu-unit-3-meter'],
  measures: {
    yellow: {
      action: 'limit',
      limitToPct: 70,
      indicators: [{ kind: 'line-power', facilityId: 'qilu-unit-3', maxKw: 5000 }],
      expectedKgH: {},
    },
    orange: { action: 'stop', indicators: [{ kind: 'line-power', facilityId: 'qilu-unit-3', maxKw: 50 }], expectedKgH: { nox: 6 } },
    red: { action: 'stop', indicators: [{ kind: 'line-power', facilityId: 'qilu-unit-3', maxKw: 50 }], expectedKgH: { nox: 6 } },
  },
  responsible: { name: '王工', phone: '13900000000' },
};

describe('a response verified on imported power', () => {
  let clock = Date.parse('2026-12-02T09:30:00+08:00');
  let dir: string;
  let t: TestApp;
  let officer: ApiSession;
  let ozone: ApiSession;
  let staff: DashboardSocket;
  let response: ReductionResponse;
  const local = (ts: number) => new Date(ts + 8 * H).toISOString().slice(0, 16).replace('T', ' ');
  /** The meter's kWh per quarter hour from `start` (75 kWh = 300 kW; 1 kWh = 4 kW). */
  const land = async (start: number, kwh: number[]) => {
    const body = ['电表编号,时间,电量(kWh)', ...kwh.map((v, i) => `${METER_NO},${local(start + i * Q)},${v}`)].join('\n');
    const res = await officer.fetch('/api/power-imports?dryRun=false', { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
    expect(res.status).toBe(200);
    return (await res.json()) as { written: number; importId: string; rejudged: number };
  };
  const current = async () => (await officer.call<{ response: ReductionResponse }>('GET', `/api/responses/${response.id}`)).body.response;
  const verification = async () => (await current()).enterprises.find((e) => e.enterpriseId === 'qilu-power')?.verification[0];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-resp-power-'));
    t = await startTestApp({ REGISTRY_FILE: qiluRegistry(dir, [LOGGER, GRID], FACILITIES) }, { now: () => clock });
    const admin = await t.signIn('admin');
    [officer, ozone] = await Promise.all([t.signIn('officer'), t.signIn('ozone')]);
    expect((await admin.call('PATCH', '/api/enterprises/qilu-power', { grade: 'C', gradeReason: '2026年绩效分级结果' })).status).toBe(200);
    const lists = await openReductionListStore(registryDatabase(t.config));
    await lists.store.save({ enterpriseId: 'qilu-power', year: 2026, entries: [entry], filedBy: 'officer', filedAt: clock });
    await lists.close();
    staff = await connectDashboard(t.baseUrl, officer);
    clock = T10;
    const issued = await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
      kind: 'heavy_pollution',
      level: 'orange',
      basis: 'city_notice',
      districts: ['临淄区'],
      startAt: T10,
    });
    expect(issued.status).toBe(201);
    await until(async () => {
      const items = (await officer.call<{ items: ReductionResponse[] }>('GET', `/api/responses?warningId=${issued.body.warning.id}`)).body
        .items;
      if (items[0]) response = items[0];
      return items.length === 1;
    }, 'the response planned');
  });
  afterAll(async () => {
    staff?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hours with no power data are judged not verified', async () => {
    clock = T10 + 2 * H + GRACE + 1000;
    await t.app.responses.verifier.tick();
    expect(await verification()).toMatchObject({ judged: 2, nodata: 2, failed: 0, streak: 0 });
  });

  it('a file showing the line running for those hours fails them: the alert opens, naming the import', async () => {
    const opened = nextEvent(staff, 'alert:opened', (e: AlertEvent) => e.alert.rule === 'measure-noncompliance');
    const result = await land(T10, Array<number>(8).fill(75));
    expect(result).toMatchObject({ written: 8, rejudged: 2 });
    const { alert } = await opened;
    expect(alert).toMatchObject({ mn: QILU_CEMS.mn, factor: 'gkw01', enterpriseId: 'qilu-power', value: 300, limit: 50, unit: 'kW' });
    expect(alert.evidence).toMatchObject({ entry: '3号机组', firstHour: T10, lastHour: T10 + H, failedHours: 2, imported: true });
    expect(alert.evidence?.['importId']).toBe(result.importId);
    const v = await verification();
    expect(v).toMatchObject({ judged: 2, failed: 2, nodata: 0, streak: 2 });
    expect(v?.lastChecks).toEqual([
      {
        what: 'line-power',
        subject: 'qilu-unit-3',
        observed: 300,
        allowed: 50,
        verdict: 'fail',
        source: 'import',
        importIds: [result.importId],
      },
    ]);
  });

  it('a file showing it stopped for the same hours makes them compliant and clears the alert', async () => {
    clock += 60_000; // another import id
    const cleared = nextEvent(staff, 'alert:cleared', (e: AlertEvent) => e.alert.rule === 'measure-noncompliance');
    const result = await land(T10, Array<number>(8).fill(1));
    expect(result).toMatchObject({ written: 8, rejudged: 2 });
    expect((await cleared).alert).toMatchObject({ mn: QILU_CEMS.mn, factor: 'gkw01' });
    const v = await verification();
    expect(v).toMatchObject({ judged: 2, passed: 2, failed: 0, streak: 0 });
    expect(v?.lastChecks[0]).toMatchObject({ observed: 4, verdict: 'pass', source: 'import' });
  });

  it('a file that lands before an hour is judged is read when it is', async () => {
    clock = T10 + 3 * H + 60_000; // hour 12 is over, not yet closed
    const result = await land(T10 + 2 * H, [75, 75, 75, 75]);
    expect(result).toMatchObject({ written: 4, rejudged: 0 });
    await until(async () => {
      const q = `factor=gkw01&cn=2051&from=${T10 + 2 * H}&to=${T10 + 3 * H}`;
      return (await officer.call<{ items: unknown[] }>('GET', `/api/sources/${GRID.mn}/series?${q}`)).body.items.length === 4;
    }, 'the file’s points stored');
    clock = T10 + 3 * H + GRACE + 1000;
    await t.app.responses.verifier.tick();
    const v = await verification();
    expect(v).toMatchObject({ judged: 3, passed: 2, failed: 1, streak: 1, lastHour: T10 + 2 * H });
    expect(v?.lastChecks[0]).toMatchObject({ observed: 300, verdict: 'fail', source: 'import', importIds: [result.importId] });
  });
});
