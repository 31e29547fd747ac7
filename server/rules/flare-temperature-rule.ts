/**
 * flare-temperature: a flare (or thermal oxidiser) must burn hot enough to destroy what it
 * receives (DOMAIN §1). Its combustion temperature (aft01, °C) below the minimum — default 760 °C,
 * the usual figure for thermal oxidation of VOCs (configurable) — for `durationS` (5 min) is major.
 */
import type { Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { boundSampleStep, boundSampleTick, type BoundRuleSpec } from './bound-sample-rule';
import type { RuleContext, Step } from './rule-context';
import type { Sustain } from './rule-state';

export const FLARE_TEMPERATURE_RULE = RULE_IDS.flareTemperature;

function spec(ctx: RuleContext): BoundRuleSpec {
  const p = ctx.params.flareTemperature;
  return {
    rule: FLARE_TEMPERATURE_RULE,
    factor: p.factor,
    limit: p.limit,
    severity: 'major',
    need: { repeat: 1, durationMs: p.durationS * 1000 },
  };
}

export const flareTemperatureStep = (s: Sustain, reading: Reading, now: number, ctx: RuleContext): Step<Sustain> =>
  reading.factors[ctx.params.flareTemperature.factor] === undefined
    ? { state: s, findings: [] }
    : boundSampleStep(s, reading, now, ctx, spec(ctx));
export const flareTemperatureTick = (s: Sustain, now: number, ctx: RuleContext, freshMs: number): Step<Sustain> =>
  boundSampleTick(s, now, ctx, spec(ctx), freshMs);
