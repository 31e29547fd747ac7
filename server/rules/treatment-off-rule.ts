/**
 * treatment-off: a treatment facility not running while what it `serves` runs — a production line,
 * or a catering kitchen's fan registered as one — for `durationS` (major by default). The finding
 * names the treatment facility's signal that shows it stopped (power, current or running state).
 */
import { RULE_IDS } from '../domain/rule-pack';
import {
  facilityEvidence,
  runningSignal,
  servedEvidence,
  type FacilityInput,
  type Judgement,
  type SustainedRule,
} from './facility-context';

function judge({ self, served }: FacilityInput): Judgement {
  if (self.facility.kind !== 'treatment' || !served) return { holds: false };
  const signal = runningSignal(self);
  if (self.running === null || served.running === null || !signal) return null;
  if (self.running || !served.running) return { holds: false, value: signal.value };
  return {
    holds: true,
    ...signal,
    evidence: { ...facilityEvidence(self.facility), stoppedSince: self.since, ...servedEvidence(served) },
  };
}

export const treatmentOffRule: SustainedRule = {
  rule: RULE_IDS.treatmentOff,
  severity: (p) => p.treatmentOff.severity,
  durationMs: (p) => p.treatmentOff.durationS * 1000,
  judge,
};
