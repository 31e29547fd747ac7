/**
 * A factor's data flag raising a condition (DOMAIN §3): the shared machine of instrument-fault and
 * maintenance-flag. A watched flag raises (and updates) it; the factor's next N-flagged value
 * clears it; any other flag leaves it as it is. Only sample readings count (the live flags; a
 * minute or hour aggregate arriving later would re-raise a fault already over).
 */
import type { Evidence, Finding, Severity } from '../domain/alert';
import { primaryValue, type DataFlag, type FactorValue, type Reading } from '../domain/reading';
import { exceeded, hasKeys, normal, type Step, NO_FINDINGS } from './rule-context';

export type FlagState = Record<string, boolean>;

export interface FlagWatch {
  rule: string;
  /** The flags that raise the condition; never N, the flag that clears it. */
  flags: readonly Exclude<DataFlag, 'N'>[];
  severity: Severity;
  /** The finding's limit and evidence for a flagged value; default: limit 0, evidence { flag }. */
  describe?: (factor: string, fv: FactorValue, value: number) => { limit: number; evidence: Evidence };
}

/** Whether the reading asked about last has only N-flagged values (asked by each watch in turn). */
let lastReading: Reading | null = null;
let lastOnlyN = false;

function onlyN(reading: Reading): boolean {
  if (reading === lastReading) return lastOnlyN;
  lastReading = reading;
  lastOnlyN = true;
  for (const factor in reading.factors) {
    if (reading.factors[factor]!.flag !== 'N') {
      lastOnlyN = false;
      break;
    }
  }
  return lastOnlyN;
}

export function flagWatchStep(state: FlagState, reading: Reading, watch: FlagWatch): Step<FlagState> {
  // Nothing raised and nothing flagged (most readings of most sources): nothing to raise or clear.
  // Readings are not changed once decoded, so the answer for the same reading holds for each watch.
  if (!hasKeys(state) && onlyN(reading)) return { state, findings: NO_FINDINGS };
  let next = state;
  let findings: Finding[] | undefined;
  for (const factor in reading.factors) {
    const fv = reading.factors[factor]!;
    if (fv.flag === 'N') {
      // The clearing flag (never a watched one): most values of most readings, so asked first.
      if (next[factor]) {
        const value = primaryValue(reading.cn, fv) ?? 0;
        next = { ...next };
        delete next[factor];
        (findings ??= []).push(normal(reading.mn, factor, watch.rule, value, reading.ts));
      }
    } else if (watch.flags.includes(fv.flag)) {
      const value = primaryValue(reading.cn, fv) ?? 0;
      if (!next[factor]) next = { ...next, [factor]: true };
      const { limit, evidence } = watch.describe?.(factor, fv, value) ?? { limit: 0, evidence: { flag: fv.flag } };
      (findings ??= []).push(
        exceeded(reading.mn, { factor, rule: watch.rule, severity: watch.severity, value, limit, ts: reading.ts, evidence }),
      );
    }
  }
  return { state: next, findings: findings ?? NO_FINDINGS };
}
