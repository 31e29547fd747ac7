/**
 * fgr-closed: a boiler's flue-gas recirculation valve position (gvp) at or below `closedMaxPct`
 * while the boiler fires (runs by its power, current or running state), for `durationS`:
 * recirculation off raises NOx that the outlet's limit assumes it keeps down. The valve is the
 * boiler's own signal (a production line), or that of its FGR registered as a treatment facility
 * serving it (then the boiler it serves must fire).
 */
import { RULE_IDS } from '../domain/rule-pack';
import { SIGNAL } from '../domain/working-condition';
import {
  facilityEvidence,
  ownRunEvidence,
  servedEvidence,
  type FacilityInput,
  type Judgement,
  type SustainedRule,
} from './facility-context';

function judge({ self, served, params }: FacilityInput): Judgement {
  const valve = self.values[SIGNAL.valvePosition];
  const boiler = self.facility.kind === 'production-line' ? self : self.facility.kind === 'treatment' ? served : undefined;
  if (!boiler || !valve || boiler.running === null) return null;
  const { closedMaxPct } = params.fgrClosed;
  if (!boiler.running || valve.value > closedMaxPct) return { holds: false, value: valve.value };
  const run = boiler === self ? ownRunEvidence(self) : servedEvidence(boiler);
  return {
    holds: true,
    family: SIGNAL.valvePosition,
    value: valve.value,
    limit: closedMaxPct,
    evidence: { ...facilityEvidence(self.facility), valvePct: valve.value, closedMaxPct, ...run },
  };
}

export const fgrClosedRule: SustainedRule = {
  rule: RULE_IDS.fgrClosed,
  severity: (p) => p.fgrClosed.severity,
  durationMs: (p) => p.fgrClosed.durationS * 1000,
  judge,
};
