/**
 * fgr-closed: a boiler's (a production line's) flue-gas recirculation valve position (gvp) at or
 * below `closedMaxPct` while the boiler fires (runs by its power, current or running state), for
 * `durationS`: recirculation off raises NOx that the outlet's limit assumes it keeps down.
 */
import { RULE_IDS } from '../domain/rule-pack';
import { SIGNAL } from '../domain/working-condition';
import { facilityEvidence, ownRunEvidence, type FacilityInput, type Judgement, type SustainedRule } from './facility-context';

function judge({ self, params }: FacilityInput): Judgement {
  const valve = self.values[SIGNAL.valvePosition];
  if (self.facility.kind !== 'production-line' || !valve || self.running === null) return null;
  const { closedMaxPct } = params.fgrClosed;
  if (!self.running || valve.value > closedMaxPct) return { holds: false, value: valve.value };
  return {
    holds: true,
    family: SIGNAL.valvePosition,
    value: valve.value,
    limit: closedMaxPct,
    evidence: { ...facilityEvidence(self.facility), valvePct: valve.value, closedMaxPct, ...ownRunEvidence(self) },
  };
}

export const fgrClosedRule: SustainedRule = {
  rule: RULE_IDS.fgrClosed,
  severity: (p) => p.fgrClosed.severity,
  durationMs: (p) => p.fgrClosed.durationS * 1000,
  judge,
};
