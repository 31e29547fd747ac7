import { describe, expect, it } from 'vitest';
import type { EnterpriseSummary, SourceFile } from '../../api/registry';
import { emptyEnterpriseFilter, emptySourceFilter, filterEnterprises, onboardingOf, sourceListParams } from './registry-filters';

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

  it('the source list state becomes the server’s query; what it would refuse is left out', () => {
    expect(sourceListParams(emptySourceFilter())).toEqual({ sort: 'registry', order: 'asc', page: 1, pageSize: 50 });
    const state = {
      ...emptySourceFilter(),
      q: ' 窑尾 ',
      kind: 'vapour',
      district: '凌源市',
      enterpriseId: 'coke',
      onboarding: 'installed',
      ownerDepartment: 'housing',
    };
    expect(sourceListParams({ ...state, sort: 'name', order: 'desc', page: '3', pageSize: '100' })).toEqual({
      q: '窑尾',
      kind: 'vapour',
      district: '凌源市',
      enterpriseId: 'coke',
      onboarding: 'installed',
      ownerDepartment: 'housing',
      sort: 'name',
      order: 'desc',
      page: 3,
      pageSize: 100,
    });
    const hand = {
      ...emptySourceFilter(),
      kind: 'boiler',
      onboarding: 'done',
      ownerDepartment: 'police',
      sort: 'pw',
      order: 'up',
      page: '-1',
      pageSize: '9999',
    };
    expect(sourceListParams(hand)).toEqual({ page: 1, pageSize: 500 });
  });

  it('a source without an onboarding state is networked', () => {
    expect(onboardingOf(s('M1'))).toBe('networked');
    expect(onboardingOf(s('M2', { onboarding: { status: 'installed' } }))).toBe('installed');
  });
});
