/**
 * Campaign compliance maths (pure). An outlet's emission rate per hour (DOMAIN §4):
 *   kg/h = concentration (mg/m³) × flow (m³/s) × 3600 × 10⁻⁶
 * on the hour means of valid values. Its mean over the campaign hours is compared with its
 * baseline: the mean over the same local hours of day during the `baselineDays` days before the
 * campaign began. Reduction = (baseline − current) / baseline × 100; below the target → flagged.
 */
import type { EmissionComparison } from '../domain/campaign';
import { DAY_MS, HOUR_MS, hourOfDay, hourStartOf } from '../domain/local-time';

export const emissionRateKgH = (concentrationMgM3: number, flowM3s: number): number => concentrationMgM3 * flowM3s * 3600 * 1e-6;

/** Hourly emission rates where both the concentration and the flow have a valid hour mean. */
export function hourlyRates(concentration: ReadonlyMap<number, number>, flow: ReadonlyMap<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [h, c] of concentration) {
    const q = flow.get(h);
    if (q !== undefined) out.set(h, emissionRateKgH(c, q));
  }
  return out;
}

/** The local hours of day the window [from, to) covers (all 24 once it spans a day). */
export function hoursOfDay(from: number, to: number, offsetMin: number): Set<number> {
  const out = new Set<number>();
  for (let h = hourStartOf(from, offsetMin); h < to && out.size < 24; h += HOUR_MS) out.add(hourOfDay(h, offsetMin));
  return out;
}

export interface BaselineInput {
  /** Hour start → kg/h. */
  rates: ReadonlyMap<number, number>;
  /** The campaign hours compared, [from, to). */
  window: { from: number; to: number };
  baselineDays: number;
  targetPct: number;
  minHours: number;
  offsetMin: number;
}

export type BaselineResult = Pick<
  EmissionComparison,
  'baselineKgH' | 'currentKgH' | 'baselineHours' | 'currentHours' | 'reductionPct' | 'status'
>;

/** The baseline range of a window: the `days` days before the hour the campaign began. */
export const baselineRange = (windowFrom: number, days: number, offsetMin: number): { from: number; to: number } => {
  const to = hourStartOf(windowFrom, offsetMin);
  return { from: to - days * DAY_MS, to };
};

export function compareWithBaseline(input: BaselineInput): BaselineResult {
  const { window, offsetMin } = input;
  const start = hourStartOf(window.from, offsetMin);
  const base = baselineRange(window.from, input.baselineDays, offsetMin);
  const hod = hoursOfDay(window.from, window.to, offsetMin);
  const current: number[] = [];
  const baseline: number[] = [];
  for (const [h, r] of input.rates) {
    if (h >= start && h < window.to) current.push(r);
    else if (h >= base.from && h < base.to && hod.has(hourOfDay(h, offsetMin))) baseline.push(r);
  }
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  const baselineKgH = mean(baseline);
  const currentKgH = mean(current);
  const counts = { baselineKgH, currentKgH, baselineHours: baseline.length, currentHours: current.length };
  if (baselineKgH === null || currentKgH === null || baseline.length < input.minHours || current.length < input.minHours) {
    return { ...counts, reductionPct: null, status: 'nodata' };
  }
  if (baselineKgH <= 0) return { ...counts, reductionPct: null, status: currentKgH <= 0 ? 'reduced' : 'not_reduced' };
  const reductionPct = ((baselineKgH - currentKgH) / baselineKgH) * 100;
  return { ...counts, reductionPct, status: reductionPct >= input.targetPct - 1e-9 ? 'reduced' : 'not_reduced' };
}
