/**
 * The open local hour of one source: valid (flag N) minute means (CN 2051) per factor as counts
 * and sums — measured and compared (converted to reference O2 where the limit says so) — plus the
 * logger's own hourly value (CN 2061) for hours that had no minute data. An hour closes when a
 * reading of a later hour arrives, or at tick() once now ≥ hour end + grace; readings of an hour
 * already closed are late and ignored. HJ 75: an hour mean is valid with ≥ 45 valid minute means.
 */
import { isValidFlag, primaryValue, type Reading } from '../domain/reading';
import { comparedValue } from './limit-rule';
import { HOUR_MS, hourStartOf, MINUTE_MS } from '../domain/local-time';
import type { RuleContext } from './rule-context';
import type { HourWindow, MinuteSum } from './rule-state';

/** A valid hourly mean: measured, compared (what a limit judges), and how it was obtained. */
export interface HourMean {
  mean: number;
  meanC: number;
  /** Valid minute means behind it; 0 when it is the logger's hourly value. */
  validMinutes: number;
}

export interface ClosedHour {
  start: number;
  end: number;
  means: Record<string, HourMean>;
}

export interface HourState {
  window: HourWindow | null;
  /** Hours before this instant are closed: their readings are late. */
  closedUntil: number;
}

export interface HourStep {
  state: HourState;
  /** The hour this reading closed, if any. */
  closed: ClosedHour | null;
}

/** The valid means of a window: ≥ minValid valid minutes, or the logger's hourly value if no minute arrived. */
export function closeHour(w: HourWindow, minValidMinutes: number): ClosedHour {
  const means: Record<string, HourMean> = {};
  for (const factor of new Set([...Object.keys(w.minutes), ...Object.keys(w.hourly)])) {
    const m = w.minutes[factor];
    const h = w.hourly[factor];
    if (m && m.m > 0) {
      if (m.n >= minValidMinutes) means[factor] = { mean: m.sum / m.n, meanC: m.sumC / m.n, validMinutes: m.n };
    } else if (h) {
      means[factor] = { mean: h.v, meanC: h.vC, validMinutes: 0 };
    }
  }
  return { start: w.start, end: w.start + HOUR_MS, means };
}

/** The value and its compared form (converted where the factor's limit says so). */
function valuesOf(reading: Reading, factor: string, ctx: RuleContext): { v: number; vC: number } | undefined {
  const fv = reading.factors[factor];
  const v = fv && primaryValue(reading.cn, fv);
  if (v === undefined) return undefined;
  const limit = ctx.limits[factor];
  return { v, vC: limit ? (comparedValue(reading, factor, limit, ctx.source.o2Ref) ?? v) : v };
}

function addMinute(sum: MinuteSum | undefined, minute: number, valid: { v: number; vC: number } | undefined): MinuteSum {
  const s = sum ?? { m: 0, n: 0, sum: 0, sumC: 0, lo: 0, hi: 0 };
  const bit = 1 << minute % 30;
  const mask = minute < 30 ? s.lo : s.hi;
  if (mask & bit) return s; // a re-sent minute
  const seen = minute < 30 ? { lo: s.lo | bit } : { hi: s.hi | bit };
  if (!valid) return { ...s, ...seen, m: s.m + 1 };
  return { ...s, ...seen, m: s.m + 1, n: s.n + 1, sum: s.sum + valid.v, sumC: s.sumC + valid.vC };
}

function accumulate(w: HourWindow, reading: Reading, ctx: RuleContext): HourWindow {
  if (reading.cn === '2051') {
    const minute = Math.floor((reading.ts - w.start) / MINUTE_MS);
    const minutes = { ...w.minutes };
    for (const [factor, fv] of Object.entries(reading.factors)) {
      minutes[factor] = addMinute(minutes[factor], minute, isValidFlag(fv.flag) ? valuesOf(reading, factor, ctx) : undefined);
    }
    return { ...w, minutes };
  }
  if (reading.cn === '2061' && reading.ts === w.start) {
    const hourly = { ...w.hourly };
    for (const [factor, fv] of Object.entries(reading.factors)) {
      const vals = isValidFlag(fv.flag) ? valuesOf(reading, factor, ctx) : undefined;
      if (vals) hourly[factor] = vals;
      else delete hourly[factor];
    }
    return { ...w, hourly };
  }
  return w;
}

/** One reading: closes the open hour if the reading is of a later one, then adds minute/hour data. */
export function hourWindowStep(state: HourState, reading: Reading, ctx: RuleContext): HourStep {
  const hour = hourStartOf(reading.ts, ctx.utcOffsetMinutes);
  if (hour < state.closedUntil || (state.window && hour < state.window.start)) return { state, closed: null };
  let closed: ClosedHour | null = null;
  let closedUntil = state.closedUntil;
  let window = state.window;
  if (window && hour > window.start) {
    closed = closeHour(window, ctx.params.limitHour.minValidMinutes);
    closedUntil = closed.end;
    window = null;
  }
  if (reading.cn === '2031') return { state: { window, closedUntil }, closed };
  window = accumulate(window ?? { start: hour, minutes: {}, hourly: {} }, reading, ctx);
  return { state: { window, closedUntil }, closed };
}

/** At tick: the open hour closes once now ≥ its end + grace. */
export function hourWindowTick(state: HourState, now: number, ctx: RuleContext): HourStep {
  const w = state.window;
  if (!w || now < w.start + HOUR_MS + ctx.params.limitHour.graceS * 1000) return { state, closed: null };
  const closed = closeHour(w, ctx.params.limitHour.minValidMinutes);
  return { state: { window: null, closedUntil: closed.end }, closed };
}
