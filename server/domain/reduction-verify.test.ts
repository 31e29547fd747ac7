import { describe, expect, it } from 'vitest';
import type { KeyIndicator, LevelMeasure } from './reduction-list';
import { failStreak, judgeMeasureHour, type MeasureHour } from './reduction-verify';

const MN = '88888880000001';
const MN2 = '88888880000002';
const entry = { outletMns: [MN] };
const twoOutlets = { outletMns: [MN, MN2] };

const hour = (h: Partial<MeasureHour>): MeasureHour => ({
  linePowerKw: {},
  flowM3h: {},
  stoppedMns: [],
  concentration: {},
  emissionKgH: {},
  ...h,
});
const measure = (action: LevelMeasure['action'], indicators: KeyIndicator[] = [], limitToPct?: number): LevelMeasure => ({
  action,
  ...(limitToPct !== undefined && { limitToPct }),
  indicators,
  expectedKgH: {},
});
const power: KeyIndicator = { kind: 'line-power', facilityId: 'sinter-1', maxKw: 50 };
const flow: KeyIndicator = { kind: 'outlet-flow', mn: MN, maxM3h: 1000 };
const nox35: KeyIndicator = { kind: 'limit', mn: MN, code: 'a21002', limit: 35 };

describe('judgeMeasureHour: a stop', () => {
  it.each<[string, LevelMeasure, { outletMns: string[] }, Partial<MeasureHour>, string]>([
    ['line power within its indicator', measure('stop', [power]), entry, { linePowerKw: { 'sinter-1': 20 } }, 'pass'],
    ['line power above it: still running', measure('stop', [power]), entry, { linePowerKw: { 'sinter-1': 900 } }, 'fail'],
    ['no power reading', measure('stop', [power]), entry, {}, 'nodata'],
    [
      'power low but flow above its indicator',
      measure('stop', [power, flow]),
      entry,
      { linePowerKw: { 'sinter-1': 0 }, flowM3h: { [MN]: 50_000 } },
      'fail',
    ],
    ['power low, flow unknown', measure('stop', [power, flow]), entry, { linePowerKw: { 'sinter-1': 0 } }, 'pass'],
    ['flow meter reads but the outlet is flagged F', measure('stop', [flow]), entry, { flowM3h: { [MN]: 5000 }, stoppedMns: [MN] }, 'pass'],
    ['no indicators: outlet flagged F', measure('stop'), entry, { stoppedMns: [MN] }, 'pass'],
    ['no indicators: flow on an unflagged outlet', measure('stop'), entry, { flowM3h: { [MN]: 300 } }, 'fail'],
    ['no indicators: zero flow', measure('stop'), entry, { flowM3h: { [MN]: 0 } }, 'pass'],
    [
      'no indicators: one outlet stopped, the other running',
      measure('stop'),
      twoOutlets,
      { stoppedMns: [MN], flowM3h: { [MN2]: 300 } },
      'fail',
    ],
    ['no indicators, no outlets, nothing to judge by', measure('stop'), { outletMns: [] }, {}, 'nodata'],
    [
      'a concentration limit is no evidence of a stop',
      measure('stop', [nox35]),
      entry,
      { concentration: { [MN]: { a21002: 10 } } },
      'nodata',
    ],
  ])('%s → %s', (_what, m, e, h, verdict) => {
    expect(judgeMeasureHour(e, m, hour(h)).verdict).toBe(verdict);
  });
});

describe('judgeMeasureHour: a limit', () => {
  it.each<[string, LevelMeasure, Partial<MeasureHour>, string]>([
    ['power within', measure('limit', [{ ...power, maxKw: 800 }], 50), { linePowerKw: { 'sinter-1': 800 } }, 'pass'],
    ['power above', measure('limit', [{ ...power, maxKw: 800 }], 50), { linePowerKw: { 'sinter-1': 801 } }, 'fail'],
    ['the special-period limit held', measure('limit', [nox35], 80), { concentration: { [MN]: { a21002: 35 } } }, 'pass'],
    ['the special-period limit exceeded', measure('limit', [nox35], 80), { concentration: { [MN]: { a21002: 35.1 } } }, 'fail'],
    ['one indicator held, one without data', measure('limit', [nox35, flow], 80), { concentration: { [MN]: { a21002: 20 } } }, 'nodata'],
    [
      'one held, one failed',
      measure('limit', [nox35, flow], 80),
      { concentration: { [MN]: { a21002: 20 } }, flowM3h: { [MN]: 2000 } },
      'fail',
    ],
    [
      'no indicators: emission within 50 % of baseline',
      measure('limit', [], 50),
      { emissionKgH: { [MN]: { current: 5, baseline: 10 } } },
      'pass',
    ],
    [
      'no indicators: emission above 50 % of baseline',
      measure('limit', [], 50),
      { emissionKgH: { [MN]: { current: 5.1, baseline: 10 } } },
      'fail',
    ],
    ['no indicators: no baseline', measure('limit', [], 50), { emissionKgH: { [MN]: { current: 5, baseline: null } } }, 'nodata'],
    ['no indicators: no data', measure('limit', [], 50), {}, 'nodata'],
  ])('%s → %s', (_what, m, h, verdict) => {
    expect(judgeMeasureHour(entry, m, hour(h)).verdict).toBe(verdict);
  });

  it('names its evidence: observed against allowed', () => {
    const v = judgeMeasureHour(entry, measure('limit', [], 50), hour({ emissionKgH: { [MN]: { current: 6, baseline: 10 } } }));
    expect(v.checks).toEqual([{ what: 'emission', subject: MN, observed: 6, allowed: 5, verdict: 'fail' }]);
  });
});

describe('judgeMeasureHour: where the line power was read', () => {
  it.each<[string, Partial<MeasureHour>, Partial<ReturnType<typeof judgeMeasureHour>['checks'][number]>]>([
    ['the logger’s signal', { linePowerKw: { 'sinter-1': 900 } }, { observed: 900, verdict: 'fail', source: 'logger' }],
    [
      'a grid file: the import is named',
      { linePowerKw: { 'sinter-1': 300 }, powerSource: { 'sinter-1': { source: 'import', importIds: ['pi-1'] } } },
      { observed: 300, verdict: 'fail', source: 'import', importIds: ['pi-1'] },
    ],
    [
      'a grid file showing it stopped passes',
      { linePowerKw: { 'sinter-1': 4 }, powerSource: { 'sinter-1': { source: 'import', importIds: ['pi-1', 'pi-2'] } } },
      { observed: 4, verdict: 'pass', source: 'import', importIds: ['pi-1', 'pi-2'] },
    ],
    ['no power: no source', {}, { observed: null, verdict: 'nodata' }],
  ])('%s', (_what, h, check) => {
    const [c] = judgeMeasureHour(entry, measure('stop', [power]), hour(h)).checks;
    expect(c).toEqual({ what: 'line-power', subject: 'sinter-1', allowed: 50, ...check });
  });
});

describe('judgeMeasureHour: no measure', () => {
  it('has nothing to verify', () => {
    expect(judgeMeasureHour(entry, measure('unchanged'), hour({ flowM3h: { [MN]: 9e9 } }))).toEqual({ verdict: 'none', checks: [] });
  });
});

describe('failStreak', () => {
  it.each([
    [0, 'fail', 1],
    [1, 'fail', 2],
    [2, 'pass', 0],
    [2, 'nodata', 2], // a gap neither proves nor clears
    [2, 'none', 0],
  ] as const)('%i then %s → %i', (prev, verdict, next) => {
    expect(failStreak(prev, verdict)).toBe(next);
  });
});
