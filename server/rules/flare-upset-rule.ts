/**
 * flare-upset: gas to a flare (gqf above `gasMin`) while it does not burn it properly — no assist
 * gas (gqa at or below `assistMax`), its combustion temperature (gtc) below the minimum (the
 * facility's minTempC, else the pack's 760 °C), or its pilot flame (gpf) out — for `durationS`.
 * Only the signals the flare sends (and fresh) are judged.
 */
import { RULE_IDS } from '../domain/rule-pack';
import { SIGNAL } from '../domain/working-condition';
import { facilityEvidence, type FacilityInput, type Judgement, type SustainedRule } from './facility-context';

function judge({ self, params }: FacilityInput): Judgement {
  const { values, facility } = self;
  const gas = values[SIGNAL.flareGasFlow];
  if (!gas) return null;
  const p = params.flareUpset;
  const minTempC = facility.minTempC ?? p.minTempC;
  const assist = values[SIGNAL.assistGasFlow];
  const temp = values[SIGNAL.combustionTemp];
  const pilot = values[SIGNAL.pilotFlame];
  const noAssist = assist !== undefined && assist.value <= p.assistMax;
  const tempLow = temp !== undefined && temp.value < minTempC;
  const pilotOut = pilot !== undefined && pilot.value === 0;
  if (gas.value <= p.gasMin || !(noAssist || tempLow || pilotOut)) return { holds: false, value: gas.value };
  return {
    holds: true,
    family: SIGNAL.flareGasFlow,
    value: gas.value,
    limit: p.gasMin,
    evidence: {
      ...facilityEvidence(facility),
      gasFlow: gas.value,
      assistFlow: assist?.value ?? null,
      tempC: temp?.value ?? null,
      minTempC,
      pilotLit: pilot ? pilot.value === 1 : null,
      noAssist,
      tempLow,
      pilotOut,
    },
  };
}

export const flareUpsetRule: SustainedRule = {
  rule: RULE_IDS.flareUpset,
  severity: (p) => p.flareUpset.severity,
  durationMs: (p) => p.flareUpset.durationS * 1000,
  judge,
};
