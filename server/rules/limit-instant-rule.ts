/**
 * limit-instant: the early warning (DOMAIN §5: limits apply to the converted hourly mean; an
 * instantaneous value above the limit is an early warning). A real-time (or, for sources without
 * real-time data, minute) value — converted to reference O2 where the limit says so: the logger's
 * zs, else computed from valid O2 and the source's o2Ref; a sample that cannot be converted is not
 * judged and leaves the run as it was — outside the limit for `repeat` samples in a
 * row and `durationS` seconds raises a warning; it clears only once the value is back inside the
 * limit by `clearMarginPct` % of it, so a value hovering at the limit does not flap.
 */
import type { Finding } from '../domain/alert';
import { isValidFlag, type Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { comparedValue, type Compared } from './limit-rule';
import { exceeded, normal, NO_FINDINGS, type RuleContext, type Step } from './rule-context';
import { IDLE, type Sustain } from './rule-state';
import { clearBounds, judgeSampleInto, judgeTick, type Need, type Verdict } from './sustained';

export const LIMIT_INSTANT_RULE = RULE_IDS.limitInstant;
export type InstantState = Record<string, Sustain>;

const needOf = (ctx: RuleContext): Need => ({
  repeat: ctx.params.limitInstant.repeat,
  durationMs: ctx.params.limitInstant.durationS * 1000,
});

/** What the sample was judged on: converted (zs from the logger, or computed from measured O2 %) or measured. */
function conversionEvidence(c: Compared, o2Ref: number | undefined): Record<string, number | boolean | null> {
  if (!c.o2Converted) return { o2Converted: false };
  return { o2Converted: true, measured: c.measured, zsFromLogger: c.fromLogger, o2: c.o2, o2Ref: c.fromLogger ? null : (o2Ref ?? null) };
}

/** `sample`: the judged sample (a step); absent at tick, where a converted limit has judged only converted samples. */
function toFinding(ctx: RuleContext, factor: string, state: Sustain, verdict: Verdict, ts: number, sample?: Compared): Finding[] {
  const { mn } = ctx.source;
  if (!verdict || state.value === null) return [];
  if (verdict.kind === 'normal') return [normal(mn, factor, LIMIT_INSTANT_RULE, state.value, ts)];
  const conversion = sample ? conversionEvidence(sample, ctx.source.o2Ref) : { o2Converted: ctx.limits[factor]?.o2Converted ?? false };
  return [
    exceeded(mn, {
      factor,
      rule: LIMIT_INSTANT_RULE,
      severity: 'warning',
      value: state.value,
      limit: verdict.bound,
      ts,
      evidence: { ...conversion, samples: state.run, since: state.since },
    }),
  ];
}

/**
 * One sample reading: every limited factor with a valid value is judged. The factors' conditions
 * are the source's own and are updated in place (the state itself is returned).
 */
export function limitInstantStep(state: InstantState, reading: Reading, now: number, ctx: RuleContext): Step<InstantState> {
  let findings: Finding[] | undefined;
  const margin = ctx.params.limitInstant.clearMarginPct;
  const need = needOf(ctx);
  for (const factor in ctx.limits) {
    const limit = ctx.limits[factor];
    const fv = reading.factors[factor];
    if (!limit || !fv || !isValidFlag(fv.flag)) continue;
    const compared = comparedValue(reading, factor, limit, ctx.source.o2Ref, ctx.params.o2Conversion.measuredCap);
    if (compared === undefined) continue;
    let s = state[factor];
    if (s === undefined) state[factor] = s = { ...IDLE };
    const verdict = judgeSampleInto(s, reading.ts, now, compared.value, limit, clearBounds(limit, margin), need);
    if (verdict) (findings ??= []).push(...toFinding(ctx, factor, s, verdict, reading.ts, compared));
  }
  return { state, findings: findings ?? NO_FINDINGS };
}

/** At tick: a duration that has run out since the latest (still fresh) sample raises the warning. */
export function limitInstantTick(state: InstantState, now: number, ctx: RuleContext, freshMs: number): Step<InstantState> {
  // The state itself while nothing is judged (the usual tick): no copy per source per tick.
  let next: InstantState | null = null;
  const findings: Finding[] = [];
  for (const [factor, s] of Object.entries(state)) {
    const limit = ctx.limits[factor];
    const judged = limit && judgeTick(s, now, limit, needOf(ctx), freshMs);
    if (!judged) continue;
    next ??= { ...state };
    next[factor] = judged.state;
    findings.push(...toFinding(ctx, factor, judged.state, judged.verdict, judged.ts));
  }
  return { state: next ?? state, findings };
}
