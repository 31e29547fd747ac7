/**
 * A facility rule's condition held over time (every facility rule but start-order): the pure step
 * the facility engine applies to each rule's verdict on each judgement.
 */
import type { Finding } from '../domain/alert';
import { catalog } from '../domain/catalog';
import { signalCode } from '../domain/working-condition';
import { meterEvidence, type FacilityInput, type FacilityKey, type SustainedRule } from './facility-context';
import { NO_CONDITION, type Condition } from './facility-state';

/**
 * One judgement of a sustained rule: holding counts from its first instant and raises once the
 * rule's duration has passed (and, raised, repeats on the facility's own readings: `update`); not
 * holding clears; unknown keeps a raised condition and restarts the count of one not yet raised.
 * Findings go to the facility's key (`mn`, and the rule's signal family on `channel`); a value read
 * from the meters serving the facility names them in the evidence.
 */
export function sustain(
  { mn, channel }: FacilityKey,
  cond: Condition,
  rule: SustainedRule,
  input: FacilityInput,
  update: boolean,
): { cond: Condition; findings: Finding[] } {
  const j = rule.judge(input);
  const { at, params, self } = input;
  if (j === null) return { cond: cond.active || cond.since === null ? cond : NO_CONDITION, findings: [] };
  if (!j.holds) {
    if (!cond.active || cond.factor === null) return { cond: cond.since === null ? cond : NO_CONDITION, findings: [] };
    return {
      cond: NO_CONDITION,
      findings: [{ type: 'normal', mn, factor: cond.factor, rule: rule.rule, value: j.value ?? cond.value ?? 0, ts: at }],
    };
  }
  const since = cond.since ?? at;
  const raise = cond.active || at - since >= rule.durationMs(params);
  const factor = cond.active && cond.factor !== null ? cond.factor : signalCode(j.family, channel);
  const next: Condition = { since, active: raise, factor: raise ? factor : null, value: j.value };
  if (!raise || (cond.active && !update)) return { cond: next, findings: [] };
  const finding: Finding = {
    type: 'exceeded',
    mn,
    factor,
    rule: rule.rule,
    severity: rule.severity(params),
    value: j.value,
    limit: j.limit,
    unit: catalog.get(factor)?.unit ?? '',
    ts: at,
    evidence: { ...j.evidence, ...meterEvidence(self.values[j.family]), since },
  };
  return { cond: next, findings: [finding] };
}
