/**
 * The shared shape of the device rules (tank pressure, bypass flow, flare temperature): one
 * factor's valid sample values against a bound, sustained for a duration, cleared when back inside.
 */
import type { Finding, Severity } from '../domain/alert';
import { isValidFlag, primaryValue, type Reading } from '../domain/reading';
import { exceeded, normal, type RuleContext, type Step } from './rule-context';
import type { Sustain } from './rule-state';
import { judgeSample, judgeTick, type Bounds, type Judged, type Need } from './sustained';

export interface BoundRuleSpec {
  rule: string;
  factor: string;
  /** Undefined: the rule does not apply to this source (no limit for the factor). */
  limit: Bounds | undefined;
  severity: Severity;
  need: Need;
}

function toFindings(ctx: RuleContext, spec: BoundRuleSpec, judged: Judged, ts: number): Finding[] {
  const { verdict, state } = judged;
  if (!verdict || state.value === null) return [];
  if (verdict.kind === 'normal') return [normal(ctx.source.mn, spec.factor, spec.rule, state.value, ts)];
  return [
    exceeded(ctx.source.mn, {
      factor: spec.factor,
      rule: spec.rule,
      severity: spec.severity,
      value: state.value,
      limit: verdict.bound,
      ts,
      evidence: { since: state.since, durationS: spec.need.durationMs / 1000 },
    }),
  ];
}

export function boundSampleStep(s: Sustain, reading: Reading, now: number, ctx: RuleContext, spec: BoundRuleSpec): Step<Sustain> {
  const fv = reading.factors[spec.factor];
  const value = fv && isValidFlag(fv.flag) ? primaryValue(reading.cn, fv) : undefined;
  if (!spec.limit || value === undefined) return { state: s, findings: [] };
  const judged = judgeSample(s, { ts: reading.ts, now, value }, spec.limit, spec.limit, spec.need);
  return { state: judged.state, findings: toFindings(ctx, spec, judged, reading.ts) };
}

export function boundSampleTick(s: Sustain, now: number, ctx: RuleContext, spec: BoundRuleSpec, freshMs: number): Step<Sustain> {
  const judged = spec.limit && judgeTick(s, now, spec.limit, spec.need, freshMs);
  return judged ? { state: judged.state, findings: toFindings(ctx, spec, judged, judged.ts) } : { state: s, findings: [] };
}
