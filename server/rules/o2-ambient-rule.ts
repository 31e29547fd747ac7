/**
 * o2-ambient (suspected falsification, issue 19 / plans A9): O2 at or above `o2Min` (default 20 %,
 * near the 20.9 % of ambient air) while the flow (a00000, m³/s) shows the unit running (above
 * `flowMin`) for `durationS` (default 30 min): the sample line draws air — a disconnected probe,
 * or the stack diluted with air — and every value converted to reference O2 is meaningless. Raised
 * (default major) by the sample that completes the duration, with the numbers as evidence; O2 below
 * `o2Min` while running clears it. A stopped unit (flow at or below `flowMin`: a cold stack full of
 * air) restarts the count without clearing. Samples without a valid O2 and flow are not judged.
 * O(1) state per source.
 */
import type { Finding } from '../domain/alert';
import { FLOW_FACTOR, O2_FACTOR } from '../domain/catalog';
import { isValidFlag, primaryValue, type Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { exceeded, normal, type RuleContext, type Step, NO_FINDINGS } from './rule-context';
import { NO_SUSPECT, type Suspect } from './rule-state';

export const O2_AMBIENT_RULE = RULE_IDS.o2Ambient;

const valid = (reading: Reading, factor: string): number | undefined => {
  const fv = reading.factors[factor];
  return fv && isValidFlag(fv.flag) ? primaryValue(reading.cn, fv) : undefined;
};

export function o2AmbientStep(s: Suspect, reading: Reading, ctx: RuleContext): Step<Suspect> {
  const o2 = valid(reading, O2_FACTOR);
  const flow = valid(reading, FLOW_FACTOR);
  if (o2 === undefined || flow === undefined) return { state: s, findings: NO_FINDINGS };
  const p = ctx.params.o2Ambient;
  const { mn } = ctx.source;
  if (flow <= p.flowMin) return { state: { ...NO_SUSPECT, active: s.active }, findings: NO_FINDINGS };
  if (o2 < p.o2Min) {
    const findings: Finding[] = s.active ? [normal(mn, O2_FACTOR, O2_AMBIENT_RULE, o2, reading.ts)] : [];
    return { state: NO_SUSPECT, findings };
  }
  const since = s.since ?? reading.ts;
  const next: Suspect = { run: s.run + 1, since, last: reading.ts, active: s.active };
  if (next.active || reading.ts - since < p.durationS * 1000) return { state: next, findings: NO_FINDINGS };
  const finding = exceeded(mn, {
    factor: O2_FACTOR,
    rule: O2_AMBIENT_RULE,
    severity: p.severity,
    value: o2,
    limit: p.o2Min,
    ts: reading.ts,
    evidence: { since, windowEnd: reading.ts, samples: next.run, flow, flowMin: p.flowMin, durationS: p.durationS },
  });
  return { state: { ...next, active: true }, findings: [finding] };
}
