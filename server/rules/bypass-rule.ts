/**
 * bypass: an emergency bypass declared closed must carry no flow (DOMAIN §1). Any valid bypass
 * flow (abp01, m³/s) above the threshold (default 0) is critical at once; it clears at or below it.
 */
import type { Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { boundSampleStep, type BoundRuleSpec } from './bound-sample-rule';
import type { RuleContext, Step } from './rule-context';
import type { Sustain } from './rule-state';

export const BYPASS_RULE = RULE_IDS.bypass;

function spec(ctx: RuleContext): BoundRuleSpec {
  const p = ctx.params.bypass;
  return { rule: BYPASS_RULE, factor: p.factor, limit: p.limit, severity: 'critical', need: { repeat: 1, durationMs: 0 } };
}

export const bypassStep = (s: Sustain, reading: Reading, now: number, ctx: RuleContext): Step<Sustain> =>
  reading.factors[ctx.params.bypass.factor] === undefined ? { state: s, findings: [] } : boundSampleStep(s, reading, now, ctx, spec(ctx));
