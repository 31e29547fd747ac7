import { describe, expect, it } from 'vitest';
import { indicatorsOf, listOf, peakShiftOf, windowOf, writeIndicators, writePeakShift, writeWindow } from './reduction-cells';

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

  it.each([
    ['2026-11-15~2027-03-15', [{ from: '2026-11-15', to: '2027-03-15' }]],
    [
      '2026-11-15 至 2027-03-15（采暖季错峰停窑）、2027/5/1~2027/5/3',
      [
        { from: '2026-11-15', to: '2027-03-15', note: '采暖季错峰停窑' },
        { from: '2027-05-01', to: '2027-05-03' },
      ],
    ],
    ['2026年11月15日～2027年3月15日', [{ from: '2026-11-15', to: '2027-03-15' }]],
    ['', []],
  ] as const)('peak-shift periods %s', (cell, expected) => {
    expect(peakShiftOf(cell)).toEqual(expected);
    expect(peakShiftOf(writePeakShift(peakShiftOf(cell)))).toEqual(expected);
  });

  it.each([
    ['2026-11-15', /应写作 YYYY-MM-DD~YYYY-MM-DD/],
    ['2027-03-15~2026-11-15', /结束日期早于开始日期/],
  ])('refuses the peak-shift period %s in Chinese', (cell, message) => {
    expect(() => peakShiftOf(cell)).toThrow(message);
  });
});
