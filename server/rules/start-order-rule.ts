/**
 * start-order (先启后停): a treatment facility must start at least `startLeadS` before the line it
 * serves starts, and stop at least `stopLagS` after the line stops. Judged on the transitions: when
 * the line starts (the treatment facility must have been running since lead before), and when the
 * treatment facility stops (the line must have stopped lag before). A breach raises the condition;
 * the next transition judged in order clears it. The value is the lead (lag) seen, in seconds.
 */
import type { Evidence } from '../domain/alert';
import { RULE_IDS, type RuleParams } from '../domain/rule-pack';
import type { SignalFamilyKey } from '../domain/working-condition';
import { facilityEvidence, runningSignal, servedEvidence, type FacilityView } from './facility-context';

export const START_ORDER_RULE = RULE_IDS.startOrder;

/** A running-state change of a facility, at the logger time of the first sample showing it. */
export interface Transition {
  to: boolean;
  at: number;
}

/** breach: raise with the lead or lag seen (s) against the minimum; inOrder: clear; null: nothing to judge. */
export type OrderVerdict =
  { kind: 'breach'; family: SignalFamilyKey; value: number; limit: number; evidence: Evidence } | { kind: 'inOrder' } | null;

/** The line served started at `t.at`: was the treatment facility running since at least the lead before? */
export function onLineStart(treatment: FacilityView, line: FacilityView, t: Transition, params: RuleParams): OrderVerdict {
  if (!t.to || treatment.facility.kind !== 'treatment') return null;
  const signal = runningSignal(treatment);
  if (treatment.running === null || !signal) return null;
  const limit = params.startOrder.startLeadS;
  const lead = treatment.running && treatment.since !== null ? Math.max(0, (t.at - treatment.since) / 1000) : 0;
  if (lead >= limit) return { kind: 'inOrder' };
  const evidence = {
    ...facilityEvidence(treatment.facility),
    ...servedEvidence(line),
    lineStartedAt: t.at,
    treatmentRunning: treatment.running,
    treatmentSince: treatment.since,
    leadS: lead,
    startLeadS: limit,
  };
  return { kind: 'breach', family: signal.family, value: lead, limit, evidence };
}

/** The treatment facility stopped at `t.at`: had the line it serves stopped at least the lag before? */
export function onTreatmentStop(treatment: FacilityView, line: FacilityView, t: Transition, params: RuleParams): OrderVerdict {
  if (t.to || treatment.facility.kind !== 'treatment') return null;
  const signal = runningSignal(treatment);
  if (line.running === null || !signal) return null;
  const limit = params.startOrder.stopLagS;
  const lag = !line.running && line.since !== null ? Math.max(0, (t.at - line.since) / 1000) : 0;
  if (lag >= limit) return { kind: 'inOrder' };
  const evidence = {
    ...facilityEvidence(treatment.facility),
    ...servedEvidence(line),
    treatmentStoppedAt: t.at,
    lagS: lag,
    stopLagS: limit,
  };
  return { kind: 'breach', family: signal.family, value: lag, limit, evidence };
}
