import { describe, expect, it } from 'vitest';
import type { LevelMeasure } from '../domain/reduction-list';
import type { Check } from '../domain/reduction-verify';
import { mainPollutantCode, powerSignals } from './measure-hour';
import { measureFindings, subjectOf, type MeasureState } from './noncompliance';

const H = 3_600_000;
const OUTLET = '370300VOCS00000000000402';
const LOGGER = '370300WC0000000000000001';
const facilities = [
  { id: 'line-1', kind: 'production-line' as const, enterpriseId: 'e', name: '1#线', mn: LOGGER, channel: '03' },
  { id: 'line-2', kind: 'production-line' as const, enterpriseId: 'e', name: '2#线' },
  { id: 'meter-a', kind: 'power-meter' as const, enterpriseId: 'e', name: '电表A', serves: 'line-2', mn: LOGGER, channel: '04' },
  { id: 'meter-b', kind: 'power-meter' as const, enterpriseId: 'e', name: '电表B', serves: 'line-2', mn: LOGGER, channel: '05' },
];
const stop: LevelMeasure = { action: 'stop', indicators: [], expectedKgH: { vocs: 3, nox: 1 } };
const power = (verdict: Check['verdict'], observed: number | null = 800): Check => ({
  what: 'line-power',
  subject: 'line-1',
  observed,
  allowed: 50,
  verdict,
});

describe('where a non-compliance alert is keyed', () => {
  it.each<[string, string[], Check, { mn: string; factor: string } | undefined]>([
    ['line power on the outlet, its gkw signal', [OUTLET], power('fail'), { mn: OUTLET, factor: 'gkw03' }],
    ['line power without an outlet: the line’s logger', [], power('fail'), { mn: LOGGER, factor: 'gkw03' }],
    [
      'flow on its outlet',
      [OUTLET],
      { what: 'outlet-flow', subject: OUTLET, observed: 9, allowed: 0, verdict: 'fail' },
      { mn: OUTLET, factor: 'a00000' },
    ],
    [
      'a period limit on its code',
      [OUTLET],
      { what: 'limit', subject: OUTLET, code: 'a24088', observed: 90, allowed: 60, verdict: 'fail' },
      { mn: OUTLET, factor: 'a24088' },
    ],
    [
      'an emission rate on the main pollutant',
      [OUTLET],
      { what: 'emission', subject: OUTLET, observed: 5, allowed: 2, verdict: 'fail' },
      { mn: OUTLET, factor: 'a24088' },
    ],
  ])('%s', (_what, outletMns, check, expected) => {
    expect(subjectOf({ outletMns }, stop, check, facilities)).toEqual(expected);
  });
});

describe('measureFindings', () => {
  const state = (over: Partial<MeasureState>): MeasureState => ({
    enterpriseId: 'e',
    entry: { id: 'e1', name: '1#线', outletMns: [OUTLET], facilityId: 'line-1' },
    resolved: { measure: stop },
    level: 'orange',
    responseId: 1,
    failedHours: [0, H],
    lastVerdict: 'fail',
    lastChecks: [power('fail')],
    lastHour: H,
    ...over,
  });
  it('raises at failHours failed hours in a row, major, with the evidence', () => {
    const [f] = measureFindings(state({}), 2, facilities);
    expect(f).toMatchObject({
      type: 'exceeded',
      mn: OUTLET,
      factor: 'gkw03',
      rule: 'measure-noncompliance',
      severity: 'major',
      value: 800,
      limit: 50,
      unit: 'kW',
      ts: 2 * H,
    });
    expect(f?.type === 'exceeded' && f.evidence).toMatchObject({
      responseId: 1,
      entry: '1#线',
      measure: '停产',
      level: 'Ⅱ级（橙色）',
      firstHour: 0,
      lastHour: H,
      failedHours: 2,
      checks: [
        {
          what: 'line-power',
          subject: 'line-1',
          name: '1#线',
          code: null,
          observed: 800,
          allowed: 50,
          baseline: null,
          unit: 'kW',
          verdict: 'fail',
        },
      ],
    });
  });
  it('an emission rate held to its share of the baseline carries the baseline', () => {
    const limit: LevelMeasure = { action: 'limit', limitToPct: 50, indicators: [], expectedKgH: { vocs: 3 } };
    const emission: Check = { what: 'emission', subject: OUTLET, observed: 5, allowed: 2, verdict: 'fail' };
    const [f] = measureFindings(state({ resolved: { measure: limit }, lastChecks: [emission] }), 2, facilities);
    expect(f?.type === 'exceeded' && f.evidence?.['checks']).toEqual([
      { what: 'emission', subject: OUTLET, name: null, code: null, observed: 5, allowed: 2, baseline: 4, unit: 'kg/h', verdict: 'fail' },
    ]);
  });
  it.each<[string, Check[], Record<string, unknown>]>([
    ['read from the logger: no import named', [{ ...power('fail'), source: 'logger' }], { imported: undefined, importId: undefined }],
    [
      'read from a grid file: the import named',
      [{ ...power('fail'), source: 'import', importIds: ['pi-7', 'pi-9'] }],
      { imported: true, importId: 'pi-7、pi-9' },
    ],
  ])('the source of the line power: %s', (_what, lastChecks, fields) => {
    const [f] = measureFindings(state({ lastChecks }), 2, facilities);
    const evidence = f?.type === 'exceeded' ? f.evidence : undefined;
    expect({ imported: evidence?.['imported'], importId: evidence?.['importId'] }).toEqual(fields);
    expect(evidence?.['checks']).toEqual([expect.objectContaining({ source: lastChecks[0]?.source })]);
  });
  it.each<[string, Partial<MeasureState>, string[]]>([
    ['one failed hour is not enough', { failedHours: [H] }, []],
    ['nodata says nothing', { lastVerdict: 'nodata' }, []],
    ['a pass makes the same key normal', { lastVerdict: 'pass', lastChecks: [power('pass', 10)], failedHours: [] }, ['normal']],
  ])('%s', (_what, over, types) => {
    expect(measureFindings(state(over), 2, facilities).map((f) => f.type)).toEqual(types);
  });
});

describe('the data a measure is judged on', () => {
  it.each<[string, LevelMeasure['expectedKgH'], string]>([
    ['the pollutant expected most', { so2: 1, pm: 4 }, 'a34013'],
    ['NOx without any expectation', {}, 'a21002'],
  ])('main pollutant: %s', (_what, expectedKgH, code) => {
    expect(mainPollutantCode({ action: 'limit', indicators: [], expectedKgH })).toBe(code);
  });
  it.each<[string, string, { mn: string; code: string }[]]>([
    ['a line with its own gkw signal', 'line-1', [{ mn: LOGGER, code: 'gkw03' }]],
    [
      'a line measured by the meters that serve it',
      'line-2',
      [
        { mn: LOGGER, code: 'gkw04' },
        { mn: LOGGER, code: 'gkw05' },
      ],
    ],
    ['an unknown facility', 'line-9', []],
  ])('power: %s', (_what, id, expected) => {
    expect(powerSignals(id, facilities)).toEqual(expected);
  });
});
