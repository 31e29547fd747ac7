/**
 * Applies a scenario's value and flag effects to one real-time sample, turning it into the
 * factor values of a CN 2011 message. Offline and malformed are the logger's business.
 */
import { O2_FACTOR } from '../server/domain/catalog';
import { convertToReferenceO2 } from '../server/domain/o2-conversion';
import type { FactorValue } from '../server/domain/reading';
import type { Source } from '../server/domain/registry';
import { measuredFor, round, type KindSample } from './kinds/sample';
import { upperLimit } from './limits';
import { uniform, type Rng } from './random';
import type { Effect } from './scenarios';

export interface EffectContext {
  source: Source;
  rng: Rng;
  /** Stuck values of flat-lined factors, kept by the logger between samples. */
  stuck: Map<string, number>;
}

/** The value an exceedance forces: the knob's, or 1.15–1.5 × the limit (3 × the value if none). */
export function exceedingValue(source: Source, factor: string, current: number | undefined, rng: Rng, value?: number): number {
  if (value !== undefined) return value;
  const limit = upperLimit(source, factor);
  return limit !== undefined ? limit * uniform(rng, 1.15, 1.5) : 3 * (current ?? 1);
}

/** Sets the value a limit judges: zs when the source converts to reference O2, rtd otherwise. */
function withJudgedValue(current: FactorValue | undefined, value: number, o2: number | undefined, source: Source): FactorValue {
  if (current?.zs !== undefined && o2 !== undefined && source.o2Ref !== undefined) {
    return { ...current, zs: round(value, 2), rtd: round(measuredFor(value, o2, source.o2Ref), 2) };
  }
  return { rtd: round(value, 2), flag: current?.flag ?? 'N' };
}

/** Sets the measured value, keeping zs consistent with it. */
function withMeasuredValue(current: FactorValue | undefined, rtd: number, o2: number | undefined, source: Source): FactorValue {
  if (current?.zs !== undefined && o2 !== undefined && source.o2Ref !== undefined) {
    return { ...current, rtd, zs: round(convertToReferenceO2(rtd, o2, source.o2Ref), 2) };
  }
  return { rtd, flag: current?.flag ?? 'N' };
}

export function applyEffects(sample: KindSample, effects: readonly Effect[], ctx: EffectContext): Record<string, FactorValue> {
  const out: Record<string, FactorValue> = {};
  for (const [code, v] of Object.entries(sample)) out[code] = { ...v, flag: 'N' };
  const o2 = sample[O2_FACTOR]?.rtd;
  for (const e of effects) {
    if (e.type !== 'scale') continue;
    for (const code of e.factors) {
      const v = out[code];
      if (v?.rtd !== undefined) out[code] = withMeasuredValue(v, round(v.rtd * e.times, 2), o2, ctx.source);
    }
  }
  const flatlined = new Set<string>();
  for (const e of effects) {
    if (e.type === 'exceedance') {
      const value = exceedingValue(ctx.source, e.factor, out[e.factor]?.zs ?? out[e.factor]?.rtd, ctx.rng, e.value);
      out[e.factor] = withJudgedValue(out[e.factor], value, o2, ctx.source);
    } else if (e.type === 'flatline') {
      const stuck = e.value ?? ctx.stuck.get(e.factor) ?? out[e.factor]?.rtd;
      if (stuck === undefined) continue;
      ctx.stuck.set(e.factor, stuck);
      flatlined.add(e.factor);
      out[e.factor] = withMeasuredValue(out[e.factor], stuck, o2, ctx.source);
    }
  }
  for (const code of [...ctx.stuck.keys()]) if (!flatlined.has(code)) ctx.stuck.delete(code);
  for (const e of effects) {
    if (e.type === 'flag') for (const v of Object.values(out)) v.flag = e.flag;
  }
  return out;
}
