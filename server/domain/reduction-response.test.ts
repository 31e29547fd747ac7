import { describe, expect, it } from 'vitest';
import type { LevelMeasure, ReductionEntry } from './reduction-list';
import { planResponse, type ResponseEnterprise } from './reduction-response';

const m = (action: LevelMeasure['action'], nox: number, limitToPct?: number): LevelMeasure => ({
  action,
  ...(limitToPct !== undefined && { limitToPct }),
  indicators: [],
  expectedKgH: action === 'unchanged' ? {} : { nox },
});
const line = (id: string): ReductionEntry => ({
  id,
  facilityId: `${id}-line`,
  name: `${id} 生产线`,
  outletMns: [],
  meterIds: [],
  measures: { yellow: m('limit', 10, 80), orange: m('limit', 20, 50), red: m('stop', 40) },
  responsible: { name: '王工', phone: '13700000000' },
});
const lists: Record<string, { year: number; version: number; entries: ReductionEntry[] }> = {
  'b-steel': { year: 2026, version: 2, entries: [line('e1')] },
  'c-coke': { year: 2026, version: 1, entries: [line('e1')] },
  'a-glass': { year: 2026, version: 1, entries: [line('e1')] },
  'far-away': { year: 2026, version: 1, entries: [line('e1')] },
};
const enterprises: ResponseEnterprise[] = [
  { id: 'c-coke', district: '双塔区', grade: 'C' },
  { id: 'b-steel', district: '双塔区', grade: 'B' },
  { id: 'a-glass', district: '龙城区', grade: 'A' },
  { id: 'no-list', district: '龙城区' },
  { id: 'far-away', district: '北票市', grade: 'C' },
];
const plan = (level: 'yellow' | 'orange' | 'red') =>
  planResponse(level, ['双塔区', '龙城区'], enterprises, (id) => lists[id], {
    isLine: () => true,
    cityTonnesPerYear: { nox: 8760 }, // 1,000 kg/h
  });

describe('planResponse', () => {
  it('resolves a B and a C enterprise differently at orange, in id order, only in the warning’s counties', () => {
    const p = plan('orange');
    expect(p.enterprises.map((e) => [e.enterpriseId, e.grade, e.list?.version ?? null, e.required])).toEqual([
      ['a-glass', 'A', 1, 0], // voluntary: nothing required
      ['b-steel', 'B', 2, 1],
      ['c-coke', 'C', 1, 1],
      ['no-list', 'ungraded', null, 0],
    ]);
    const measureOf = (id: string) => p.enterprises.find((e) => e.enterpriseId === id)?.measures[0]?.measure;
    expect(measureOf('b-steel')).toMatchObject({ action: 'limit', limitToPct: 80 }); // yellow's measure
    expect(measureOf('c-coke')).toMatchObject({ action: 'limit', limitToPct: 50 });
    expect(p.withoutList).toEqual(['no-list']);
  });

  it('sums the required reductions for the city check', () => {
    // orange: B takes yellow's 10, C orange's 20; A's 20 is voluntary
    expect(plan('orange').city.find((c) => c.pollutant === 'nox')).toMatchObject({
      expectedKgH: 30,
      sharePct: 3,
      targetPct: 20,
      pass: false,
    });
    // red: B takes orange's 20, C red's 40
    expect(plan('red').city.find((c) => c.pollutant === 'nox')).toMatchObject({ expectedKgH: 60, targetPct: 30 });
  });
});
