/**
 * bypass-open: a facility's bypass valve open (gbv = 1) or its lead seal broken (gsl = 1) —
 * critical, at once. The finding names the valve's signal when the facility sends one, else the
 * seal's; it clears once neither says so.
 */
import { RULE_IDS } from '../domain/rule-pack';
import { SIGNAL } from '../domain/working-condition';
import { facilityEvidence, type FacilityInput, type Judgement, type SustainedRule } from './facility-context';

function judge({ self }: FacilityInput): Judgement {
  const valve = self.values[SIGNAL.bypassValve];
  const seal = self.values[SIGNAL.bypassSeal];
  if (!valve && !seal) return null;
  const open = valve?.value === 1;
  const broken = seal?.value === 1;
  const family = valve ? SIGNAL.bypassValve : SIGNAL.bypassSeal;
  const value = (valve ?? seal)?.value ?? 0;
  if (!open && !broken) return { holds: false, value };
  return {
    holds: true,
    family,
    value,
    limit: 0,
    evidence: { ...facilityEvidence(self.facility), valveOpen: valve ? open : null, sealBroken: seal ? broken : null },
  };
}

export const bypassOpenRule: SustainedRule = {
  rule: RULE_IDS.bypassOpen,
  severity: (p) => p.bypassOpen.severity,
  durationMs: () => 0,
  judge,
};
