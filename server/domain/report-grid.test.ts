import { describe, expect, it } from 'vitest';
import type { HourlyRow } from './report';
import { cellMark, hourlyGrid } from './report-grid';

const D = Date.parse('2026-07-01T00:00:00+08:00');
const H = 3_600_000;
const row = (hour: number, factor: string, over: Partial<HourlyRow> = {}): HourlyRow => ({
  hour: D + hour * H,
  factor,
  unit: 'mg/m³',
  value: 45,
  measured: 30,
  converted: factor === 'a21002',
  validInputs: 60,
  inputs: 60,
  valid: true,
  flag: 'N',
  limit: factor === 'a21002' ? { max: 50, o2Converted: true } : null,
  exceeds: false,
  ...over,
});

describe('hourly grid (时段 × 因子)', () => {
  it('a row per hour of the day, a cell per factor in the report’s order, null where nothing came', () => {
    const g = hourlyGrid({ dayStart: D, items: [row(0, 'a19001'), row(0, 'a21002'), row(5, 'a21002', { valid: false })] });
    expect(g.rows).toHaveLength(24);
    expect(g.rows[23]?.hour).toBe(D + 23 * H);
    expect(g.factors.map((f) => [f.factor, f.converted, f.decimals])).toEqual([
      ['a19001', false, 2],
      ['a21002', true, 2],
    ]);
    expect(g.rows[0]?.cells.map((c) => c?.factor ?? null)).toEqual(['a19001', 'a21002']);
    expect(g.rows[5]?.cells.map((c) => c?.valid ?? null)).toEqual([null, false]);
    expect(g.rows[1]?.cells).toEqual([null, null]);
  });

  it.each([
    { cell: null, mark: 'none' },
    { cell: row(0, 'a21002'), mark: 'valid' },
    { cell: row(0, 'a21002', { valid: false, flag: 'M' }), mark: 'invalid' },
    { cell: row(0, 'a21002', { exceeds: true }), mark: 'exceeds' },
  ])('mark of $cell.valid / $cell.exceeds → $mark', ({ cell, mark }) => {
    expect(cellMark(cell)).toBe(mark);
  });
});
