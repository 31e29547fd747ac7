import { describe, expect, it } from 'vitest';
import type { EnterpriseSummary, SourceFile } from '../../api/registry';
import { emptyEnterpriseFilter, emptySourceFilter, filterEnterprises, filterSources, sourceRows } from './registry-filters';

const e = (id: string, over: Partial<EnterpriseSummary> = {}): EnterpriseSummary => ({
  id,
  name: id,
  district: '双塔区',
  sourceCount: 1,
  facilityCount: 0,
  ...over,
});
const ENTERPRISES = [
  e('coke', {
    name: '龙城焦化',
    district: '龙城区',
    industry: { code: 'C2521', name: '炼焦' },
    grade: 'B',
    keyUnit: true,
    creditCode: '91211300MA0XY31234',
  }),
  e('cement', { name: '北票水泥', district: '北票市', industry: { code: 'C3011', name: '水泥制造' }, grade: 'A' }),
  e('station', { name: '双塔加油站' }),
];
const s = (mn: string, over: Partial<SourceFile> = {}): SourceFile =>
  ({
    mn,
    enterpriseId: 'coke',
    name: mn,
    kind: 'cems',
    lat: 41,
    lon: 120,
    position: 'outlet',
    intervalS: 30,
    limits: {},
    ...over,
  }) as SourceFile;

describe('registry filters', () => {
  it.each<[string, Partial<ReturnType<typeof emptyEnterpriseFilter>>, string[]]>([
    ['nothing', {}, ['coke', 'cement', 'station']],
    ['district', { district: '北票市' }, ['cement']],
    ['industry prefix', { industry: 'c30' }, ['cement']],
    ['grade', { grade: 'B' }, ['coke']],
    ['ungraded means no grade', { grade: 'ungraded' }, ['station']],
    ['key unit', { keyUnit: 'yes' }, ['coke']],
    ['not a key unit', { keyUnit: 'no' }, ['cement', 'station']],
    ['name', { search: '水泥' }, ['cement']],
    ['credit code', { search: 'ma0xy3' }, ['coke']],
  ])('enterprises by %s', (_, over, ids) => {
    expect(filterEnterprises(ENTERPRISES, { ...emptyEnterpriseFilter(), ...over }).map((x) => x.id)).toEqual(ids);
  });

  it('sources by kind, district (own or the enterprise’s), enterprise, onboarding and MN', () => {
    const rows = sourceRows(
      [
        s('M1'),
        s('M2', { kind: 'vapour', enterpriseId: 'station', onboarding: { status: 'installed' } }),
        s('M3', { kind: 'ambient', enterpriseId: 'cement', district: '凌源市' }),
      ],
      ENTERPRISES,
    );
    const by = (over: Partial<ReturnType<typeof emptySourceFilter>>) =>
      filterSources(rows, { ...emptySourceFilter(), ...over }).map((x) => x.mn);
    expect(rows.map((r) => [r.enterpriseName, r.districtName])).toEqual([
      ['龙城焦化', '龙城区'],
      ['双塔加油站', '双塔区'],
      ['北票水泥', '凌源市'],
    ]);
    expect(by({ kind: 'vapour' })).toEqual(['M2']);
    expect(by({ district: '凌源市' })).toEqual(['M3']);
    expect(by({ enterpriseId: 'coke' })).toEqual(['M1']);
    expect(by({ onboarding: 'installed' })).toEqual(['M2']);
    expect(by({ onboarding: 'networked' })).toEqual(['M1', 'M3']);
    expect(by({ search: 'm3' })).toEqual(['M3']);
  });
});
