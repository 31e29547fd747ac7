/**
 * A bound judged sample by sample, with repetition ("N samples in a row"), duration ("outside for
 * S seconds") and a clear bound for hysteresis. Shared by limit-instant, tank-pressure, bypass and
 * flare-temperature. Time is on the reading's axis (its ts); the arrival time (`now`, the engine's
 * clock) only lets tick() extend the latest sample while it is still fresh.
 */
import { breachedBound } from './rule-context';
import type { Sustain } from './rule-state';

export interface Bounds {
  min?: number | undefined;
  max?: number | undefined;
}

export interface Need {
  /** Samples in a row outside the bound (≥ 1). */
  repeat: number;
  /** How long the condition must hold, from the first sample outside (ms). */
  durationMs: number;
}

/** exceeded: raise (or update) against `bound`; normal: clear; null: nothing to say. */
export type Verdict = { kind: 'exceeded'; bound: number } | { kind: 'normal' } | null;

export interface Judged {
  state: Sustain;
  verdict: Verdict;
}

export interface Sample {
  ts: number;
  now: number;
  value: number;
}

/**
 * One valid sample. Outside `limit`: counts towards repeat and duration, and once they are met
 * (or while raised) it is an exceedance. Inside: the run resets; a raised condition clears only
 * when the value is also inside `clear` (the limit narrowed by the hysteresis margin).
 */
export function judgeSample(s: Sustain, sample: Sample, limit: Bounds, clear: Bounds, need: Need): Judged {
  const state = { ...s };
  return { state, verdict: judgeSampleInto(state, sample.ts, sample.now, sample.value, limit, clear, need) };
}

const NORMAL: Verdict = Object.freeze({ kind: 'normal' });

/** `judgeSample` of a condition the caller owns, updated in place; returns the verdict. */
export function judgeSampleInto(s: Sustain, ts: number, now: number, value: number, limit: Bounds, clear: Bounds, need: Need): Verdict {
  const bound = breachedBound(value, limit);
  s.lastTs = ts;
  s.lastAt = now;
  s.value = value;
  if (bound !== undefined) {
    s.run++;
    s.since ??= ts;
    s.active = s.active || (s.run >= need.repeat && ts - s.since >= need.durationMs);
    return s.active ? { kind: 'exceeded', bound } : null;
  }
  s.run = 0;
  s.since = null;
  if (!s.active || breachedBound(value, clear) !== undefined) return null;
  s.active = false;
  return NORMAL;
}

/**
 * At tick(now): a condition whose latest sample was outside, not yet raised, whose duration has
 * run out since — if that sample is still fresh (arrived within `freshMs`): raises it. The elapsed
 * time is the engine clock's, added to the sample's own ts, so logger clock skew does not count.
 * Returns undefined when nothing changes; `ts` is the sample time the condition was raised at.
 */
export function judgeTick(s: Sustain, now: number, limit: Bounds, need: Need, freshMs: number): (Judged & { ts: number }) | undefined {
  if (s.active || s.since === null || s.lastTs === null || s.lastAt === null || s.value === null) return undefined;
  if (now - s.lastAt > freshMs || s.run < need.repeat) return undefined;
  const bound = breachedBound(s.value, limit);
  const ts = s.lastTs + (now - s.lastAt);
  if (bound === undefined || ts - s.since < need.durationMs) return undefined;
  return { state: { ...s, active: true }, verdict: { kind: 'exceeded', bound }, ts };
}

/** Clear bounds made, by limit (limits are the source's, replaced when they change): one per margin. */
const clears = new WeakMap<Bounds, { pct: number; of: Bounds; bounds: Bounds }>();

/** The limit narrowed by `pct` % of each bound: where a raised condition clears (hysteresis). Shared: read it. */
export function clearBounds(limit: Bounds, pct: number): Bounds {
  const made = clears.get(limit);
  if (made !== undefined && made.pct === pct && made.of.max === limit.max && made.of.min === limit.min) return made.bounds;
  const f = pct / 100;
  const bounds = {
    max: limit.max === undefined ? undefined : limit.max - Math.abs(limit.max) * f,
    min: limit.min === undefined ? undefined : limit.min + Math.abs(limit.min) * f,
  };
  clears.set(limit, { pct, of: { max: limit.max, min: limit.min }, bounds });
  return bounds;
}
