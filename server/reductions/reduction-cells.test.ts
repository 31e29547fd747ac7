import { describe, expect, it } from 'vitest';
import { indicatorsOf, listOf, windowOf, writeIndicators, writeWindow } from './reduction-cells';

describe('reduction workbook cells', () => {
  it.each([
    ['电力 sinter-1≤50kW', [{ kind: 'line-power', facilityId: 'sinter-1', maxKw: 50 }]],
    ['流量 88888880000001<=1000m³/h', [{ kind: 'outlet-flow', mn: '88888880000001', maxM3h: 1000 }]],
    ['限值 88888880000001 a21002≤35', [{ kind: 'limit', mn: '88888880000001', code: 'a21002', limit: 35 }]],
    [
      '电力 sinter-1≤50kW；流量 88888880000001≤1000m3/h;限值 88888880000001 A21002 ≤ 35mg/m³',
      [
        { kind: 'line-power', facilityId: 'sinter-1', maxKw: 50 },
        { kind: 'outlet-flow', mn: '88888880000001', maxM3h: 1000 },
        { kind: 'limit', mn: '88888880000001', code: 'a21002', limit: 35 },
      ],
    ],
    ['', []],
  ] as const)('indicators %s', (cell, expected) => {
    expect(indicatorsOf(cell)).toEqual(expected);
    expect(indicatorsOf(writeIndicators(indicatorsOf(cell)))).toEqual(expected);
  });

  it.each(['电力 sinter-1 50kW', '功率 sinter-1≤50kW', '限值 88888880000001≤35'])('refuses the indicator %s in Chinese', (cell) => {
    expect(() => indicatorsOf(cell)).toThrow(/关键指标「.+」无法识别/);
  });

  it.each([
    ['09:00-17:00', { from: '09:00', to: '17:00' }],
    ['22:00～6:00', { from: '22:00', to: '06:00' }],
    ['9：00 至 17:30', { from: '09:00', to: '17:30' }],
    ['', undefined],
    ['全天', undefined],
  ] as const)('window %s', (cell, expected) => {
    expect(windowOf(cell)).toEqual(expected);
    expect(windowOf(writeWindow(windowOf(cell)))).toEqual(expected);
  });

  it.each(['9-17', '09:00-09:00', '25:00-06:00'])('refuses the window %s', (cell) => {
    expect(() => windowOf(cell)).toThrow(/时段/);
  });

  it('reads lists separated by 、 commas or spaces', () => {
    expect(listOf('88888880000001、88888880000002, 88888880000003', '排口MN')).toEqual([
      '88888880000001',
      '88888880000002',
      '88888880000003',
    ]);
    expect(listOf(undefined, '电表')).toEqual([]);
  });
});
