import { sourceSchema } from '@domain/registry';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../api/registry';
import { emptyLimit, emptySourceDraft, hasField, sourceDraftOf, toSource, validateSource, type SourceDraft } from './source-form';

const MN = '211300CEMS00000000000901';
const valid = (over: Partial<SourceDraft> = {}): SourceDraft => ({
  ...emptySourceDraft('longcheng-coke'),
  mn: MN,
  name: '焦炉烟囱',
  lat: '41.57',
  lon: '120.45',
  ...over,
});

describe('source form', () => {
  it.each([
    ['cems', ['o2Ref', 'stack', 'bypass', 'flare'], ['nozzleCount', 'stationClass']],
    ['vapour', ['nozzleCount', 'annualFuelSalesT'], ['o2Ref', 'stack', 'stationClass']],
    ['ambient', ['stationClass'], ['o2Ref', 'nozzleCount', 'bypass']],
    ['condition', [], ['o2Ref', 'ownerDepartment', 'siteAreaM2']],
    [
      'catering',
      ['ownerDepartment', 'treatment', 'purifierType', 'cookingRanges', 'floorAreaM2'],
      ['o2Ref', 'siteAreaM2', 'earthworkPhase'],
    ],
    ['dust', ['ownerDepartment', 'siteAreaM2', 'earthworkPhase'], ['o2Ref', 'stack', 'purifierType', 'cookingRanges']],
  ] as const)('%s shows %j and hides %j', (kind, shown, hidden) => {
    for (const f of shown) expect(hasField(kind, f)).toBe(true);
    for (const f of hidden) expect(hasField(kind, f)).toBe(false);
  });

  it('a flue-gas outlet with standing and dated limits becomes a source the domain schema accepts', () => {
    const d = valid({
      o2Ref: '9',
      stackHeightM: '60',
      capacityValue: '130',
      capacityUnit: 't/h',
      bypass: 'sealed',
      nozzleCount: '12', // not a flue-gas field: left out
      onboarding: 'installed',
      due: { obligated: '', installed: '', accepted: '2027-03-31', networked: '2027-06-30' },
      limits: [
        { ...emptyLimit('a21026'), max: '100' },
        { ...emptyLimit('a21002'), max: '150', until: '2027-01-01' },
        { ...emptyLimit('a21002'), max: '50', from: '2027-01-01' },
      ],
    });
    expect(validateSource(d)).toEqual({});
    const s = toSource(d);
    expect(s).toMatchObject({
      o2Ref: 9,
      stackHeightM: 60,
      capacity: { value: 130, unit: 't/h' },
      bypass: { seal: 'sealed' },
      limits: { a21026: { max: 100, o2Converted: true, severity: 'major' } },
      limitSchedule: [
        { factor: 'a21002', until: '2027-01-01', limit: { max: 150 } },
        { factor: 'a21002', from: '2027-01-01', limit: { max: 50 } },
      ],
      onboarding: { status: 'installed', due: { accepted: '2027-03-31', networked: '2027-06-30' } },
    });
    expect(s).not.toHaveProperty('nozzleCount');
    expect(sourceSchema.safeParse(s).success).toBe(true);
    // Read back and shown again, the form holds the same source.
    expect(toSource(sourceDraftOf(s as SourceFile))).toEqual(s);
  });

  it('a vapour-recovery station keeps its nozzle count (more than four) and sales', () => {
    const s = toSource(valid({ kind: 'vapour', nozzleCount: '16', annualFuelSalesT: '8200', o2Ref: '9' }));
    expect(s).toMatchObject({ nozzleCount: 16, annualFuelSalesT: 8200 });
    expect(s).not.toHaveProperty('o2Ref');
  });

  it('a construction site and a kitchen keep their register fields, and read back the same', () => {
    const site = toSource(
      valid({ kind: 'dust', ownerDepartment: 'housing', siteAreaM2: '48000', earthworkPhase: 'earthwork', cookingRanges: '4' }),
    );
    expect(site).toMatchObject({ ownerDepartment: 'housing', siteAreaM2: 48000, earthworkPhase: 'earthwork' });
    expect(site).not.toHaveProperty('cookingRanges');
    expect(toSource(sourceDraftOf(site as SourceFile))).toEqual(site);
    const kitchen = toSource(
      valid({
        kind: 'catering',
        ownerDepartment: 'urban-management',
        purifierType: 'electrostatic',
        cookingRanges: '8',
        floorAreaM2: '460',
      }),
    );
    expect(kitchen).toMatchObject({
      ownerDepartment: 'urban-management',
      purifierType: 'electrostatic',
      cookingRanges: 8,
      floorAreaM2: 460,
    });
    expect(sourceSchema.safeParse(kitchen).success).toBe(true);
    expect(validateSource(valid({ kind: 'catering', cookingRanges: '2.5' }))).toEqual({ cookingRanges: 'cookingRanges' });
    expect(validateSource(valid({ kind: 'dust', siteAreaM2: '0' }))).toEqual({ siteAreaM2: 'positive' });
  });

  it.each<[string, Partial<SourceDraft>, Record<string, string>]>([
    [
      'nothing typed',
      { mn: '', name: '', lat: '', lon: '', enterpriseId: '' },
      { mn: 'required', name: 'required', lat: 'required', lon: 'required', enterpriseId: 'required' },
    ],
    ['a short MN', { mn: '2113' }, { mn: 'mn' }],
    ['a latitude of 91', { lat: '91' }, { lat: 'lat' }],
    ['a longitude that is not a number', { lon: 'east' }, { lon: 'lon' }],
    ['reference O2 of 21 %', { o2Ref: '21' }, { o2Ref: 'o2Ref' }],
    ['a 600 m stack', { stackHeightM: '600' }, { stackHeightM: 'stackHeight' }],
    ['a zero interval', { intervalS: '0' }, { intervalS: 'positiveInt' }],
    ['an ftp video URL', { videoUrl: 'ftp://cam/1' }, { videoUrl: 'videoUrl' }],
    ['a due date not YYYY-MM-DD', { due: { ...emptySourceDraft().due, obligated: '2027/1/1' } }, { 'due.obligated': 'date' }],
    ['201 nozzles', { kind: 'vapour', nozzleCount: '201' }, { nozzleCount: 'nozzleCount' }],
    ['a limit without a factor', { limits: [{ ...emptyLimit(), max: '1' }] }, { 'limits.0.factor': 'required' }],
    ['a limit without bounds', { limits: [emptyLimit('a21026')] }, { 'limits.0.max': 'limitNeedsBound' }],
    ['a limit with min above max', { limits: [{ ...emptyLimit('a21026'), max: '5', min: '9' }] }, { 'limits.0.min': 'minBelowMax' }],
    ['a limit max that is text', { limits: [{ ...emptyLimit('a21026'), max: 'fifty' }] }, { 'limits.0.max': 'number' }],
    [
      'two standing limits of one factor',
      {
        limits: [
          { ...emptyLimit('a21026'), max: '5' },
          { ...emptyLimit('a21026'), max: '6' },
        ],
      },
      { 'limits.1.factor': 'duplicateFactor' },
    ],
    [
      'a dated limit ending before it starts',
      { limits: [{ ...emptyLimit('a21002'), max: '50', from: '2027-06-01', until: '2027-01-01' }] },
      { 'limits.0.until': 'untilAfterFrom' },
    ],
    [
      'a dated limit with a bad date',
      { limits: [{ ...emptyLimit('a21002'), max: '50', from: '2027-13-01' }] },
      { 'limits.0.from': 'date' },
    ],
  ])('%s', (_, over, errors) => {
    expect(validateSource(valid(over))).toEqual(errors);
  });
});
