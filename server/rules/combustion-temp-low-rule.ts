/**
 * combustion-temp-low: an RTO or catalytic oxidiser's combustion temperature (gtc) below its
 * minimum — the facility's minTempC, else the pack's — while its fan runs (the facility's own
 * power, current or running state), for `durationS`. A flare's temperature is flare-upset's.
 */
import { RULE_IDS } from '../domain/rule-pack';
import { SIGNAL } from '../domain/working-condition';
import { facilityEvidence, ownRunEvidence, type FacilityInput, type Judgement, type SustainedRule } from './facility-context';

function judge({ self, params }: FacilityInput): Judgement {
  const temp = self.values[SIGNAL.combustionTemp];
  if (!temp || self.values[SIGNAL.flareGasFlow] || self.running === null) return null;
  const minTempC = self.facility.minTempC ?? params.combustionTempLow.minTempC;
  if (!self.running || temp.value >= minTempC) return { holds: false, value: temp.value };
  return {
    holds: true,
    family: SIGNAL.combustionTemp,
    value: temp.value,
    limit: minTempC,
    evidence: { ...facilityEvidence(self.facility), tempC: temp.value, minTempC, ...ownRunEvidence(self) },
  };
}

export const combustionTempLowRule: SustainedRule = {
  rule: RULE_IDS.combustionTempLow,
  severity: (p) => p.combustionTempLow.severity,
  durationMs: (p) => p.combustionTempLow.durationS * 1000,
  judge,
};
