/**
 * The facility-record rules (issue 16 item 2) as tables: one true case and one look-alike that must
 * not fire per rule, and how each clears.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, MaintenanceWindow } from '../domain/alert';
import type { Facility } from '../domain/registry';
import { DEFAULT_RULE_PARAMS } from '../domain/rule-pack';
import type { FacilityRunState } from '../domain/working-condition';
import {
  detectStartStop,
  judgeAdsorbent,
  judgeDeclaredStop,
  judgeStartStop,
  windowCoversLine,
  type DeclaredStopMemory,
} from './facility-record-rules';

const MIN = 60_000;
const T0 = Date.UTC(2027, 5, 10, 2, 0, 0); // 2027-06-10 10:00 China time
const LOGGER = '370300CEMS00000000000101';
const OUTLET = '370300CEMS00000000000102';
const LINE: Facility = {
  id: 'qilu-line1',
  enterpriseId: 'qilu-power',
  kind: 'production-line',
  name: '1号生产线',
  outletMns: [OUTLET],
  mn: LOGGER,
  channel: '01',
  runningKw: 80,
};
const ADSORBER: Facility = {
  id: 'qilu-ac1',
  enterpriseId: 'qilu-power',
  kind: 'treatment',
  name: '活性炭吸附箱',
  mn: LOGGER,
  channel: '02',
  adsorbentDays: 90,
};

const window = (fields: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id: 7,
  enterpriseId: 'qilu-power',
  mn: null,
  from: T0 - 60 * MIN,
  to: T0 + 24 * 60 * MIN,
  reason: '检修',
  declaredBy: 'qilu',
  createdAt: T0 - 120 * MIN,
  status: 'approved',
  reviewedBy: 'officer',
  reviewedAt: T0 - 90 * MIN,
  reviewNote: null,
  endedBy: null,
  endedAt: null,
  ...fields,
});

const state = (
  kw: number | undefined,
  running: boolean | undefined = kw === undefined ? undefined : kw >= 80,
  since = T0 - 60 * MIN,
): FacilityRunState => ({
  facilityId: LINE.id,
  enterpriseId: LINE.enterpriseId,
  running,
  since,
  latest: kw === undefined ? {} : { gkw: { value: kw, ts: T0 } },
});

const summary = (fs: readonly Finding[]) =>
  fs.map((f) => (f.type === 'exceeded' ? `${f.rule} ${f.mn}/${f.factor} ${f.value}>${f.limit}` : `normal ${f.factor}`)).join() || '-';

describe('declared-stop-running', () => {
  it.each<[string, Partial<MaintenanceWindow>, boolean]>([
    ['an enterprise-wide window covers every line', { mn: null }, true],
    ['a window for an outlet the line feeds covers it', { mn: OUTLET }, true],
    ['a window for the line’s own logger covers it', { mn: LOGGER }, true],
    ['a window for another outlet does not', { mn: '370300CEMS00000000000999' }, false],
    ['a pending window does not', { status: 'pending' }, false],
    ['a rejected window does not', { status: 'rejected' }, false],
    ['a window of another enterprise does not', { enterpriseId: 'zichuan-cement' }, false],
    ['a window not begun yet does not', { from: T0 + MIN }, false],
    ['a window over does not', { to: T0 }, false],
  ])('%s', (_what, fields, covers) => {
    expect(windowCoversLine(window(fields), LINE, T0)).toBe(covers);
  });

  /** Ticks a minute apart with these kW values inside one approved enterprise-wide window. */
  function ticks(values: (number | undefined)[], windows: MaintenanceWindow[][] = values.map(() => [window()])): string[] {
    let memory: DeclaredStopMemory = { runningSince: undefined, raised: false };
    return values.map((kw, i) => {
      const now = T0 + i * MIN;
      const out = judgeDeclaredStop({
        line: LINE,
        state: state(kw),
        windows: windows[i] ?? [],
        now,
        memory,
        params: { ...DEFAULT_RULE_PARAMS.declaredStopRunning, sustainS: 600 },
      });
      memory = out.memory;
      return summary(out.findings);
    });
  }

  it('true case: 120 kW ≥ 80 kW for 10 min in an approved stop → major, on the logger’s power code', () => {
    const got = ticks(Array(11).fill(120));
    expect(got.slice(0, 10)).toEqual(Array(10).fill('-'));
    expect(got[10]).toBe(`declared-stop-running ${LOGGER}/gkw01 120>80`);
  });

  it('look-alike: idling at 30 kW (below runningKw) through the stop → nothing', () => {
    expect(ticks(Array(15).fill(30))).toEqual(Array(15).fill('-'));
  });

  it('look-alike: running 120 kW with no declared stop → nothing', () => {
    expect(ticks(Array(15).fill(120), Array(15).fill([]))).toEqual(Array(15).fill('-'));
  });

  it('a dip below the threshold restarts the count', () => {
    const got = ticks([...Array(6).fill(120), 10, ...Array(6).fill(120)]);
    expect(got).toEqual(Array(13).fill('-'));
  });

  it('clears when the line stops, and when the window ends', () => {
    expect(ticks([...Array(11).fill(120), 5]).slice(10)).toEqual([`declared-stop-running ${LOGGER}/gkw01 120>80`, 'normal gkw01']);
    const ended = [...Array(11).fill([window()]), []];
    expect(ticks(Array(12).fill(120), ended).slice(10)).toEqual([`declared-stop-running ${LOGGER}/gkw01 120>80`, 'normal gkw01']);
  });

  it('the evidence names the facility, the window, the threshold and since when', () => {
    const memory: DeclaredStopMemory = { runningSince: T0 - 11 * MIN, raised: false };
    const out = judgeDeclaredStop({
      line: LINE,
      state: state(120),
      windows: [window()],
      now: T0,
      memory,
      params: DEFAULT_RULE_PARAMS.declaredStopRunning,
    });
    const f = out.findings[0];
    expect(f?.type === 'exceeded' && f.evidence).toEqual({
      facility: '1号生产线',
      facilityId: 'qilu-line1',
      windowFrom: T0 - 60 * MIN,
      windowTo: T0 + 24 * 60 * MIN,
      windowId: 7,
      runningKw: 80,
      since: T0 - 11 * MIN,
      durationS: 600,
    });
    expect(f?.type === 'exceeded' && [f.severity, f.unit]).toEqual(['major', 'kW']);
  });

  it('without fresh state (running unknown) it neither raises nor clears', () => {
    const memory = { runningSince: T0 - 20 * MIN, raised: true };
    const out = judgeDeclaredStop({
      line: LINE,
      state: state(undefined),
      windows: [window()],
      now: T0,
      memory,
      params: DEFAULT_RULE_PARAMS.declaredStopRunning,
    });
    expect(out.findings).toEqual([]);
    expect(out.memory.raised).toBe(true);
  });
});

