/**
 * Verifying a measure hour by hour (issue 18; PLANS E5, E7, E11): what the hour's monitoring and
 * power data say about one resolved measure. Pure: the caller gathers the hour (line power from
 * meters or gkw signals, outlet flow, flags, hourly means, emission rates and their baseline) and
 * asks here; a measure failing `failHours` closed hours in a row is a non-compliance.
 *
 * - stop: any evidence of running fails (line power or flow above its indicator; without
 *   indicators, an outlet not flagged F whose flow is above zero); evidence of stopping and none of
 *   running passes (power or flow within its indicator, every outlet flagged F); no evidence: nodata.
 * - limit: every key indicator holds (power, flow, a special-period concentration limit on the
 *   hourly mean); without indicators, each outlet's emission rate is within `limitToPct` % of the
 *   same hours' baseline. Any indicator without data: nodata (never compliant by default).
 * - unchanged: nothing to verify.
 */
import type { KeyIndicator, LevelMeasure, ReductionEntry } from './reduction-list';

/** What one closed hour shows, as the caller gathered it. A missing key: no data in the hour. */
export interface MeasureHour {
  /** Mean power of a facility (production line) in the hour, kW. */
  linePowerKw: Readonly<Record<string, number>>;
  /**
   * Where a facility's hour of power came from, when not the loggers' live signals: the grid
   * company's file (`import`, with the imports that covered it). Absent: the logger.
   */
  powerSource?: Readonly<Record<string, { source: PowerSource; importIds: readonly string[] }>>;
  /** Mean flue-gas flow of an outlet, m³/h. */
  flowM3h: Readonly<Record<string, number>>;
  /** Outlets whose hour is flagged stopped (F). */
  stoppedMns: readonly string[];
  /** Hourly mean concentration of an outlet by factor code (converted where the limit is), mg/m³. */
  concentration: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** An outlet's emission rate this hour and its baseline (the same hour of the days before), kg/h. */
  emissionKgH: Readonly<Record<string, { current: number; baseline: number | null }>>;
}

export type CheckVerdict = 'pass' | 'fail' | 'nodata';

/** Where a line's power was read: the logger's signals (gkw, real time or hour records) or a power-data import. */
export type PowerSource = 'logger' | 'import';

/** One piece of evidence, as an alert and the report show it. */
export interface Check {
  what: 'line-power' | 'outlet-flow' | 'limit' | 'flag' | 'emission';
  /** The facility id or the outlet MN (with the code for a limit). */
  subject: string;
  code?: string;
  observed: number | null;
  /** The indicator's figure, or for emission the allowed kg/h. */
  allowed: number | null;
  verdict: CheckVerdict;
  /** line-power: where the hour's power was read (absent before this was recorded: the logger). */
  source?: PowerSource;
  /** line-power read from imports: which. */
  importIds?: string[];
}

export interface HourVerdict {
  verdict: CheckVerdict | 'none';
  checks: Check[];
}

const within = (observed: number | undefined, allowed: number): CheckVerdict =>
  observed === undefined ? 'nodata' : observed <= allowed ? 'pass' : 'fail';

function indicatorCheck(ind: KeyIndicator, hour: MeasureHour): Check {
  switch (ind.kind) {
    case 'line-power': {
      const v = hour.linePowerKw[ind.facilityId];
      const from = hour.powerSource?.[ind.facilityId];
      const check: Check = {
        what: 'line-power',
        subject: ind.facilityId,
        observed: v ?? null,
        allowed: ind.maxKw,
        verdict: within(v, ind.maxKw),
      };
      if (v === undefined) return check;
      return from?.source === 'import' ? { ...check, source: 'import', importIds: [...from.importIds] } : { ...check, source: 'logger' };
    }
    case 'outlet-flow': {
      const v = hour.flowM3h[ind.mn];
      return { what: 'outlet-flow', subject: ind.mn, observed: v ?? null, allowed: ind.maxM3h, verdict: within(v, ind.maxM3h) };
    }
    case 'limit': {
      const v = hour.concentration[ind.mn]?.[ind.code];
      return { what: 'limit', subject: ind.mn, code: ind.code, observed: v ?? null, allowed: ind.limit, verdict: within(v, ind.limit) };
    }
  }
}

