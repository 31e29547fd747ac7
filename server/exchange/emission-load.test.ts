import { describe, expect, it } from 'vitest';
import type { FactorHourStats } from '../storage/hourly-rollup';
import type { StoredRecord } from '../storage/telemetry-store';
import { hourLoadFromMeans, LOAD_POLLUTANTS, sourceLoads } from './emission-load';

const H = 3_600_000;
const stats = (values: number[], invalid = 0): FactorHourStats => ({
  n: values.length + invalid,
  nValid: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  nZs: 0,
  sumZs: 0,
  flag: 'N',
});
const hourOf = (ts: number) => Math.floor(ts / H) * H;

describe('emission loads (DOMAIN §4: mg/m³ × m³/s × 3600 × 10⁻⁶ = kg per hour)', () => {
  it('the pollutants are those whose Cou is a mass', () => {
    expect([...LOAD_POLLUTANTS].sort()).toEqual(['a21002', 'a21026', 'a24088', 'a34013']);
  });

  it.each([
    // NOx mean 30 mg/m³, flow mean 100 m³/s → 10.8 kg
    [{ a21002: stats([30, 30]), a00000: stats([100, 100]) }, 10.8],
    // means over valid inputs only: (20 + 40) / 2 = 30 mg/m³; (50 + 150) / 2 = 100 m³/s
    [{ a21002: stats([20, 40], 3), a00000: stats([50, 150], 1) }, 10.8],
    // no valid flow, or no valid concentration: nothing
    [{ a21002: stats([30]), a00000: stats([], 5) }, null],
    [{ a00000: stats([100]) }, null],
  ])('hour %# → %s kg', (factors, kg) => {
    const got = hourLoadFromMeans({ factors }, 'a21002');
    if (kg === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(kg, 9);
  });

  it('an hour with the logger’s Cou (flagged N) takes it instead of the means; others come from the means', () => {
    const hours = new Map<number, { factors: Record<string, FactorHourStats> }>([
      [0, { factors: { a21002: stats([30]), a00000: stats([100]), a21026: stats([20]) } }], // NOx 10.8 (but Cou 12), SO2 7.2
      [H, { factors: { a21002: stats([40]), a00000: stats([50]) } }], // NOx 7.2
    ]);
    const records: StoredRecord[] = [
      { ts: 0, factors: { a21002: { avg: 31, cou: 12, flag: 'N' } } },
      { ts: 2 * H, factors: { a21002: { avg: 31, cou: 5, flag: 'N' }, a21026: { cou: 9, flag: 'D' } } }, // SO2 Cou not valid
    ];
    const loads = sourceLoads(hours, records, hourOf);
    expect(loads.get('a21002')).toEqual({ load: 12 + 7.2 + 5, hours: 3, couHours: 2 });
    expect(loads.get('a21026')?.load).toBeCloseTo(7.2, 9);
    expect(loads.get('a21026')).toMatchObject({ hours: 1, couHours: 0 });
    expect(loads.has('a34013')).toBe(false);
  });
});
