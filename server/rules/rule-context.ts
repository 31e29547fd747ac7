/** What a rule knows about the source a reading came from, and how it words its findings. */
import type { Evidence, Finding, Severity } from '../domain/alert';
import { catalog } from '../domain/catalog';
import type { Limit, Source } from '../domain/registry';
import type { RuleParams } from '../domain/rule-pack';

export interface RuleContext {
  source: Source;
  /** effectiveLimits(source, limitPack): the limits that apply (none for an inlet). */
  limits: Record<string, Limit>;
  params: RuleParams;
  utcOffsetMinutes: number;
}

/** The result of one step: the new state and what it concluded. */
export interface Step<S> {
  state: S;
  /** Read only: a step that concluded nothing may give the shared NO_FINDINGS. */
  findings: readonly Finding[];
}

/** Whether a record has a key, without listing them (asked for every sample of every source). */
export function hasKeys(o: Record<string, unknown>): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/** No findings: the one empty list steps share (frozen). */
export const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

export const unitOf = (factor: string): string => catalog.get(factor)?.unit ?? '';

export interface Exceedance {
  factor: string;
  rule: string;
  severity: Severity;
  value: number;
  limit: number;
  ts: number;
  unit?: string;
  evidence?: Evidence;
}

export function exceeded(mn: string, e: Exceedance): Finding {
  const { evidence, unit, ...rest } = e;
  return { type: 'exceeded', mn, ...rest, unit: unit ?? unitOf(e.factor), ...(evidence ? { evidence } : {}) };
}

export function normal(mn: string, factor: string, rule: string, value: number, ts: number): Finding {
  return { type: 'normal', mn, factor, rule, value, ts };
}

/** The bound a value breaks (max above, min below), or undefined when within. */
export function breachedBound(value: number, b: { min?: number | undefined; max?: number | undefined }): number | undefined {
  if (b.max !== undefined && value > b.max) return b.max;
  if (b.min !== undefined && value < b.min) return b.min;
  return undefined;
}

/**
 * Whether a reading is a sample for the sample-by-sample rules (instant limits, flat-line, A/L,
 * pressure, bypass, flare): real-time data, or minute data from a source that sends no real-time
 * data — never both, so minute means do not interleave with the instants they summarise.
 */
export function isSample(cn: string, sendsRealtime: boolean): boolean {
  return cn === '2011' || (cn === '2051' && !sendsRealtime);
}

/** How long the latest sample may stand for the present at tick(): two reporting intervals. */
export const freshMs = (source: Pick<Source, 'intervalS'>): number => 2 * source.intervalS * 1000;