/** A stop's evidence from its outlets when it names no power or flow indicator: flag F, or flow. */
function outletStopCheck(mn: string, hour: MeasureHour): Check {
  if (hour.stoppedMns.includes(mn)) return { what: 'flag', subject: mn, observed: null, allowed: null, verdict: 'pass' };
  const flow = hour.flowM3h[mn];
  return {
    what: 'outlet-flow',
    subject: mn,
    observed: flow ?? null,
    allowed: 0,
    verdict: flow === undefined ? 'nodata' : flow > 0 ? 'fail' : 'pass',
  };
}

function judgeStop(entry: Pick<ReductionEntry, 'outletMns'>, measure: LevelMeasure, hour: MeasureHour): HourVerdict {
  const evidence = measure.indicators.filter((i) => i.kind !== 'limit');
  const checks =
    evidence.length > 0
      ? evidence.map((i) => {
          const c = indicatorCheck(i, hour);
          // An outlet flagged stopped shows the stop whatever its flow meter reads.
          return i.kind === 'outlet-flow' && c.verdict !== 'pass' && hour.stoppedMns.includes(i.mn)
            ? { ...c, what: 'flag' as const, verdict: 'pass' as const }
            : c;
        })
      : entry.outletMns.map((mn) => outletStopCheck(mn, hour));
  return { verdict: combine(checks, 'any-evidence'), checks };
}

function judgeLimit(entry: Pick<ReductionEntry, 'outletMns'>, measure: LevelMeasure, hour: MeasureHour): HourVerdict {
  if (measure.indicators.length > 0) {
    const checks = measure.indicators.map((i) => indicatorCheck(i, hour));
    return { verdict: combine(checks, 'all'), checks };
  }
  const share = (measure.limitToPct ?? 100) / 100;
  const checks = entry.outletMns.map((mn): Check => {
    const e = hour.emissionKgH[mn];
    if (!e || e.baseline === null) return { what: 'emission', subject: mn, observed: e?.current ?? null, allowed: null, verdict: 'nodata' };
    const allowed = e.baseline * share;
    return { what: 'emission', subject: mn, observed: e.current, allowed, verdict: e.current <= allowed ? 'pass' : 'fail' };
  });
  return { verdict: combine(checks, 'all'), checks };
}

/**
 * any-evidence (a stop): a failure fails; else a pass passes; else nodata.
 * all (a limit): a failure fails; else any nodata is nodata; else pass.
 */
function combine(checks: readonly Check[], how: 'any-evidence' | 'all'): CheckVerdict {
  if (checks.some((c) => c.verdict === 'fail')) return 'fail';
  if (how === 'any-evidence') return checks.some((c) => c.verdict === 'pass') ? 'pass' : 'nodata';
  return checks.length === 0 || checks.some((c) => c.verdict === 'nodata') ? 'nodata' : 'pass';
}

/** The hour's verdict on one entry's measure. */
export function judgeMeasureHour(entry: Pick<ReductionEntry, 'outletMns'>, measure: LevelMeasure, hour: MeasureHour): HourVerdict {
  switch (measure.action) {
    case 'unchanged':
      return { verdict: 'none', checks: [] };
    case 'stop':
      return judgeStop(entry, measure, hour);
    case 'limit':
      return judgeLimit(entry, measure, hour);
  }
}

/** A non-compliance after this many failed closed hours in a row (default; configurable). */
export const DEFAULT_FAIL_HOURS = 2;

/** Failed hours in a row after this hour: a pass resets, nodata holds (neither proves nor clears). */
export function failStreak(previous: number, verdict: HourVerdict['verdict']): number {
  if (verdict === 'fail') return previous + 1;
  if (verdict === 'pass' || verdict === 'none') return 0;
  return previous;
}
