import { describe, expect, it } from 'vitest';
import type { Grade } from './registry';
import {
  cityReductionCheck,
  inWindow,
  listStanding,
  resolveMeasures,
  tonnesPerYearToKgH,
  type LevelMeasure,
  type ReductionEntry,
  type ResponseLevel,
} from './reduction-list';
import { gradePolicySchema, reductionListBodySchema } from './reduction-list-schema';

describe('listStanding: revised by 31 August, reminded from 1 August', () => {
  it.each([
    // today, years filed, standing, year that serves
    ['2026-12-04', [2026], 'current', 2026],
    ['2026-12-04', [2025], 'outdated', 2025],
    ['2026-12-04', [2024, 2025, 2026], 'current', 2026],
    ['2026-12-04', [], 'missing', null],
    ['2026-12-04', [2027], 'missing', null], // a list of a year not begun serves nothing yet
    ['2026-03-01', [2025], 'current', 2025], // last year's list serves until 31 August
    ['2026-03-01', [2024], 'outdated', 2024],
    ['2026-07-31', [2025], 'current', 2025], // the day before reminders
    ['2026-08-01', [2025], 'due', 2025], // reminders from 1 August
    ['2026-08-31', [2025], 'due', 2025], // the last day
    ['2026-08-31', [2025, 2026], 'current', 2026], // filed in time
    ['2026-09-01', [2025], 'outdated', 2025], // late
    ['2026-09-01', [2026], 'current', 2026],
  ] as const)('%s with %j: %s', (today, years, standing, year) => {
    expect(listStanding(years, today)).toEqual({ standing, year });
  });
});

const m = (action: LevelMeasure['action'], nox: number, limitToPct?: number): LevelMeasure => ({
  action,
  ...(limitToPct !== undefined && { limitToPct }),
  indicators: action === 'unchanged' ? [] : [{ kind: 'line-power', facilityId: 'sinter-1', maxKw: action === 'stop' ? 50 : 800 }],
  expectedKgH: action === 'unchanged' ? {} : { nox, so2: nox / 2 },
});

const line: ReductionEntry = {
  id: 'e1',
  facilityId: 'sinter-1',
  name: '1#烧结生产线',
  outletMns: ['88888880000001'],
  meterIds: ['meter-1'],
  measures: { yellow: m('limit', 10, 80), orange: m('limit', 20, 50), red: m('stop', 40) },
  responsible: { name: '张工', phone: '13800000000' },
};
const coating: ReductionEntry = {
  id: 'e2',
  name: '喷涂工序',
  process: '喷涂',
  outletMns: [],
  meterIds: [],
  measures: { yellow: m('unchanged', 0), orange: m('unchanged', 0), red: m('stop', 4) },
  responsible: { name: '李工', phone: '13900000000' },
};
const list = { entries: [line, coating] };
const isLine = (e: ReductionEntry): boolean => e.id === 'e1';

describe('resolveMeasures: the grade shapes what applies', () => {
  // grade, level, [line: obligation, action, from], [coating: obligation, action, from]
  it.each<[Grade | undefined, ResponseLevel, [string, string, string | null], [string, string, string | null]]>([
    ['A', 'orange', ['voluntary', 'limit', 'orange'], ['none', 'unchanged', 'orange']],
    ['leading', 'red', ['voluntary', 'stop', 'red'], ['voluntary', 'stop', 'red']],
    ['B', 'yellow', ['none', 'unchanged', null], ['none', 'unchanged', null]], // below yellow: nothing
    ['B', 'orange', ['required', 'limit', 'yellow'], ['none', 'unchanged', 'yellow']],
    ['B', 'red', ['required', 'limit', 'orange'], ['none', 'unchanged', 'orange']],
    ['C', 'orange', ['required', 'limit', 'orange'], ['none', 'unchanged', 'orange']],
    ['C', 'red', ['required', 'stop', 'red'], ['required', 'stop', 'red']],
    [undefined, 'orange', ['required', 'limit', 'orange'], ['none', 'unchanged', 'orange']], // no grade: ungraded
    ['ungraded', 'yellow', ['required', 'limit', 'yellow'], ['none', 'unchanged', 'yellow']],
    ['non-graded', 'yellow', ['required', 'stop', null], ['required', 'stop', 'red']], // lines stop, the rest their strictest
  ])('%s at %s', (grade, level, l, c) => {
    const [a, b] = resolveMeasures(list, grade, level, isLine);
    expect([a?.obligation, a?.measure.action, a?.fromLevel]).toEqual(l);
    expect([b?.obligation, b?.measure.action, b?.fromLevel]).toEqual(c);
  });

  it('a line stopped by the non-graded policy keeps its strictest indicators and expected reductions', () => {
    const [a] = resolveMeasures(list, 'non-graded', 'yellow', isLine);
    expect(a?.measure).toMatchObject({ action: 'stop', expectedKgH: { nox: 40, so2: 20 } });
    expect(a?.measure.indicators).toEqual(line.measures.red.indicators);
  });

  it('a configured policy replaces the default', () => {
    const [a] = resolveMeasures(list, 'A', 'red', isLine, {
      leading: 'voluntary',
      A: 'as-listed',
      B: 'as-listed',
      C: 'as-listed',
      ungraded: 'as-listed',
      'non-graded': 'stop-lines',
    });
    expect(a?.obligation).toBe('required');
  });
});

