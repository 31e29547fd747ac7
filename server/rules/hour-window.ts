/**
 * The local hours of one source: per factor, valid minute means as counts and sums — measured and
 * compared (converted to reference O2 where the limit says so; a minute that cannot be converted
 * is not a valid converted minute) — from minute data (CN 2051), else from minutes built of
 * real-time data (CN 2011) as the reports build them, else the logger's own hourly value (CN 2061).
 * HJ 75: an hour mean is valid with ≥ 45 valid minute means (`minValidMinutes`); a converted mean
 * with ≥ 45 valid converted minutes.
 *
 * Two windows: the open hour, and the hour before it, which has ended but still takes late data —
 * its hour record, its last minute — until its end + grace. It closes when a reading stamped at or
 * after its end + grace arrives, when a reading of a later hour pushes the open hour back, or at
 * tick() once now ≥ its end + grace. An hour record (CN 2061) of an older hour not yet closed (a
 * logger resending after an outage) becomes the ended hour. Other readings of an hour before the
 * windows, and any reading of an hour already closed, are late and ignored.
 */
import { isValidFlag, primaryValue, type Reading } from '../domain/reading';
import { comparedValue } from './limit-rule';
import { HOUR_MS, hourStartOf, MINUTE_MS } from '../domain/local-time';
import { addMinute, foldAll, addRealtime, type Values } from './minute-sums';
import type { RuleContext } from './rule-context';
import type { HourWindow, MinuteSum } from './rule-state';

/** Where an hour mean came from: minute data, minutes built of real-time data, or the logger's hour record. */
export type HourBasis = 'minute' | 'realtime' | 'logger-hour';

/** A factor's hour: its measured mean and compared mean (null: not valid), and how they were obtained. */
export interface HourMean {
  mean: number | null;
  meanC: number | null;
  /** Valid minute means behind `mean` and valid converted ones behind `meanC`; 0 for the logger's hourly value. */
  validMinutes: number;
  validMinutesC: number;
  basis: HourBasis;
}

export interface ClosedHour {
  start: number;
  end: number;
  means: Record<string, HourMean>;
}

export interface HourState {
  window: HourWindow | null;
  /** The ended hour still taking late data. */
  prev: HourWindow | null;
  /** Hours before this instant are closed: their readings are late. */
  closedUntil: number;
}

export interface HourStep {
  state: HourState;
  /** The hours this step closed, oldest first. */
  closed: ClosedHour[];
}

export const emptyWindow = (start: number): HourWindow => ({ start, minutes: {}, rt: {}, rtOpen: {}, hourly: {} });

function meanOf(s: MinuteSum, minValid: number, basis: HourBasis): HourMean | undefined {
  const mean = s.n >= minValid ? s.sum / s.n : null;
  const meanC = s.nC >= minValid ? s.sumC / s.nC : null;
  return mean === null && meanC === null ? undefined : { mean, meanC, validMinutes: s.n, validMinutesC: s.nC, basis };
}

/** The valid means of a window: ≥ minValid valid minutes, or the logger's hourly value if no minute arrived. */
export function closeHour(w: HourWindow, minValidMinutes: number): ClosedHour {
  const means: Record<string, HourMean> = {};
  const rt = foldAll(w);
  for (const factor of new Set([...Object.keys(w.minutes), ...Object.keys(rt), ...Object.keys(w.hourly)])) {
    const m = w.minutes[factor];
    const r = rt[factor];
    const h = w.hourly[factor];
    let mean: HourMean | undefined;
    if (m && m.m > 0) mean = meanOf(m, minValidMinutes, 'minute');
    else if (r && r.m > 0) mean = meanOf(r, minValidMinutes, 'realtime');
    else if (h) mean = { mean: h.v, meanC: h.vC ?? null, validMinutes: 0, validMinutesC: 0, basis: 'logger-hour' };
    if (mean) means[factor] = mean;
  }
  return { start: w.start, end: w.start + HOUR_MS, means };
}

/**
 * What valuesOf answers: one object, filled afresh for each factor, since every caller reads it at
 * once and keeps nothing of it (an object per factor of every reading was 3% of all the server
 * allocated under a saturated ingest).
 */
const scratch: Values = { v: 0, vC: undefined };

/**
 * The value and its compared form (converted where the factor's limit says so; vC absent when it
 * cannot be). Valid until the next call: read it, do not keep it.
 */
function valuesOf(reading: Reading, factor: string, ctx: RuleContext): Values | undefined {
  const fv = reading.factors[factor];
  const v = fv && primaryValue(reading.cn, fv);
  if (v === undefined) return undefined;
  scratch.v = v;
  scratch.vC = comparedForm(reading, factor, v, ctx);
  return scratch;
}

