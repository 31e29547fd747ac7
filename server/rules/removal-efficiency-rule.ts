/**
 * removal-efficiency: a VOCs treatment unit's removal efficiency from the NMHC mass emission rates
 * at its inlet and outlet over the same closed hour (DOMAIN §1, §4):
 *   rate (kg/h) = NMHC hourly mean (mg/m³) × flow hourly mean (m³/s) × 3600 × 10⁻⁶
 *   efficiency  = (inlet − outlet) / inlet
 * Judged only where the inlet rate is ≥ `minInletKgH` (2 kg/h in key regions): below `target`
 * (0.80; some cities 0.90) is an exceedance on the outlet's NMHC, in %; at or above it, normal.
 * Rates are measured concentrations (not converted to reference O2): mass is what was emitted.
 */
import type { Finding } from '../domain/alert';
import { FLOW_FACTOR } from '../domain/catalog';
import { RULE_IDS } from '../domain/rule-pack';
import type { ClosedHour } from './hour-window';
import { exceeded, normal, type RuleContext } from './rule-context';
import type { HourRate } from './rule-state';

export const REMOVAL_EFFICIENCY_RULE = RULE_IDS.removalEfficiency;
export const NMHC_FACTOR = 'a24088';

/** kg/h from mg/m³ and m³/s. */
export const massRateKgH = (mgM3: number, flowM3s: number): number => mgM3 * flowM3s * 3600 * 1e-6;

/** The NMHC mass rate of a closed hour, if both NMHC and flow have valid hourly means. */
export function hourRate(hour: ClosedHour): HourRate | null {
  const nmhc = hour.means[NMHC_FACTOR]?.mean ?? null;
  const flow = hour.means[FLOW_FACTOR]?.mean ?? null;
  return nmhc !== null && flow !== null ? { hourStart: hour.start, kgH: massRateKgH(nmhc, flow) } : null;
}

const pct = (fraction: number): number => Math.round(fraction * 10_000) / 100;

/** Judges an outlet (`ctx`) against its inlet for one hour; nothing if the hours differ or the inlet rate is low. */
export function judgeEfficiency(inlet: HourRate, outlet: HourRate, ctx: RuleContext, inletMn: string): Finding[] {
  const p = ctx.params.removalEfficiency;
  if (inlet.hourStart !== outlet.hourStart || inlet.kgH < p.minInletKgH || inlet.kgH <= 0) return [];
  const efficiency = pct((inlet.kgH - outlet.kgH) / inlet.kgH);
  const ts = outlet.hourStart;
  if (efficiency >= pct(p.target)) return [normal(ctx.source.mn, NMHC_FACTOR, REMOVAL_EFFICIENCY_RULE, efficiency, ts)];
  return [
    exceeded(ctx.source.mn, {
      factor: NMHC_FACTOR,
      rule: REMOVAL_EFFICIENCY_RULE,
      severity: p.severity,
      value: efficiency,
      limit: pct(p.target),
      unit: '%',
      ts,
      evidence: { inletMn, inletKgH: inlet.kgH, outletKgH: outlet.kgH, windowStart: ts, windowEnd: ts + 3_600_000 },
    }),
  ];
}