describe('adsorbent-overdue', () => {
  const params = { graceDays: 30, severity: 'warning' as const };
  const judge = (last: string | undefined, today: string, raisedDue: string | null = null, firstSeen = '2027-01-01') =>
    judgeAdsorbent({ facility: ADSORBER, lastReplacement: last, firstSeen, today, now: T0, raisedDue, params });

  it('true case: 91 days after the last replacement (interval 90) → warning on the running-state code, once', () => {
    const out = judge('2027-03-01', '2027-05-31');
    expect(summary(out.findings)).toBe(`adsorbent-overdue ${LOGGER}/grs02 91>90`);
    expect(out.raisedDue).toBe('2027-05-30');
    expect(judge('2027-03-01', '2027-06-01', out.raisedDue).findings).toEqual([]);
  });

  it('look-alike: on the due day itself (90 days) → nothing', () => {
    expect(judge('2027-03-01', '2027-05-30').findings).toEqual([]);
  });

  it('never replaced: raised after the grace period from when it was first watched', () => {
    expect(judge(undefined, '2027-01-31').findings).toEqual([]);
    expect(summary(judge(undefined, '2027-02-01').findings)).toBe(`adsorbent-overdue ${LOGGER}/grs02 31>30`);
  });

  it('a replacement logged clears it', () => {
    const out = judge('2027-05-31', '2027-06-01', '2027-05-30');
    expect(summary(out.findings)).toBe('normal grs02');
    expect(out.raisedDue).toBeNull();
  });

  it('the evidence names the facility, the last replacement, the interval and the due date', () => {
    const f = judge('2027-03-01', '2027-05-31').findings[0];
    expect(f?.type === 'exceeded' && f.evidence).toEqual({
      facility: '活性炭吸附箱',
      facilityId: 'qilu-ac1',
      lastReplacement: '2027-03-01',
      adsorbentDays: 90,
      due: '2027-05-30',
    });
  });
});

