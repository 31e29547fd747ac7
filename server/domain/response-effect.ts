/**
 * The effect report of a heavy-pollution response (issue 18 item 6; PLANS E9): per enterprise and
 * for the city — acknowledged, required measures verified compliant / failed / unverified (the
 * warning effect report's `complianceOf`), the reductions achieved against those expected per
 * pollutant, and the ambient effect (the warning effect report's figures, once the warning is lifted).
 * Pure; the caller gathers each outlet's hourly emission rates and their baselines
 * (server/responses/measure-hour.ts, the verifier's own reading). Shared by the server and the dashboard.
 *
 * - A required measure applies in the closed hours it is verified in (`hourApplies`: whole hours
 *   inside the response, inside its daily window) up to `until` (the response's end, or the last
 *   closed hour while it runs). Voluntary measures (A, 引领性) count in neither figure, as in the
 *   city's check: nothing obliges them.
 * - expected, kg = Σ the measure's expected kg/h × the hours it applied.
 * - achieved, kg = Σ over the enterprise's outlets named by its required entries (each outlet once)
 *   and the hours any of those measures applied, of baseline − observed emission rate (kg/h × 1 h);
 *   the baseline is the mean of the same local hour over the days before the response (as verified).
 *   An hour without an observed rate or a baseline is not measured (never counted as achieved);
 *   achieved is null when no hour was measured. It can be negative (more than the baseline).
 */
import { roundGbt8170 } from './rounding';
import { HOUR_MS } from './local-time';
import { REDUCTION_POLLUTANTS, type ReductionPollutant, type ResponseLevel } from './reduction-list';
import { hourApplies, type ReductionResponse, type ResponseStatus } from './response';
import {
  complianceOf,
  complianceTotals,
  type EffectComplianceRow,
  type EffectComplianceTotals,
  type WarningEffect,
} from './warning-effect';

/** One outlet-hour of one pollutant: its observed emission rate and its baseline, kg/h. */
export interface HourRate {
  current: number;
  baseline: number | null;
}

/** An outlet's hours per pollutant: hour start → its rate and baseline (a missing hour: no observed rate). */
export type OutletRates = Partial<Record<ReductionPollutant, ReadonlyMap<number, HourRate>>>;

export interface PollutantReduction {
  pollutant: ReductionPollutant;
  /** Σ expected kg/h × hours applied, kg. */
  expectedKg: number;
  /** Σ (baseline − observed) over the outlet-hours measured, kg; null: none measured. */
  achievedKg: number | null;
  /** Outlet-hours the measures applied, and of them those with an observed rate and a baseline. */
  outletHours: number;
  measuredHours: number;
  /** achieved ÷ expected × 100, one decimal; null without an expectation or a measurement. */
  achievedPct: number | null;
}

export interface ResponseEffectRow extends EffectComplianceRow {
  reductions: PollutantReduction[];
}

/** The ambient side, as the warning effect report computes it (no timeline, no notes, no recipients). */
export type AmbientEffect =
  | ({ available: true } & Pick<WarningEffect, 'days' | 'means' | 'heavyHours' | 'heavyHoursTotal'>)
  /** not-lifted: the warning is not (yet) lifted; not-shown: an enterprise user (the city's air is the bureau's). */
  | { available: false; reason: 'not-lifted' | 'not-shown' };

export interface ResponseEffect {
  responseId: number;
  warningId: number;
  level: ResponseLevel;
  districts: string[];
  status: ResponseStatus;
  /** The response's start to its end (while it runs: the end of the last closed hour), epoch ms; whole hours are reported. */
  period: { from: number; to: number };
  rows: ResponseEffectRow[];
  /** The compliance summed over the rows shown (the city's for the bureau, its own for an enterprise). */
  totals: EffectComplianceTotals;
  /** The city's reductions summed (the bureau only; null for an enterprise user). */
  city: { reductions: PollutantReduction[] } | null;
  ambient: AmbientEffect;
}

export interface ResponseEffectInput {
  response: ReductionResponse;
  /** The outlets of a list entry (the entries the measures were resolved from). */
  outletsOf(enterpriseId: string, entryId: string): readonly string[];
  ratesOf(mn: string): OutletRates;
  /** Hours ending by this count: the response's end, or the end of the last closed hour while it runs. */
  until: number;
  utcOffsetMinutes: number;
  ambient: AmbientEffect;
}

