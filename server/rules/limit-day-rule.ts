/**
 * limit-day: the daily mean of valid hourly means (compared values), valid with ≥ `minValidHours`
 * of them (HJ 75: 20), judged against the limit when the local day closes: when an hour of a later
 * day closes or a reading stamped at or after day end + grace arrives, or at tick() once now ≥ day
 * end + grace.
 */
import type { Finding } from '../domain/alert';
import { RULE_IDS } from '../domain/rule-pack';
import type { ClosedHour } from './hour-window';
import { DAY_MS, dayStartOf } from '../domain/local-time';
import { breachedBound, exceeded, normal, type RuleContext, type Step } from './rule-context';
import type { DayWindow } from './rule-state';

export const LIMIT_DAY_RULE = RULE_IDS.limitDay;

export interface DayState {
  window: DayWindow | null;
  closedUntil: number;
}

export function judgeDay(day: DayWindow, ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const { mn } = ctx.source;
  for (const [factor, limit] of Object.entries(ctx.limits)) {
    const h = day.hours[factor];
    if (!h || h.n < ctx.params.limitDay.minValidHours) continue;
    const mean = h.sum / h.n;
    const bound = breachedBound(mean, limit);
    findings.push(
      bound === undefined
        ? normal(mn, factor, LIMIT_DAY_RULE, mean, day.start)
        : exceeded(mn, {
            factor,
            rule: LIMIT_DAY_RULE,
            severity: limit.severity,
            value: mean,
            limit: bound,
            ts: day.start,
            evidence: { windowStart: day.start, windowEnd: day.start + DAY_MS, validHours: h.n, o2Converted: limit.o2Converted },
          }),
    );
  }
  return findings;
}

function close(state: DayState, ctx: RuleContext): Step<DayState> {
  if (!state.window) return { state, findings: [] };
  return { state: { window: null, closedUntil: state.window.start + DAY_MS }, findings: judgeDay(state.window, ctx) };
}

/** Closes the open day if `at` (a reading's ts) is at or after its end + the window grace — when its
 * last hour, which takes late data until then, has closed too (hour-window.ts). */
export function dayCloseByReading(state: DayState, at: number, ctx: RuleContext): Step<DayState> {
  const w = state.window;
  return w && at >= w.start + DAY_MS + ctx.params.limitHour.graceS * 1000 ? close(state, ctx) : { state, findings: [] };
}

/** At tick: closes the open day once now ≥ its end + the window grace (limitHour.graceS). */
export function dayCloseByTick(state: DayState, now: number, ctx: RuleContext): Step<DayState> {
  const w = state.window;
  return w && now >= w.start + DAY_MS + ctx.params.limitHour.graceS * 1000 ? close(state, ctx) : { state, findings: [] };
}

/** Adds a closed hour's valid means to its day (closing an earlier open day first). */
export function addHourToDay(state: DayState, hour: ClosedHour, ctx: RuleContext): Step<DayState> {
  const day = dayStartOf(hour.start, ctx.utcOffsetMinutes);
  if (day < state.closedUntil || (state.window && day < state.window.start)) return { state, findings: [] };
  const closed = state.window && day > state.window.start ? close(state, ctx) : { state, findings: [] };
  const w = closed.state.window ?? { start: day, hours: {} };
  const hours = { ...w.hours };
  for (const [factor, m] of Object.entries(hour.means)) {
    if (m.meanC === null) continue;
    const prev = hours[factor] ?? { n: 0, sum: 0 };
    hours[factor] = { n: prev.n + 1, sum: prev.sum + m.meanC };
  }
  return { state: { window: { ...w, hours }, closedUntil: closed.state.closedUntil }, findings: closed.findings };
}
