/**
 * zs-mismatch (suspected falsification, issue 19 / plans A9): a factor whose converted value the
 * logger sends (`zs`) does not follow from its measured value and O2 (DOMAIN §5):
 *   recomputed = measured × (21 − o2Ref) / (21 − O2)
 * with the source's reference O2 (`o2Ref`, registry) and the record's O2 flagged N. When
 * |zs − recomputed| exceeds the tolerance — the larger of `tolerancePct` % of the recomputed value
 * and `epsilon` (factor's unit, so rounding of values near 0 is no sign) — for `repeat` samples in
 * a row it is raised (default major) with the numbers as evidence; a consistent sample clears it.
 * A zs that was altered without the measured value (or the other way round) shows here.
 * Not judged (the run stays as it was): no zs, a value or O2 not flagged N, no o2Ref, and O2 at or
 * above the pack's measured-O2 cap (start-up: the logger may cap differently).
 * O(1) state per factor sending zs.
 */
import type { Finding } from '../domain/alert';
import { O2_FACTOR } from '../domain/catalog';
import { convertToReferenceO2 } from '../domain/o2-conversion';
import { isValidFlag, primaryValue, type Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { exceeded, normal, type RuleContext, type Step, NO_FINDINGS } from './rule-context';
import { NO_SUSPECT, type Suspect } from './rule-state';

export const ZS_MISMATCH_RULE = RULE_IDS.zsMismatch;
export type ZsMismatchState = Record<string, Suspect>;

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** The record's valid O2 below the cap, or undefined. */
function validO2(reading: Reading, cap: number): number | undefined {
  const fv = reading.factors[O2_FACTOR];
  const o2 = fv && isValidFlag(fv.flag) ? primaryValue(reading.cn, fv) : undefined;
  return o2 !== undefined && o2 < cap ? o2 : undefined;
}

export function zsMismatchStep(state: ZsMismatchState, reading: Reading, ctx: RuleContext): Step<ZsMismatchState> {
  const o2Ref = ctx.source.o2Ref;
  if (o2Ref === undefined) return { state, findings: NO_FINDINGS };
  const cap = ctx.params.o2Conversion.measuredCap;
  const o2 = validO2(reading, cap);
  if (o2 === undefined) return { state, findings: NO_FINDINGS };
  const p = ctx.params.zsMismatch;
  let next: ZsMismatchState | undefined;
  let findings: Finding[] | undefined;
  for (const factor in reading.factors) {
    const fv = reading.factors[factor];
    if (factor === O2_FACTOR || !fv || fv.zs === undefined || !isValidFlag(fv.flag)) continue;
    const measured = primaryValue(reading.cn, fv);
    if (measured === undefined) continue;
    const recomputed = convertToReferenceO2(measured, o2, o2Ref, cap);
    const tolerance = Math.max(p.epsilon, (p.tolerancePct / 100) * Math.abs(recomputed));
    const deviation = Math.abs(fv.zs - recomputed);
    const prev = state[factor] ?? NO_SUSPECT;
    if (deviation <= tolerance && prev.run === 0 && !prev.active) continue; // nothing to change: no copy
    next ??= { ...state };
    if (deviation <= tolerance) {
      next[factor] = NO_SUSPECT;
      if (prev.active) (findings ??= []).push(normal(ctx.source.mn, factor, ZS_MISMATCH_RULE, round(deviation), reading.ts));
      continue;
    }
    const s: Suspect = { run: prev.run + 1, since: prev.since ?? reading.ts, last: reading.ts, active: prev.active };
    if (!s.active && s.run >= p.repeat) {
      s.active = true;
      (findings ??= []).push(
        exceeded(ctx.source.mn, {
          factor,
          rule: ZS_MISMATCH_RULE,
          severity: p.severity,
          value: round(deviation),
          limit: round(tolerance),
          ts: reading.ts,
          evidence: {
            reportedZs: fv.zs,
            measured,
            o2,
            o2Ref,
            recomputed: round(recomputed),
            tolerancePct: p.tolerancePct,
            samples: s.run,
            since: s.since,
          },
        }),
      );
    }
    next[factor] = s;
  }
  return { state: next ?? state, findings: findings ?? NO_FINDINGS };
}