describe('start/stop events and unplanned-start-stop', () => {
  const prev = (running: boolean, at = T0 - 120 * MIN) => ({ running, at });
  it.each<[string, ReturnType<typeof prev> | undefined, FacilityRunState, ReturnType<typeof detectStartStop>]>([
    ['stopped → running is a start at `since`', prev(false), state(120, true, T0 - 5 * MIN), { kind: 'start', at: T0 - 5 * MIN }],
    ['running → stopped is a stop', prev(true), state(0, false, T0 - 5 * MIN), { kind: 'stop', at: T0 - 5 * MIN }],
    ['no change is nothing', prev(true), state(120, true), undefined],
    ['first sight is nothing (no previous state)', undefined, state(120, true), undefined],
    ['unknown state is nothing', prev(true), state(undefined), undefined],
    ['a state older than the last event is nothing', prev(false, T0), state(120, true, T0 - 5 * MIN), undefined],
  ])('%s', (_what, p, s, expected) => {
    expect(detectStartStop(p, s, T0)).toEqual(expected);
  });

  const params = DEFAULT_RULE_PARAMS.unplannedStartStop;
  const plan = [{ facilityId: LINE.id, kind: 'stop' as const, date: '2027-06-12' }];
  const judge = (kind: 'start' | 'stop', at: number, entries: typeof plan | 'none' = plan) =>
    judgeStartStop({ line: LINE, kind, at, plan: entries === 'none' ? undefined : entries, params, utcOffsetMinutes: 480 });

  it('true case: a stop in June with no planned stop within ±3 days → warning', () => {
    const out = judge('stop', Date.UTC(2027, 5, 20, 2));
    expect(out).toMatchObject({ inSeason: true, planned: false });
    expect(summary(out.findings)).toBe(`unplanned-start-stop ${LOGGER}/gkw01 1>0`);
  });

  it('look-alike: a stop two days from a planned stop → planned, nothing', () => {
    const out = judge('stop', T0);
    expect(out).toMatchObject({ inSeason: true, planned: true, findings: [] });
  });

  it('look-alike: a start near a planned stop is still unplanned (the kind must match)', () => {
    expect(judge('start', T0).planned).toBe(false);
  });

  it('outside the season (April) nothing is flagged, and a stop with no plan filed in season is', () => {
    expect(judge('stop', Date.UTC(2027, 3, 20, 2))).toMatchObject({ inSeason: false, findings: [] });
    const out = judge('stop', T0, 'none');
    expect(out.findings[0]?.type === 'exceeded' && out.findings[0].evidence).toEqual({
      facility: '1号生产线',
      facilityId: 'qilu-line1',
      stoppedAt: T0,
      planFiled: false,
      toleranceDays: 3,
    });
  });

  it('the season is judged on the local (China) date: 30 Sep 23:30 local is in, 1 Oct 00:30 is out', () => {
    expect(judge('stop', Date.UTC(2027, 8, 30, 15, 30), []).inSeason).toBe(true);
    expect(judge('stop', Date.UTC(2027, 8, 30, 16, 30), []).inSeason).toBe(false);
  });
});
