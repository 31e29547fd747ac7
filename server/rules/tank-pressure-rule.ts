/**
 * tank-pressure: vapour recovery system pressure (apr01) beyond its limit — the limit pack's,
 * e.g. 150 Pa — for `durationS` (10 min) is an alarm (GB 20952-2020, DOMAIN §6): major.
 */
import type { Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { boundSampleStep, boundSampleTick, type BoundRuleSpec } from './bound-sample-rule';
import type { RuleContext, Step } from './rule-context';
import type { Sustain } from './rule-state';

export const TANK_PRESSURE_RULE = RULE_IDS.tankPressure;

function spec(ctx: RuleContext): BoundRuleSpec {
  const p = ctx.params.tankPressure;
  return {
    rule: TANK_PRESSURE_RULE,
    factor: p.factor,
    limit: ctx.limits[p.factor],
    severity: 'major',
    need: { repeat: 1, durationMs: p.durationS * 1000 },
  };
}

export const tankPressureStep = (s: Sustain, reading: Reading, now: number, ctx: RuleContext): Step<Sustain> =>
  reading.factors[ctx.params.tankPressure.factor] === undefined
    ? { state: s, findings: [] }
    : boundSampleStep(s, reading, now, ctx, spec(ctx));
export const tankPressureTick = (s: Sustain, now: number, ctx: RuleContext, freshMs: number): Step<Sustain> =>
  boundSampleTick(s, now, ctx, spec(ctx), freshMs);
