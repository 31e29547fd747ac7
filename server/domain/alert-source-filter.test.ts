import { describe, expect, it } from 'vitest';
import { type AlertSourceFacts, type AlertSourceFilter, narrowBySource } from './alert-source-filter';

const sources: AlertSourceFacts[] = [
  { mn: 'A1', name: '1号机组SCR出口', kind: 'ammonia', district: '临淄区', enterpriseName: '齐鲁示范热电有限公司' },
  { mn: 'B1', name: '窑尾SNCR出口', kind: 'ammonia', district: '淄川区', enterpriseName: '淄川建材水泥有限公司' },
  { mn: 'B2', name: '窑尾烟囱', kind: 'cems', district: '淄川区', enterpriseName: '淄川建材水泥有限公司' },
  { mn: 'K1', name: 'Kitchen One', kind: 'catering', district: '张店区', enterpriseName: 'Food Co', ownerDepartment: 'market-regulation' },
];

describe('narrowBySource', () => {
  it.each<{ name: string; f: AlertSourceFilter; want: ReturnType<typeof narrowBySource> }>([
    { name: 'no filter: nothing to narrow', f: {}, want: {} },
    { name: 'district', f: { district: '淄川区' }, want: { mns: ['B1', 'B2'] } },
    { name: 'district and kind', f: { district: '淄川区', kind: 'ammonia' }, want: { mns: ['B1'] } },
    { name: 'department', f: { department: 'market-regulation' }, want: { mns: ['K1'] } },
    { name: 'a district nobody is in: no source', f: { district: '无此区' }, want: { mns: [] } },
    { name: 'text on the source’s name', f: { q: '窑尾' }, want: { qMns: ['B1', 'B2'], qFactors: [] } },
    { name: 'text on the enterprise’s name, any case', f: { q: 'food co' }, want: { qMns: ['K1'], qFactors: [] } },
    { name: 'text on a factor’s name (Chinese)', f: { q: '氨逃逸' }, want: { qMns: [], qFactors: ['a21001'] } },
    { name: 'blank text is no filter', f: { q: '  ' }, want: {} },
    { name: 'both', f: { kind: 'cems', q: 'scr' }, want: { mns: ['B2'], qMns: ['A1'], qFactors: [] } },
  ])('$name', ({ f, want }) => {
    expect(narrowBySource(sources, f)).toEqual(want);
  });
});