/** The value `v` of `factor` as its limit compares it (converted where it says so); undefined when it cannot be converted. */
function comparedForm(reading: Reading, factor: string, v: number, ctx: RuleContext): number | undefined {
  const limit = ctx.limits[factor];
  return limit ? comparedValue(reading, factor, limit, ctx.source.o2Ref, ctx.params.o2Conversion.measuredCap)?.value : v;
}

/**
 * Adds a reading's minute, real-time or hour data to a window (also dust-mean's 15-min windows,
 * minutes 0–14). Real-time data updates the window's minute records in place (addRealtime) and
 * returns the window itself; minute and hour data return a new window.
 */
export function accumulate(w: HourWindow, reading: Reading, ctx: RuleContext): HourWindow {
  const minute = Math.floor((reading.ts - w.start) / MINUTE_MS);
  if (reading.cn === '2051') {
    const minutes = { ...w.minutes };
    for (const factor in reading.factors) {
      const valid = isValidFlag(reading.factors[factor]!.flag) ? valuesOf(reading, factor, ctx) : undefined;
      minutes[factor] = addMinute(minutes[factor], minute, valid);
    }
    return { ...w, minutes };
  }
  if (reading.cn === '2011') {
    for (const factor in reading.factors) {
      const fv = reading.factors[factor]!;
      const v = primaryValue(reading.cn, fv);
      // The two numbers go straight on, not in valuesOf's object (see addRealtime).
      if (v !== undefined) addRealtime(w, factor, reading.ts, minute, fv.flag, v, comparedForm(reading, factor, v, ctx));
    }
    return w;
  }
  if (reading.cn === '2061' && reading.ts === w.start) {
    const hourly = { ...w.hourly };
    for (const [factor, fv] of Object.entries(reading.factors)) {
      const vals = isValidFlag(fv.flag) ? valuesOf(reading, factor, ctx) : undefined;
      if (vals) hourly[factor] = vals.vC === undefined ? { v: vals.v } : { v: vals.v, vC: vals.vC };
      else delete hourly[factor];
    }
    return { ...w, hourly };
  }
  return w;
}

const graceMs = (ctx: RuleContext): number => ctx.params.limitHour.graceS * 1000;

/** Closes the ended hour, if any. */
function closePrev(state: HourState, ctx: RuleContext, closed: ClosedHour[]): HourState {
  if (!state.prev) return state;
  const c = closeHour(state.prev, ctx.params.limitHour.minValidMinutes);
  closed.push(c);
  return { ...state, prev: null, closedUntil: Math.max(state.closedUntil, c.end) };
}

/** One reading: moves and closes windows by its time, then adds its minute, real-time or hour data to its hour. */
export function hourWindowStep(state: HourState, reading: Reading, ctx: RuleContext): HourStep {
  const hour = hourStartOf(reading.ts, ctx.utcOffsetMinutes);
  if (hour < state.closedUntil) return { state, closed: [] };
  const closed: ClosedHour[] = [];
  let st = state;
  if (st.window && hour > st.window.start) {
    st = closePrev(st, ctx, closed);
    st = { ...st, window: null, prev: st.window };
  }
  if (st.prev && reading.ts >= st.prev.start + HOUR_MS + graceMs(ctx)) st = closePrev(st, ctx, closed);
  if (reading.cn === '2031') return { state: st, closed };
  if (st.prev && hour === st.prev.start) return { state: { ...st, prev: accumulate(st.prev, reading, ctx) }, closed };
  if (!st.window || hour === st.window.start) {
    return { state: { ...st, window: accumulate(st.window ?? emptyWindow(hour), reading, ctx) }, closed };
  }
  // Before the open hour. An hour record is complete in itself: a late one (a logger resending after
  // an outage) becomes the ended hour, judged when that closes. Anything else of an older hour is late.
  if (reading.cn !== '2061' || (st.prev && hour < st.prev.start)) return { state: st, closed };
  st = closePrev(st, ctx, closed);
  return { state: { ...st, prev: accumulate(emptyWindow(hour), reading, ctx) }, closed };
}

/** At tick: the ended hour, and the open one, close once now ≥ their end + grace. */
export function hourWindowTick(state: HourState, now: number, ctx: RuleContext): HourStep {
  const closed: ClosedHour[] = [];
  let st = state;
  if (st.prev && now >= st.prev.start + HOUR_MS + graceMs(ctx)) st = closePrev(st, ctx, closed);
  if (st.window && now >= st.window.start + HOUR_MS + graceMs(ctx)) {
    st = closePrev({ ...closePrev(st, ctx, closed), prev: st.window, window: null }, ctx, closed);
  }
  return { state: st, closed };
}
