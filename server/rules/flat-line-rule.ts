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
import { exceeded, normal, type RuleContext, type Step } from './rule-context';
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
const emptyWindow = (s: FlatState): FlatState => ({ ...s, count: 0, min: 0, max: 0 });

/** One value of a watched factor: extend the flat window, raise it, or restart it (clearing). */
/** How far values may spread and still count as not varying, in the factor's unit. */
export function flatTolerance(min: number, max: number, p: { epsilon: number; relTolerancePct: number }): number {
  return Math.max(p.epsilon, (p.relTolerancePct / 100) * Math.max(Math.abs(min), Math.abs(max)));
}

function stepFactor(
  s: FlatState | undefined,
  ts: number,
  value: number,
  ctx: RuleContext,
  factor: string,
): { s: FlatState; finding?: Finding } {
  const p = ctx.params.flatLine;
  if (!s || s.count === 0) return { s: fresh(ts, value, s?.active ?? false) };
  const min = Math.min(s.min, value);
  const max = Math.max(s.max, value);
  const tolerance = flatTolerance(min, max, p);
  if (max - min > tolerance) {
    const finding = s.active ? normal(ctx.source.mn, factor, FLAT_LINE_RULE, value, ts) : undefined;
    return { s: fresh(ts, value, false), ...(finding ? { finding } : {}) };
  }
  const next: FlatState = { ...s, end: Math.max(s.end, ts), min, max, count: s.count + 1 };
  if (next.active || next.end - next.start < p.windowS * 1000 || next.count < p.minSamples) return { s: next };
  const finding = exceeded(ctx.source.mn, {
    factor,
    rule: FLAT_LINE_RULE,
    severity: 'major',
    value,
    limit: tolerance,
    ts,
    evidence: {
      windowStart: next.start,
      windowEnd: next.end,
      value,
      samples: next.count,
      spread: max - min,
      tolerance,
      floor: p.floors[factor] ?? null,
    },
  });
  return { s: { ...next, active: true }, finding };
}

/** One sample reading. A stopped source (or a value flagged F) restarts the window without clearing. */
export function flatLineStep(state: FlatLineState, reading: Reading, ctx: RuleContext): Step<FlatLineState> {
  const watched = ctx.params.flatLine.factors[ctx.source.kind] ?? [];
  const next = { ...state };
  const findings: Finding[] = [];
  const isRunning = running(reading, ctx);
  for (const factor of watched) {
    const fv = reading.factors[factor];
    if (!fv) continue;
    const prev = state[factor];
    if (fv.flag === 'F' || !isRunning) {
      if (prev) next[factor] = emptyWindow(prev);
      continue;
    }
    const value = primaryValue(reading.cn, fv);
    if (!isValidFlag(fv.flag) || value === undefined) continue;
    const floor = ctx.params.flatLine.floors[factor];
    if (floor !== undefined && value <= floor) {
      if (prev?.active) findings.push(normal(ctx.source.mn, factor, FLAT_LINE_RULE, value, reading.ts));
      if (prev) next[factor] = { ...emptyWindow(prev), active: false };
      continue;
    }
    const r = stepFactor(prev, reading.ts, value, ctx, factor);
    next[factor] = r.s;
    if (r.finding) findings.push(r.finding);
  }
  return { state: next, findings };
}
