/**
 * over-range: a value flagged T is above the analyser's measuring range (DOMAIN §3): not valid
 * data, and the true concentration — at least the range top — is unknown, so an exceedance may
 * hide behind it. An alert on the factor (severity `overRange.severity` in the rule pack, major by
 * default), cleared by the factor's next N value. Evidence: the flag, the value the logger reported
 * (the factor's unit) and the emission limit in force (null when the factor has none).
 */
import type { Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { flagWatchStep, type FlagState, type FlagWatch } from './flag-watch';
import type { RuleContext, Step } from './rule-context';

export const OVER_RANGE_RULE = RULE_IDS.overRange;

/** The watch of a context (made once per context: a sample of every source comes through here). */
const watches = new WeakMap<RuleContext, FlagWatch>();

function watchOf(ctx: RuleContext): FlagWatch {
  let watch = watches.get(ctx);
  if (!watch) {
    watch = {
      rule: OVER_RANGE_RULE,
      flags: ['T'],
      severity: ctx.params.overRange.severity,
      describe: (factor, fv, value) => {
        const limitMax = ctx.limits[factor]?.max ?? null;
        return { limit: limitMax ?? 0, evidence: { flag: fv.flag, reported: value, limitMax } };
      },
    };
    watches.set(ctx, watch);
  }
  return watch;
}

export function overRangeStep(state: FlagState, reading: Reading, ctx: RuleContext): Step<FlagState> {
  return flagWatchStep(state, reading, watchOf(ctx));
}
