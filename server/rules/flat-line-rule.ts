/**
 * flat-line: a factor whose valid values do not vary — max − min ≤ the tolerance, the larger of
 * `epsilon` and `relTolerancePct` % of the level — for `windowS` with at least `minSamples` samples
 * while the source runs is a sign of a stuck instrument or of falsification (DOMAIN §4): major,
 * with the window as evidence; it clears when the value varies. A value at or below the factor's
 * detection floor (`floors`, the analyser's detection limit) is "not detected", no sign of anything:
 * a gas boiler's SO2 at 0 or a slip analyser's NH3 at 0.00 restart the window (and end a raised
 * flat line: the value left it).
 * O(1) state per factor: the window's start and end, min, max and sample count. Only the factors
 * configured for the source's kind are watched (a flow or temperature may legitimately sit still).
 * Running: the value is not flagged F, and for CEMS the flow (a00000), if sent, is above 0.
 */
import type { Finding } from '../domain/alert';
import { FLOW_FACTOR } from '../domain/catalog';
import { isValidFlag, primaryValue, type Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { exceeded, normal, NO_FINDINGS, type RuleContext, type Step } from './rule-context';
import type { FlatState } from './rule-state';

export const FLAT_LINE_RULE = RULE_IDS.flatLine;
export type FlatLineState = Record<string, FlatState>;

function running(reading: Reading, ctx: RuleContext): boolean {
  if (ctx.source.kind !== 'cems') return true;
  const flow = reading.factors[FLOW_FACTOR];
  if (!flow) return true;
  const v = primaryValue(reading.cn, flow);
  return flow.flag !== 'F' && (v === undefined || v > 0);
}

const fresh = (ts: number, value: number, active: boolean): FlatState => ({ start: ts, end: ts, min: value, max: value, count: 1, active });

/** Begins the window again at this sample, in place. */
function restart(s: FlatState, ts: number, value: number, active: boolean): void {
  s.start = ts;
  s.end = ts;
  s.min = value;
  s.max = value;
  s.count = 1;
  s.active = active;
}

/** Empties the window, in place (the next sample begins it). */
function empty(s: FlatState): void {
  s.count = 0;
  s.min = 0;
  s.max = 0;
}

/** How far values may spread and still count as not varying, in the factor's unit. */
export function flatTolerance(min: number, max: number, p: { epsilon: number; relTolerancePct: number }): number {
  return Math.max(p.epsilon, (p.relTolerancePct / 100) * Math.max(Math.abs(min), Math.abs(max)));
}

/** One value of a watched factor's window `s` (updated in place): extend it, raise it, or restart it (clearing). */
function stepFactor(s: FlatState, ts: number, value: number, ctx: RuleContext, factor: string): Finding | undefined {
  const p = ctx.params.flatLine;
  if (s.count === 0) return void restart(s, ts, value, s.active);
  const min = Math.min(s.min, value);
  const max = Math.max(s.max, value);
  const tolerance = flatTolerance(min, max, p);
  if (max - min > tolerance) {
    const finding = s.active ? normal(ctx.source.mn, factor, FLAT_LINE_RULE, value, ts) : undefined;
    restart(s, ts, value, false);
    return finding;
  }
  s.end = Math.max(s.end, ts);
  s.min = min;
  s.max = max;
  s.count++;
  if (s.active || s.end - s.start < p.windowS * 1000 || s.count < p.minSamples) return undefined;
  s.active = true;
  return exceeded(ctx.source.mn, {
    factor,
    rule: FLAT_LINE_RULE,
    severity: 'major',
    value,
    limit: tolerance,
    ts,
    evidence: {
      windowStart: s.start,
      windowEnd: s.end,
      value,
      samples: s.count,
      spread: max - min,
      tolerance,
      floor: p.floors[factor] ?? null,
    },
  });
}

/**
 * One sample reading. A stopped source (or a value flagged F) restarts the window without clearing.
 * The factors' windows are the source's own and are updated in place (the state itself is returned).
 */
export function flatLineStep(state: FlatLineState, reading: Reading, ctx: RuleContext): Step<FlatLineState> {
  const watched = ctx.params.flatLine.factors[ctx.source.kind] ?? [];
  let findings: Finding[] | undefined;
  const isRunning = running(reading, ctx);
  for (const factor of watched) {
    const fv = reading.factors[factor];
    if (!fv) continue;
    const prev = state[factor];
    if (fv.flag === 'F' || !isRunning) {
      if (prev) empty(prev);
      continue;
    }
    const value = primaryValue(reading.cn, fv);
    if (!isValidFlag(fv.flag) || value === undefined) continue;
    const floor = ctx.params.flatLine.floors[factor];
    if (floor !== undefined && value <= floor) {
      if (prev?.active) (findings ??= []).push(normal(ctx.source.mn, factor, FLAT_LINE_RULE, value, reading.ts));
      if (prev) {
        empty(prev);
        prev.active = false;
      }
      continue;
    }
    if (!prev) {
      state[factor] = fresh(reading.ts, value, false);
      continue;
    }
    const finding = stepFactor(prev, reading.ts, value, ctx, factor);
    if (finding) (findings ??= []).push(finding);
  }
  return { state, findings: findings ?? NO_FINDINGS };
}
