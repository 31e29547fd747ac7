/**
 * The facility-record rules of issue 16 item 2 over the real HJ 212 TCP listener, as
 * facility-records.test.ts drives them with plain facility states: here qilu-power's condition
 * logger sends CN 2011 frames (CRC, its password, each answered 9014) on the app's clock, the
 * facility engine turns them into running states, and the records rules' tick judges them against
 * the filed plan, the logged replacements and an approved stop. The duty officer's socket sees
 * adsorbent-overdue, unplanned-start-stop and declared-stop-running open; beside each, a look-alike
 * that raises nothing: an adsorber replaced within its interval, a start listed in the plan, and a
 * line idling below its runningKw during the declared stop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { StartStopEvent } from '../../server/domain/facility-records';
import { hjSignalLogger, qiluRegistry, type HjSignalLogger } from '../helpers/facility-loggers';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';

const ENT = 'qilu-power';
const PLANT = { mn: '370300GKJK00000000000106', pw: 'Q7MZ4K2XW9PB6TJC8RNV3HDA' };
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** 10:00 China time on a date. */
const at10 = (date: string) => Date.parse(`${date}T10:00:00+08:00`);

const on = (channel: string, f: { id: string; kind: 'production-line' | 'treatment'; name: string; [k: string]: unknown }) => ({
  mn: PLANT.mn,
  channel,
  ...f,
});
const FACILITIES = [
  on('01', { id: 'line1', kind: 'production-line', name: '1号生产线', runningKw: 80 }),
  on('02', { id: 'ac1', kind: 'treatment', name: '1号活性炭吸附箱', adsorbentDays: 90 }),
  on('03', { id: 'ac2', kind: 'treatment', name: '2号活性炭吸附箱', adsorbentDays: 90 }),
  on('04', { id: 'line2', kind: 'production-line', name: '2号生产线', runningKw: 80 }),
  on('05', { id: 'line3', kind: 'production-line', name: '3号生产线', runningKw: 80 }),
];
/** The logger's frame: the lines' power (kW), both adsorbers reporting running. */
const frame = (line1: number, line2: number, line3: number) => ({ gkw01: line1, grs02: 1, grs03: 1, gkw04: line2, gkw05: line3 });

