/**
 * near-limit (suspected falsification, issue 19 / plans A9): a limited factor's value parked just
 * under its limit — between `bandLowPct` and `bandHighPct` (default 90–100 %) of the max — on every
 * valid sample for `durationS` (default 4 h) with at least `minSamples`: the "just under the limit"
 * pattern of values trimmed to pass. Judged on the value the limit compares (converted to reference
 * O2 where the limit says so, as limit-instant). Raised (default warning: a weak sign, for an
 * officer to compare with the process) by the sample that completes the duration; a sample outside
 * the band clears it and restarts the count. O(1) state per limited factor.
 */
import type { Finding } from '../domain/alert';
import { isValidFlag, type Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { comparedValue } from './limit-rule';
import { exceeded, normal, type RuleContext, type Step, NO_FINDINGS } from './rule-context';
import { NO_SUSPECT, type Suspect } from './rule-state';

export const NEAR_LIMIT_RULE = RULE_IDS.nearLimit;
export type NearLimitState = Record<string, Suspect>;

export function nearLimitStep(state: NearLimitState, reading: Reading, ctx: RuleContext): Step<NearLimitState> {
  const p = ctx.params.nearLimit;
  const { mn } = ctx.source;
  let next: NearLimitState | undefined;
  let findings: Finding[] | undefined;
  for (const factor in ctx.limits) {
    const limit = ctx.limits[factor];
    const fv = reading.factors[factor];
    if (!limit || limit.max === undefined || limit.max <= 0 || !fv || !isValidFlag(fv.flag)) continue;
    const compared = comparedValue(reading, factor, limit, ctx.source.o2Ref, ctx.params.o2Conversion.measuredCap);
    if (compared === undefined) continue;
    const pct = (compared.value / limit.max) * 100;
    const prev = state[factor] ?? NO_SUSPECT;
    const outside = pct < p.bandLowPct || pct > p.bandHighPct;
    if (outside && prev.run === 0 && !prev.active) continue; // nothing to change: no copy
    next ??= { ...state };
    if (outside) {
      next[factor] = NO_SUSPECT;
      if (prev.active) (findings ??= []).push(normal(mn, factor, NEAR_LIMIT_RULE, compared.value, reading.ts));
      continue;
    }
    const since = prev.since ?? reading.ts;
    const s: Suspect = { run: prev.run + 1, since, last: reading.ts, active: prev.active };
    if (!s.active && s.run >= p.minSamples && reading.ts - since >= p.durationS * 1000) {
      s.active = true;
      (findings ??= []).push(
        exceeded(mn, {
          factor,
          rule: NEAR_LIMIT_RULE,
          severity: p.severity,
          value: compared.value,
          limit: limit.max,
          ts: reading.ts,
          evidence: {
            since,
            windowEnd: reading.ts,
            samples: s.run,
            bandLow: (p.bandLowPct / 100) * limit.max,
            bandHigh: (p.bandHighPct / 100) * limit.max,
            o2Converted: compared.o2Converted,
            durationS: p.durationS,
          },
        }),
      );
    }
    next[factor] = s;
  }
  return { state: next ?? state, findings: findings ?? NO_FINDINGS };
}
