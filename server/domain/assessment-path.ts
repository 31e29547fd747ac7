/**
 * The autumn–winter required path (秋冬季, 1 Oct – 31 Mar; PLANS F3/F4): a district's target is last
 * period's PM2.5 mean cut by a share and last period's heavy-or-worse days cut by a number of days
 * (county tiers, e.g. −5/8/10/15 % and −1/2/4 days). The path gives, for each date of the period,
 * the cumulative figure the district must be at by then to meet its target, following last period's
 * own course (winter is worse than autumn, so a flat line would flatter October):
 * - PM2.5: last period's cumulative mean up to the same day a year earlier × (1 − cut %), to 0.1;
 * - heavy days: last period's cumulative heavy days by that day × (target days ÷ last period's days).
 * Without last period's data: the PM2.5 path is the annual target (flat), the heavy days the annual
 * heavy-day ratio's share of the period, spread evenly. Behind schedule: on the last day assessed,
 * the cumulative PM2.5 mean (whole µg/m³) is above the path, or the heavy days are above it. Pure.
 */
import type { AssessmentDay } from './assessment';
import { yearBefore } from './assessment-period';
import { roundConcentration } from './aqi';
import { roundGbt8170 } from './rounding';

/** A county's autumn–winter target: PM2.5 mean down by this %, heavy-or-worse days down by this many. */
export interface AutumnWinterTarget {
  pm25CutPct: number;
  heavyDaysCut: number;
}

export interface PathPoint {
  date: string;
  /** µg/m³, to 0.1: the cumulative mean the path allows by this day. */
  pm25Required: number | null;
  /** µg/m³ (whole): the cumulative mean from the period's first day; null after the last day assessed. */
  pm25Actual: number | null;
  /** Days, to 0.1. */
  heavyAllowed: number;
  heavyActual: number | null;
}

export interface RequiredPath {
  /** Last period's PM2.5 mean (whole µg/m³) and heavy days; null without its data. */
  pm25Previous: number | null;
  heavyDaysPrevious: number | null;
  /** The period's targets: PM2.5 mean (µg/m³, 0.1) and heavy days. */
  pm25Target: number | null;
  heavyDaysTarget: number;
  points: PathPoint[];
  /** On the last day assessed; null before any day is assessed or without a path. */
  behind: { pm25: boolean | null; heavyDays: boolean | null };
  behindSchedule: boolean;
}

export interface PathInput {
  /** The period's dates in order. */
  dates: readonly string[];
  /** The last day assessed (null: none yet). */
  through: string | null;
  current: ReadonlyMap<string, AssessmentDay>;
  /** Last period's days, by date. */
  previous: ReadonlyMap<string, AssessmentDay>;
  target: AutumnWinterTarget;
  /** Without last period's data: the annual PM2.5 target and heavy-day ratio (%). */
  fallback: { pm25?: number | undefined; heavyDaysPct: number };
}

const isHeavy = (d: AssessmentDay | undefined) => d?.aqi !== null && d?.aqi !== undefined && d.aqi > 200;

export function requiredPath(i: PathInput): RequiredPath {
  const n = i.dates.length;
  // Last period's running sums, one entry per date of this period (a leap day maps to 28 Feb, counted once).
  const seen = new Set<string>();
  let sum = 0;
  let count = 0;
  let heavy = 0;
  let validDays = 0;
  const prevCum = i.dates.map((d) => {
    const p = yearBefore(d);
    const day = seen.has(p) ? undefined : i.previous.get(p);
    seen.add(p);
    const v = day?.values.pm25 ?? null;
    if (v !== null) {
      sum += v;
      count++;
    }
    if (day?.aqi !== null && day?.aqi !== undefined) validDays++;
    if (isHeavy(day)) heavy++;
    return { mean: count > 0 ? sum / count : null, heavy };
  });
  const hasPrev = count > 0;
  const factor = 1 - i.target.pm25CutPct / 100;
  const pm25Previous = hasPrev ? roundConcentration('pm25_24h', sum / count) : null;
  const pm25Target = hasPrev ? roundGbt8170((sum / count) * factor, 1) : (i.fallback.pm25 ?? null);
  const heavyDaysPrevious = validDays > 0 ? heavy : null;
  const heavyDaysTarget =
    heavyDaysPrevious !== null
      ? Math.max(0, heavyDaysPrevious - i.target.heavyDaysCut)
      : Math.floor((n * i.fallback.heavyDaysPct) / 100 + 1e-9);

  let curSum = 0;
  let curCount = 0;
  let curHeavy = 0;
  const points = i.dates.map((date, k): PathPoint => {
    const prev = prevCum[k] as { mean: number | null; heavy: number };
    const pm25Required = hasPrev ? (prev.mean === null ? null : roundGbt8170(prev.mean * factor, 1)) : (i.fallback.pm25 ?? null);
    const heavyAllowed =
      heavyDaysPrevious !== null
        ? heavyDaysPrevious === 0
          ? 0
          : roundGbt8170((prev.heavy * heavyDaysTarget) / heavyDaysPrevious, 1)
        : roundGbt8170((heavyDaysTarget * (k + 1)) / n, 1);
    if (i.through === null || date > i.through) return { date, pm25Required, pm25Actual: null, heavyAllowed, heavyActual: null };
    const day = i.current.get(date);
    const v = day?.values.pm25 ?? null;
    if (v !== null) {
      curSum += v;
      curCount++;
    }
    if (isHeavy(day)) curHeavy++;
    const pm25Actual = curCount > 0 ? roundConcentration('pm25_24h', curSum / curCount) : null;
    return { date, pm25Required, pm25Actual, heavyAllowed, heavyActual: curHeavy };
  });
  const last = i.through === null ? undefined : points.filter((p) => p.date <= (i.through as string)).at(-1);
  const behind = {
    pm25: last?.pm25Actual == null || last.pm25Required === null ? null : last.pm25Actual > last.pm25Required,
    heavyDays: last?.heavyActual == null ? null : last.heavyActual > last.heavyAllowed,
  };
  return {
    pm25Previous,
    heavyDaysPrevious,
    pm25Target,
    heavyDaysTarget,
    points,
    behind,
    behindSchedule: behind.pm25 === true || behind.heavyDays === true,
  };
}
