/**
 * dust-mean (issue 16, PLANS §9): a construction site's PM10 / TSP at the boundary, as 15-min and
 * hourly means, above the rule pack's thresholds (dustMean). The hourly means are the hour window's
 * (hour-window.ts, HJ 75 validity: limitHour.minValidMinutes); the 15-min windows are this module's:
 * local quarters of the hour, built of minute data (CN 2051), else of minutes built from real-time
 * data (CN 2011), valid with ≥ quarterMinValidMinutes valid minutes. A quarter takes late data until
 * its end + limitHour.graceS, like an hour, and closes then (by a later reading or at tick()).
 *
 * One alert per factor: raised when a closed 15-min or hourly mean is above its threshold (the
 * evidence names that window and its mean); cleared when a window closes below while the latest
 * mean of the other window is not above either. Only `dust` sources are judged.
 */
import type { Finding } from '../domain/alert';
import { hourStartOf, MINUTE_MS } from '../domain/local-time';
import type { Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { accumulate, closeHour, emptyWindow, type ClosedHour } from './hour-window';
import { exceeded, normal, type RuleContext, type Step } from './rule-context';
import type { DustState } from './rule-state';

export const DUST_MEAN_RULE = RULE_IDS.dustMean;
export const QUARTER_MS = 15 * MINUTE_MS;
/** PM10 and TSP at the boundary (catalog: µg/m³). */
export const DUST_FACTORS = { pm10: 'a34002', tsp: 'a34001' } as const;

type Span = 'quarter' | 'hour';

/** The threshold of a factor for a window, or null (not judged). */
function thresholdOf(factor: string, span: Span, ctx: RuleContext): number | null {
  const p = ctx.params.dustMean;
  if (factor === DUST_FACTORS.pm10) return span === 'quarter' ? p.pm10QuarterMax : p.pm10HourMax;
  if (factor === DUST_FACTORS.tsp) return span === 'quarter' ? p.tspQuarterMax : p.tspHourMax;
  return null;
}

export const quarterStartOf = (ts: number, utcOffsetMinutes: number): number => {
  const hour = hourStartOf(ts, utcOffsetMinutes);
  return hour + Math.floor((ts - hour) / QUARTER_MS) * QUARTER_MS;
};

/** Judges one closed window's means, updating which windows are high. */
function judge(state: DustState, closed: ClosedHour, span: Span, minutes: number, ctx: RuleContext): Step<DustState> {
  const findings: Finding[] = [];
  let high = state.high;
  for (const factor of Object.values(DUST_FACTORS)) {
    const threshold = thresholdOf(factor, span, ctx);
    const m = closed.means[factor];
    if (threshold === null || !m || m.mean === null) continue;
    const was = high[factor] ?? { quarter: false, hour: false };
    const isHigh = m.mean > threshold;
    high = { ...high, [factor]: { ...was, [span]: isHigh } };
    const otherHigh = span === 'quarter' ? was.hour : was.quarter;
    if (isHigh) {
      findings.push(
        exceeded(ctx.source.mn, {
          factor,
          rule: DUST_MEAN_RULE,
          severity: ctx.params.dustMean.severity,
          value: m.mean,
          limit: threshold,
          ts: closed.start,
          evidence: {
            windowMinutes: minutes,
            windowStart: closed.start,
            windowEnd: closed.end,
            mean: m.mean,
            threshold,
            validMinutes: m.validMinutes,
          },
        }),
      );
    } else if (!otherHigh) findings.push(normal(ctx.source.mn, factor, DUST_MEAN_RULE, m.mean, closed.start));
  }
  return { state: { ...state, high }, findings };
}

const graceMs = (ctx: RuleContext): number => ctx.params.limitHour.graceS * 1000;

function closePrev(state: DustState, ctx: RuleContext, out: Finding[]): DustState {
  if (!state.prev) return state;
  const c = closeHour(state.prev, ctx.params.dustMean.quarterMinValidMinutes);
  const quarter: ClosedHour = { ...c, end: c.start + QUARTER_MS };
  const step = judge({ ...state, prev: null, closedUntil: Math.max(state.closedUntil, quarter.end) }, quarter, 'quarter', 15, ctx);
  out.push(...step.findings);
  return step.state;
}

/** One reading of a dust source: moves and closes its 15-min windows, then adds its minute or real-time data. */
export function dustQuarterStep(state: DustState, reading: Reading, ctx: RuleContext): Step<DustState> {
  if (ctx.source.kind !== 'dust') return { state, findings: [] };
  const q = quarterStartOf(reading.ts, ctx.utcOffsetMinutes);
  if (q < state.closedUntil) return { state, findings: [] };
  const out: Finding[] = [];
  let st = state;
  if (st.window && q > st.window.start) st = { ...closePrev(st, ctx, out), window: null, prev: st.window };
  if (st.prev && reading.ts >= st.prev.start + QUARTER_MS + graceMs(ctx)) st = closePrev(st, ctx, out);
  if (reading.cn !== '2011' && reading.cn !== '2051') return { state: st, findings: out };
  if (st.prev && q === st.prev.start) return { state: { ...st, prev: accumulate(st.prev, reading, ctx) }, findings: out };
  if (!st.window || q === st.window.start) {
    return { state: { ...st, window: accumulate(st.window ?? emptyWindow(q), reading, ctx) }, findings: out };
  }
  return { state: st, findings: out }; // of a quarter before the windows: late
}

/** At tick: the ended quarter, and the open one, close once now ≥ their end + grace. */
export function dustQuarterTick(state: DustState, now: number, ctx: RuleContext): Step<DustState> {
  if (ctx.source.kind !== 'dust') return { state, findings: [] };
  const out: Finding[] = [];
  let st = state;
  if (st.prev && now >= st.prev.start + QUARTER_MS + graceMs(ctx)) st = closePrev(st, ctx, out);
  if (st.window && now >= st.window.start + QUARTER_MS + graceMs(ctx)) {
    st = closePrev({ ...st, prev: st.window, window: null }, ctx, out);
  }
  return { state: st, findings: out };
}

/** A closed hour of a dust source: its PM10 / TSP hourly means against the hourly thresholds. */
export function dustHourClosed(state: DustState, hour: ClosedHour, ctx: RuleContext): Step<DustState> {
  if (ctx.source.kind !== 'dust') return { state, findings: [] };
  return judge(state, hour, 'hour', 60, ctx);
}