/** The closed hours (starts) of [from, until) in which a measure applies. */
function hoursOf(input: ResponseEffectInput, window: Parameters<typeof hourApplies>[2]): number[] {
  const { response: r, until, utcOffsetMinutes: off } = input;
  const out: number[] = [];
  const first = Math.ceil(r.startAt / HOUR_MS) * HOUR_MS;
  for (let h = first; h + HOUR_MS <= until; h += HOUR_MS) if (hourApplies(h, r, window, off)) out.push(h);
  return out;
}

const pct = (achieved: number | null, expected: number): number | null =>
  achieved === null || expected <= 0 ? null : roundGbt8170((achieved / expected) * 100, 1);

const reduction = (
  pollutant: ReductionPollutant,
  expectedKg: number,
  achievedKg: number | null,
  outletHours: number,
  measuredHours: number,
) => ({
  pollutant,
  expectedKg: roundGbt8170(expectedKg, 3),
  achievedKg: achievedKg === null ? null : roundGbt8170(achievedKg, 3),
  outletHours,
  measuredHours,
  achievedPct: pct(achievedKg, expectedKg),
});

function enterpriseReductions(input: ResponseEffectInput, part: ReductionResponse['enterprises'][number]): PollutantReduction[] {
  const expected = new Map<ReductionPollutant, number>();
  const outletHours = new Map<string, Set<number>>();
  for (const m of part.measures) {
    if (m.obligation !== 'required') continue;
    const hours = hoursOf(input, m.measure.window);
    for (const p of REDUCTION_POLLUTANTS) expected.set(p, (expected.get(p) ?? 0) + (m.measure.expectedKgH[p] ?? 0) * hours.length);
    for (const mn of input.outletsOf(part.enterpriseId, m.entryId)) {
      const set = outletHours.get(mn) ?? new Set<number>();
      for (const h of hours) set.add(h);
      outletHours.set(mn, set);
    }
  }
  return REDUCTION_POLLUTANTS.map((p) => {
    let achieved: number | null = null;
    let applied = 0;
    let measured = 0;
    for (const [mn, hours] of outletHours) {
      const rates = input.ratesOf(mn)[p];
      applied += hours.size;
      for (const h of hours) {
        const rate = rates?.get(h);
        if (!rate || rate.baseline === null) continue;
        achieved = (achieved ?? 0) + rate.baseline - rate.current;
        measured++;
      }
    }
    return reduction(p, expected.get(p) ?? 0, achieved, applied, measured);
  });
}

/** The city's sums of the rows' reductions (achieved: of the rows measured; null when none was). */
export function sumReductions(rows: readonly Pick<ResponseEffectRow, 'reductions'>[]): PollutantReduction[] {
  return REDUCTION_POLLUTANTS.map((p) => {
    const of = rows.map((r) => r.reductions.find((x) => x.pollutant === p)).filter((x): x is PollutantReduction => x !== undefined);
    const achieved = of.filter((x) => x.achievedKg !== null);
    const sum = (xs: readonly PollutantReduction[], k: 'expectedKg' | 'achievedKg' | 'outletHours' | 'measuredHours') =>
      xs.reduce((n, x) => n + (x[k] ?? 0), 0);
    return reduction(
      p,
      sum(of, 'expectedKg'),
      achieved.length === 0 ? null : sum(achieved, 'achievedKg'),
      sum(of, 'outletHours'),
      sum(of, 'measuredHours'),
    );
  });
}

export function responseEffect(input: ResponseEffectInput): ResponseEffect {
  const r = input.response;
  const compliance = complianceOf(r);
  if (!compliance.available) throw new Error('a response always has its compliance');
  const rows = compliance.rows.map((row): ResponseEffectRow => {
    const part = r.enterprises.find((e) => e.enterpriseId === row.enterpriseId) as ReductionResponse['enterprises'][number];
    return { ...row, reductions: enterpriseReductions(input, part) };
  });
  return {
    responseId: r.id,
    warningId: r.warningId,
    level: r.level,
    districts: r.districts,
    status: r.status,
    period: { from: r.startAt, to: r.endAt ?? Math.max(r.startAt, input.until) },
    rows,
    totals: compliance.totals,
    city: { reductions: sumReductions(rows) },
    ambient: input.ambient,
  };
}

/** What an enterprise user sees: its own row only — no city sums, no other enterprise, no ambient (the bureau's); null: not in it. */
export function responseEffectForEnterprise(e: ResponseEffect, enterpriseId: string): ResponseEffect | null {
  const own = e.rows.filter((r) => r.enterpriseId === enterpriseId);
  if (own.length === 0) return null;
  return { ...e, rows: own, totals: complianceTotals(own), city: null, ambient: { available: false, reason: 'not-shown' } };
}