describe('cityReductionCheck: 10/20/30 % of the city per pollutant', () => {
  const city = { nox: 8760, so2: 876 }; // t/a → 1,000 and 100 kg/h
  it('sums required measures only, and judges each pollutant', () => {
    const resolved = [
      ...resolveMeasures(list, 'C', 'red', isLine), // line stop 40 NOx, 20 SO2; coating 4 NOx, 2 SO2
      ...resolveMeasures(list, 'A', 'red', isLine), // voluntary: not counted
    ];
    const checks = cityReductionCheck(resolved, 'red', city);
    expect(checks.find((c) => c.pollutant === 'nox')).toEqual({
      pollutant: 'nox',
      expectedKgH: 44,
      cityKgH: 1000,
      sharePct: 4.4,
      targetPct: 30,
      pass: false,
    });
    expect(checks.find((c) => c.pollutant === 'so2')).toMatchObject({ expectedKgH: 22, cityKgH: 100, sharePct: 22, pass: false });
    expect(checks.find((c) => c.pollutant === 'pm')).toMatchObject({ expectedKgH: 0, cityKgH: null, sharePct: null, pass: null });
  });
  it.each([
    ['yellow', 9.9, false],
    ['yellow', 10, true],
    ['orange', 20, true],
    ['red', 29.9, false],
  ] as const)('at %s, %s %% passes: %s', (level, pct, pass) => {
    const entry: ReductionEntry = {
      ...coating,
      measures: { yellow: m('stop', pct * 10), orange: m('stop', pct * 10), red: m('stop', pct * 10) },
    };
    const [nox] = cityReductionCheck(
      resolveMeasures({ entries: [entry] }, 'C', level, () => false),
      level,
      { nox: 8760 },
    ).filter((c) => c.pollutant === 'nox');
    expect(nox?.pass).toBe(pass);
  });
  it('converts tonnes a year to kg/h over 8,760 hours', () => {
    expect(tonnesPerYearToKgH(8760)).toBe(1000);
  });
});

describe('inWindow', () => {
  it.each([
    [undefined, 0, true],
    [{ from: '09:00', to: '17:00' }, 9 * 60, true],
    [{ from: '09:00', to: '17:00' }, 17 * 60, false], // the end is outside
    [{ from: '09:00', to: '17:00' }, 8 * 60 + 59, false],
    [{ from: '22:00', to: '06:00' }, 23 * 60, true], // across midnight
    [{ from: '22:00', to: '06:00' }, 5 * 60 + 59, true],
    [{ from: '22:00', to: '06:00' }, 12 * 60, false],
  ])('%j at minute %i: %s', (w, minute, inside) => {
    expect(inWindow(w, minute)).toBe(inside);
  });
});

describe('the list body', () => {
  const body = { year: 2026, entries: [line, coating] };
  it('accepts a list whose stricter levels do more', () => {
    expect(reductionListBodySchema.safeParse(body).success).toBe(true);
  });
  it.each<[string, unknown, string]>([
    [
      'a level keeping more load than the one below',
      { ...line, measures: { ...line.measures, red: m('limit', 30, 60) } },
      'keeps more load',
    ],
    [
      'a limit without the load it keeps',
      { ...line, measures: { ...line.measures, yellow: { ...m('limit', 10), limitToPct: undefined } } },
      'names the load',
    ],
    ['a stop that keeps a load', { ...line, measures: { ...line.measures, red: { ...m('stop', 40), limitToPct: 10 } } }, 'only a limit'],
    [
      'no measure reducing something',
      { ...coating, measures: { ...coating.measures, yellow: { action: 'unchanged', indicators: [], expectedKgH: { nox: 1 } } } },
      'reduces nothing',
    ],
    [
      'an empty window',
      { ...line, measures: { ...line.measures, yellow: { ...m('limit', 10, 80), window: { from: '09:00', to: '09:00' } } } },
      'different times',
    ],
    ['a bad phone', { ...line, responsible: { name: '张工', phone: 'call me' } }, 'phone'],
  ])('refuses %s', (_what, entry, message) => {
    const r = reductionListBodySchema.safeParse({ year: 2026, entries: [entry] });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain(message);
  });
  it('refuses duplicate entry ids', () => {
    expect(reductionListBodySchema.safeParse({ year: 2026, entries: [line, line] }).success).toBe(false);
  });
  it('a grade policy must name every grade', () => {
    expect(gradePolicySchema.safeParse({ A: 'voluntary' }).success).toBe(false);
  });
});
