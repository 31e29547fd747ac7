/**
 * reductant-stopped: an SCR / SNCR facility's reductant flow (gqr) at or below `flowMax` (about
 * zero) while the line it serves runs (itself, when it serves none) and an outlet it names
 * (outletMns) has its latest NOx — converted to reference O2 where the outlet's limit is — above
 * that limit, for `durationS`. The NOx comes from the outlet's CEMS, judged as the rule engine does.
 */
import { RULE_IDS } from '../domain/rule-pack';
import { SIGNAL } from '../domain/working-condition';
import { facilityEvidence, servedEvidence, type FacilityInput, type Judgement, type SustainedRule } from './facility-context';

function judge({ self, served, outlets, params }: FacilityInput): Judgement {
  const flow = self.values[SIGNAL.reductantFlow];
  const unit = served ?? self;
  if (!flow || unit.running === null) return null;
  const { flowMax } = params.reductantStopped;
  const above = outlets.filter((o) => o.value > o.limit).sort((a, b) => b.value / b.limit - a.value / a.limit)[0];
  if (flow.value > flowMax || !unit.running || !above) return { holds: false, value: flow.value };
  return {
    holds: true,
    family: SIGNAL.reductantFlow,
    value: flow.value,
    limit: flowMax,
    evidence: {
      ...facilityEvidence(self.facility),
      reductantFlow: flow.value,
      flowMax,
      outletMn: above.mn,
      nox: above.value,
      noxLimit: above.limit,
      o2Converted: above.o2Converted,
      ...(served ? servedEvidence(served) : { running: self.running }),
    },
  };
}

export const reductantStoppedRule: SustainedRule = {
  rule: RULE_IDS.reductantStopped,
  severity: (p) => p.reductantStopped.severity,
  durationMs: (p) => p.reductantStopped.durationS * 1000,
  judge,
};