describe('facility-record rules over HJ 212 TCP, with look-alikes that raise nothing', () => {
  let dir: string;
  let t: TestApp;
  let clock = at10('2027-03-20');
  let officer: ApiSession;
  let dashboard: DashboardSocket;
  let plant: HjSignalLogger;
  const alertsOf = async (rule: string): Promise<Alert[]> =>
    (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?rule=${rule}&mn=${PLANT.mn}&limit=50`)).body.items;
  /** Moves the clock days on: the officer signs in again (idle sessions expire) on a new dashboard socket. */
  const jumpTo = async (ts: number) => {
    clock = ts;
    dashboard.close();
    officer = await t.signIn('officer');
    dashboard = await connectDashboard(t.baseUrl, officer);
  };
  /** The logger's frame at `ts` (the clock moves with it), answered 9014, then the record rules' tick. */
  const sendAndTick = async (ts: number, kw: [number, number, number]) => {
    clock = ts;
    await plant.send(ts, frame(...kw));
    await t.app.records.rules.tick();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-records-tcp-'));
    t = await startTestApp({ REGISTRY_FILE: qiluRegistry(dir, [PLANT], FACILITIES), RULES_TICK_S: '600' }, { now: () => clock });
    officer = await t.signIn('officer');
    dashboard = await connectDashboard(t.baseUrl, officer);
    plant = await hjSignalLogger(t.app.hj212Port as number, PLANT);
    const ent = await t.signIn(ENT);
    const entries = [
      { facilityId: 'line1', kind: 'stop', date: '2027-06-15', note: '年度检修' },
      { facilityId: 'line1', kind: 'start', date: '2027-06-20' },
    ];
    expect((await ent.call('POST', '/api/start-stop-plans', { year: 2027, entries })).status).toBe(201);
    for (const [id, date] of [
      ['ac1', '2027-03-01'],
      ['ac2', '2027-03-15'],
    ]) {
      expect((await ent.call('POST', `/api/facilities/${id}/adsorbent-replacements`, { date, amountKg: 500 })).status).toBe(201);
    }
  });
  afterAll(async () => {
    plant?.close();
    dashboard?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adsorbent-overdue opens on the adsorber replaced 91 days ago; the one replaced 77 days ago raises nothing', async () => {
    await jumpTo(at10('2027-05-31'));
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.rule === 'adsorbent-overdue');
    await sendAndTick(clock, [120, 0, 0]); // line 1 runs (first sight: learnt, no event), lines 2 and 3 stand
    const { alert } = await opened;
    expect(alert).toMatchObject({ mn: PLANT.mn, factor: 'grs02', enterpriseId: ENT, value: 91, limit: 90, unit: 'd' });
    expect(alert.evidence).toMatchObject({ facilityId: 'ac1', lastReplacement: '2027-03-01', adsorbentDays: 90, due: '2027-05-30' });
    expect((await alertsOf('adsorbent-overdue')).map((a) => [a.factor, a.evidence?.facilityId])).toEqual([['grs02', 'ac1']]);
  });

  it('unplanned-start-stop opens on a stop 5 days from the planned one; a start 2 days from the planned one raises nothing', async () => {
    await jumpTo(at10('2027-06-10'));
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.rule === 'unplanned-start-stop');
    await sendAndTick(clock, [5, 0, 0]);
    const { alert } = await opened;
    expect(alert).toMatchObject({ mn: PLANT.mn, factor: 'gkw01', enterpriseId: ENT });
    expect(alert.evidence).toMatchObject({ facilityId: 'line1', stoppedAt: clock, planFiled: true, toleranceDays: 3 });

    await jumpTo(at10('2027-06-18'));
    await sendAndTick(clock, [120, 0, 0]); // the plan's start is 06-20, tolerance 3 days
    const q = `enterpriseId=${ENT}&from=${at10('2027-01-01')}&to=${at10('2027-12-31')}`;
    const { events } = (await officer.call<{ events: StartStopEvent[] }>('GET', `/api/start-stop-events?${q}`)).body;
    expect(events.map((e) => [e.facilityId, e.kind, e.at, e.inSeason, e.planned])).toEqual([
      ['line1', 'stop', at10('2027-06-10'), true, false],
      ['line1', 'start', at10('2027-06-18'), true, true],
    ]);
    expect((await alertsOf('unplanned-start-stop')).map((a) => [a.evidence?.facilityId, a.state])).toEqual([['line1', 'cleared']]);
  });

  it('declared-stop-running opens on a line at 130 kW for 10 min in an approved stop; a line idling at 20 kW raises nothing', async () => {
    await jumpTo(at10('2027-10-08')); // out of the ozone season: the lines' starts and stops raise nothing here
    const declared = await officer.call<{ window: { status: string } }>('POST', '/api/maintenance', {
      enterpriseId: ENT,
      from: clock,
      to: clock + 2 * DAY,
      reason: '停产检修',
    });
    expect(declared.body.window.status).toBe('approved');
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.rule === 'declared-stop-running');
    const start = clock;
    for (let m = 0; m <= 10; m++) await sendAndTick(start + m * MIN, [5, 130, 20]);
    const { alert } = await opened;
    expect(alert).toMatchObject({ mn: PLANT.mn, factor: 'gkw04', enterpriseId: ENT, value: 130, limit: 80, unit: 'kW' });
    expect(alert.evidence).toMatchObject({ facilityId: 'line2', runningKw: 80, since: start, windowFrom: start });
    expect((await alertsOf('declared-stop-running')).map((a) => [a.factor, a.evidence?.facilityId])).toEqual([['gkw04', 'line2']]);
  });
});
