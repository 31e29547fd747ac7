/**
 * Facility records end to end (issue 16 item 2), over HTTP on the real app with an injected clock:
 * an enterprise files its start/stop plan and logs an adsorbent replacement (audited; another
 * enterprise sees neither), the bureau sees who has not filed; then the record rules, driven with
 * facility states (plain data, as the facility engine's port gives them) and the clock, open and
 * clear adsorbent-overdue, unplanned-start-stop and declared-stop-running alerts, and the start/stop
 * events are counted per enterprise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { PlanStatus, StartStopCount, StartStopPlan } from '../../server/domain/facility-records';
import type { FacilityRunState } from '../../server/domain/working-condition';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const ENT = 'qilu-power';
const OTHER = 'zichuan-cement';
const LOGGER = '370300CEMS00000000000101'; // qilu-power's stack logger carries the lines' signals here
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** 10:00 China time on a date. */
const at10 = (date: string) => Date.parse(`${date}T10:00:00+08:00`);

describe('facility records: plans, replacements, and their rules', () => {
  let t: TestApp;
  let clock = at10('2027-03-20');
  let ent: ApiSession;
  let other: ApiSession;
  let officer: ApiSession;
  let admin: ApiSession;
  const states = new Map<string, FacilityRunState>();
  const line = (running: boolean, since: number, kw: number) =>
    states.set('qilu-line1', {
      facilityId: 'qilu-line1',
      enterpriseId: ENT,
      running,
      since,
      latest: { gkw: { value: kw, ts: clock }, grs: { value: running ? 1 : 0, ts: clock } },
    });
  const alertsOf = async (rule: string): Promise<Alert[]> =>
    (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?rule=${rule}&limit=50`)).body.items;
  /** Moves the clock (sessions idle that long expire: signed in again) and ticks the record rules. */
  const tickAt = async (ts: number) => {
    const jumped = ts - clock > 6 * 60 * MIN;
    clock = ts;
    if (jumped) [ent, other, officer] = await Promise.all([t.signIn(ENT), t.signIn(OTHER), t.signIn('officer')]);
    await t.app.records.rules.tick();
  };

  beforeAll(async () => {
    t = await startTestApp({ RULES_TICK_S: '600' }, { now: () => clock });
    [ent, other, officer, admin] = await Promise.all([t.signIn(ENT), t.signIn(OTHER), t.signIn('officer'), t.signIn('admin')]);
    const facilities = [
      {
        id: 'qilu-line1',
        enterpriseId: ENT,
        kind: 'production-line',
        name: '1号生产线',
        outletMns: [LOGGER],
        mn: LOGGER,
        channel: '01',
        runningKw: 80,
      },
      {
        id: 'qilu-ac1',
        enterpriseId: ENT,
        kind: 'treatment',
        name: '活性炭吸附箱',
        serves: 'qilu-line1',
        mn: LOGGER,
        channel: '02',
        adsorbentDays: 90,
      },
      { id: 'zc-kiln', enterpriseId: OTHER, kind: 'production-line', name: '回转窑' },
    ];
    for (const f of facilities) expect((await admin.call('POST', '/api/facilities', f)).status).toBe(201);
    t.app.records.useFacilityStates(() => states);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('an enterprise files its plan by 31 March; the bureau sees who has not filed; another enterprise sees nothing', async () => {
    const entries = [
      { facilityId: 'qilu-line1', kind: 'stop', date: '2027-06-15', note: '年度检修' },
      { facilityId: 'qilu-line1', kind: 'start', date: '2027-06-20' },
    ];
    const filed = await ent.call<{ plan: StartStopPlan }>('POST', '/api/start-stop-plans', { year: 2027, entries });
    expect(filed.status).toBe(201);
    expect(filed.body.plan).toMatchObject({ enterpriseId: ENT, year: 2027, version: 1, filedBy: ENT });
    expect((await ent.call('POST', '/api/start-stop-plans', { year: 2027, entries })).status).toBe(409);
    // A line of another enterprise, or a date outside the year, is refused.
    const foreign = await ent.call('PUT', `/api/start-stop-plans/${ENT}/2027`, {
      entries: [{ facilityId: 'zc-kiln', kind: 'stop', date: '2027-07-01' }],
    });
    expect(foreign.status).toBe(400);
    expect((await ent.call('PUT', `/api/start-stop-plans/${ENT}/2027`, { entries: [{ ...entries[0], date: '2028-01-01' }] })).status).toBe(
      400,
    );

    const statuses = (await officer.call<{ items: PlanStatus[] }>('GET', '/api/start-stop-plans?year=2027')).body.items;
    expect(statuses.map((s) => [s.enterpriseId, s.filed, s.late, s.entries])).toEqual([
      [OTHER, false, false, 0],
      [ENT, true, false, 2],
    ]);
    expect(
      (await other.call<{ items: PlanStatus[] }>('GET', '/api/start-stop-plans?year=2027')).body.items.map((s) => s.enterpriseId),
    ).toEqual([OTHER]);
    expect((await other.call('GET', `/api/start-stop-plans/${ENT}/2027`)).status).toBe(404);
    expect((await other.call('PUT', `/api/start-stop-plans/${ENT}/2027`, { entries: [] })).status).toBe(404);
    const audit = await admin.call<{ items: { action: string; target: string; username: string }[] }>(
      'GET',
      '/api/audit?action=records.plan_filed',
    );
    expect(audit.body.items.map((a) => [a.action, a.target, a.username])).toEqual([['records.plan_filed', `enterprise:${ENT}`, ENT]]);
  });

  it('an enterprise logs a replacement for its adsorber; another enterprise cannot see or log it', async () => {
    const logged = await ent.call<{ replacement: { date: string; amountKg: number } }>(
      'POST',
      '/api/facilities/qilu-ac1/adsorbent-replacements',
      {
        date: '2027-03-01',
        amountKg: 500,
        note: '更换蜂窝活性炭',
      },
    );
    expect(logged.status).toBe(201);
    expect(logged.body.replacement).toMatchObject({ date: '2027-03-01', amountKg: 500 });
    expect((await other.call('GET', '/api/facilities/qilu-ac1/adsorbent-replacements')).status).toBe(404);
    expect((await other.call('POST', '/api/facilities/qilu-ac1/adsorbent-replacements', { date: '2027-03-02', amountKg: 1 })).status).toBe(
      404,
    );
    expect((await officer.call<{ items: unknown[] }>('GET', '/api/facilities/qilu-ac1/adsorbent-replacements')).body.items).toHaveLength(1);
    const audit = await admin.call<{ items: { target: string }[] }>('GET', '/api/audit?action=records.adsorbent_logged');
    expect(audit.body.items.map((a) => a.target)).toEqual(['facility:qilu-ac1']);
  });

  it('adsorbent-overdue opens once the 90 days are past, on the adsorber’s running-state code, and clears on a new replacement', async () => {
    await tickAt(at10('2027-05-30'));
    expect(await alertsOf('adsorbent-overdue')).toEqual([]);
    await tickAt(at10('2027-05-31'));
    const [overdue] = await alertsOf('adsorbent-overdue');
    expect(overdue).toMatchObject({ mn: LOGGER, factor: 'grs02', state: 'active', value: 91, limit: 90 });
    expect(overdue?.evidence).toMatchObject({
      facility: '活性炭吸附箱',
      facilityId: 'qilu-ac1',
      lastReplacement: '2027-03-01',
      due: '2027-05-30',
    });
    expect((await ent.call('POST', '/api/facilities/qilu-ac1/adsorbent-replacements', { date: '2027-05-31', amountKg: 480 })).status).toBe(
      201,
    );
    await tickAt(at10('2027-05-31') + MIN);
    expect((await alertsOf('adsorbent-overdue')).map((a) => a.state)).toEqual(['cleared']);
  });

  it('start/stop events are recorded; one in the ozone season away from the plan opens unplanned-start-stop', async () => {
    line(true, at10('2027-05-01'), 120);
    await tickAt(at10('2027-06-01')); // first sight: the line's state is learnt, no event
    line(false, at10('2027-06-10'), 5);
    await tickAt(at10('2027-06-10') + MIN);
    const [unplanned] = await alertsOf('unplanned-start-stop');
    expect(unplanned).toMatchObject({ mn: LOGGER, factor: 'gkw01', state: 'active' });
    expect(unplanned?.evidence).toMatchObject({
      facilityId: 'qilu-line1',
      stoppedAt: at10('2027-06-10'),
      planFiled: true,
      toleranceDays: 3,
    });
    await tickAt(at10('2027-06-10') + 2 * MIN); // an event: cleared at the next tick, waiting for an officer
    expect((await alertsOf('unplanned-start-stop')).map((a) => a.state)).toEqual(['cleared']);
    line(true, at10('2027-06-18'), 120); // two days from the planned start (tolerance 3): planned
    await tickAt(at10('2027-06-18') + MIN);
    await tickAt(at10('2027-06-18') + 2 * MIN);
    expect(await alertsOf('unplanned-start-stop')).toHaveLength(1);

    const q = `from=${at10('2027-01-01')}&to=${at10('2027-12-31')}`;
    const counts = (await officer.call<{ counts: StartStopCount[]; events: unknown[] }>('GET', `/api/start-stop-events?${q}`)).body;
    expect(counts.counts).toEqual([{ enterpriseId: ENT, starts: 1, stops: 1, inSeason: 2, unplanned: 1 }]);
    expect(counts.events).toHaveLength(2);
    expect((await other.call<{ counts: StartStopCount[] }>('GET', `/api/start-stop-events?${q}`)).body.counts).toEqual([]);
  });

  it('declared-stop-running opens after 10 min of power ≥ runningKw in an approved company-wide stop, and clears when the line stops', async () => {
    await tickAt(at10('2027-07-01'));
    const declared = await officer.call<{ window: { status: string } }>('POST', '/api/maintenance', {
      enterpriseId: ENT,
      from: clock,
      to: clock + 2 * DAY,
      reason: '停产检修',
    });
    expect(declared.body.window.status).toBe('approved');
    line(true, at10('2027-06-18'), 130);
    await tickAt(clock + MIN);
    await tickAt(clock + 6 * MIN);
    expect(await alertsOf('declared-stop-running')).toEqual([]);
    await tickAt(clock + 5 * MIN); // 11 min after the first tick that saw it running
    const [running] = await alertsOf('declared-stop-running');
    expect(running).toMatchObject({ mn: LOGGER, factor: 'gkw01', state: 'active', value: 130, limit: 80, unit: 'kW', suppressed: null });
    expect(running?.evidence).toMatchObject({ facility: '1号生产线', facilityId: 'qilu-line1', runningKw: 80 });
    line(true, at10('2027-06-18'), 20); // idling below runningKw
    await tickAt(clock + MIN);
    expect((await alertsOf('declared-stop-running')).map((a) => a.state)).toEqual(['cleared']);
  });
});
