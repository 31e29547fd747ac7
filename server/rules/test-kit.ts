/**
 * Builders for the rule tests: sources, contexts and readings in local (UTC+8) time. Test support
 * only; pure like the rules. The limits mirror config/rules/limits.yaml.
 */
import type { DataKind, FactorValue, Reading } from '../domain/reading';
import { sourceSchema, type Limit, type Source } from '../domain/registry';
import { effectiveLimits } from '../domain/limit-pack';
import { DEFAULT_RULE_PARAMS, mergeRuleParams, type RuleOverrides } from '../domain/rule-pack';
import { CHINA_UTC_OFFSET_MINUTES } from '../domain/hj212/hj-time';
import type { RuleContext, Step } from './rule-context';
import type { RuleSubject } from './rule-engine';

/** 2026-07-01 10:00:00 China time: the start of a local hour. */
export const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);
/** 2026-07-01 00:00:00 China time: the start of a local day. */
export const DAY0 = Date.UTC(2026, 5, 30, 16, 0, 0);
export const S = 1000;
export const MIN = 60 * S;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export const LIMIT_PACK = {
  limits: {
    cems: {
      a34013: { max: 10, o2Converted: true, severity: 'major' },
      a21026: { max: 35, o2Converted: true, severity: 'major' },
      a21002: { max: 50, o2Converted: true, severity: 'major' },
    },
    ammonia: { a21001: { max: 8, o2Converted: false, severity: 'major' } },
    vocs: { a24088: { max: 60, o2Converted: false, severity: 'major' } },
    vapour: { apr01: { max: 150, o2Converted: false, severity: 'warning' } },
  },
} satisfies { limits: Record<string, Record<string, Limit>> };

export const MN = {
  cems: '370300CEMS00000000000101',
  ammonia: '370300NH3000000000000101',
  inlet: '370300VOCS00000000000401',
  outlet: '370300VOCS00000000000402',
  vapour: '370300VRS000000000000801',
} as const;

export function source(fields: Partial<Source> & Pick<Source, 'mn' | 'kind'>): Source {
  return sourceSchema.parse({ enterpriseId: 'e', name: 'n', lat: 36, lon: 118, ...fields });
}

export const CEMS = source({ mn: MN.cems, kind: 'cems', o2Ref: 6 });
export const AMMONIA = source({ mn: MN.ammonia, kind: 'ammonia' });
export const INLET = source({ mn: MN.inlet, kind: 'vocs', position: 'inlet' });
export const OUTLET = source({ mn: MN.outlet, kind: 'vocs', inletMn: MN.inlet });
export const VAPOUR = source({ mn: MN.vapour, kind: 'vapour' });

export function subject(src: Source, overrides?: RuleOverrides): RuleSubject {
  return { source: src, limits: effectiveLimits(src, LIMIT_PACK), params: mergeRuleParams(DEFAULT_RULE_PARAMS, overrides) };
}

export const ctx = (src: Source, overrides?: RuleOverrides): RuleContext => ({
  ...subject(src, overrides),
  utcOffsetMinutes: CHINA_UTC_OFFSET_MINUTES,
});

/** A value with the given flag as both rtd and avg (so it is the primary value of any CN). */
export const v = (value: number, flag: FactorValue['flag'] = 'N', extra: Partial<FactorValue> = {}): FactorValue => ({
  rtd: value,
  avg: value,
  flag,
  ...extra,
});

export function reading(src: Source, cn: DataKind, ts: number, factors: Reading['factors']): Reading {
  return { mn: src.mn, enterpriseId: src.enterpriseId, kind: src.kind, cn, ts, factors };
}

/** Runs a pure step over a list of inputs, threading the state; returns the findings of each input. */
export function run<S, I>(initial: S, inputs: readonly I[], step: (s: S, input: I) => Step<S>) {
  let state = initial;
  const perInput = inputs.map((input) => {
    const r = step(state, input);
    state = r.state;
    return r.findings;
  });
  return { state, perInput };
}
