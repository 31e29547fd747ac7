/**
 * Ambient-air assessment over a period (issue 17 item 2; PLANS F1–F4; HJ 663-2013): from the daily
 * AQI records of a scope (a district or the city, ./aqi-records.ts) the good-day ratio (AQI ≤ 100),
 * the heavy-or-worse day ratio (AQI > 200), the period means of PM2.5, PM10, SO2 and NO2, the CO 95th
 * percentile of the daily means and the O3 90th percentile of the daily maximum 8-h means, with their
 * HJ 663 validity, against targets. Pure.
 *
 * Choices:
 * - A day counts in the ratios when its daily AQI is computed from every index valid (the record is
 *   `complete`); the ratios are of the valid days, and the count of valid days is stated.
 * - A pollutant's statistic is taken over the days where that pollutant's daily value is valid.
 * - Percentile (HJ 663 §5.4): the n values sorted ascending X(1) … X(n); k = 1 + (n − 1) × p / 100,
 *   s the integer part of k; Xp = X(s) + (X(s + 1) − X(s)) × (k − s) (X(n + 1) = X(n)).
 * - Precision: statistics at the index's HJ 663 precision (whole µg/m³, CO mg/m³ to 0.1), by
 *   GB/T 8170; ratios in % to 0.01; changes in % to 0.1.
 * - Statistic validity (HJ 663 table 2): a calendar year needs ≥ 324 valid days, a calendar month ≥ 27
 *   (February ≥ 25). HJ 663 gives no count for other spans: a custom range, the autumn–winter period
 *   or a period not over yet needs the year's share, ⌈days × 324 / 365⌉ of the days assessed.
 */
import { roundConcentration, type AqiPollutant } from './aqi';
import type { AqiRecord } from './aqi-records';
import { roundGbt8170 } from './rounding';

/** What a period is assessed on: four means and two percentiles. */
export const ASSESSED = ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3'] as const;
export type Assessed = (typeof ASSESSED)[number];

/** The daily index each statistic is taken over and the statistic (mean, or the p-th percentile). */
export const STATISTICS: Record<Assessed, { index: AqiPollutant; percentile: number | null }> = {
  pm25: { index: 'pm25_24h', percentile: null },
  pm10: { index: 'pm10_24h', percentile: null },
  so2: { index: 'so2_24h', percentile: null },
  no2: { index: 'no2_24h', percentile: null },
  co: { index: 'co_24h', percentile: 95 },
  o3: { index: 'o3_8h', percentile: 90 },
};

/** A good day: AQI ≤ 100 (优 and 良); a heavy-or-worse day: AQI > 200 (重度 and 严重). */
export const GOOD_MAX_AQI = 100;
export const HEAVY_MIN_AQI = 201;

/** One local day of a scope, as the assessment reads it. */
export interface AssessmentDay {
  date: string;
  /** The daily AQI when the day counts (every index valid), else null. */
  aqi: number | null;
  /** Each statistic's daily value when valid (24-h means; O3: daily maximum 8-h mean), else null. */
  values: Record<Assessed, number | null>;
}

export function assessmentDay(date: string, r: AqiRecord): AssessmentDay {
  const values = {} as Record<Assessed, number | null>;
  for (const p of ASSESSED) {
    const v = r.indices[STATISTICS[p].index];
    values[p] = v?.valid === true && v.value !== null ? v.value : null;
  }
  return { date, aqi: r.complete ? r.aqi : null, values };
}

/** The p-th percentile by HJ 663's interpolation, or null for no values. Not rounded. */
export function percentileHj663(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const xs = [...values].sort((a, b) => a - b);
  const k = 1 + ((xs.length - 1) * p) / 100;
  const s = Math.floor(k + 1e-9);
  const lo = xs[s - 1] as number;
  const hi = xs[Math.min(s, xs.length - 1)] as number;
  return lo + (hi - lo) * (k - s);
}

/** HJ 663 table 2: a calendar year. */
export const MIN_VALID_DAYS_YEAR = 324;
export const MIN_VALID_DAYS_MONTH = 27;
export const MIN_VALID_DAYS_FEBRUARY = 25;

/** Valid days a statistic over `days` assessed days needs; `calendar` names a whole year or month assessed in full. */
export function minValidDays(days: number, calendar?: { kind: 'year' } | { kind: 'month'; month: number }): number {
  if (calendar?.kind === 'year') return MIN_VALID_DAYS_YEAR;
  if (calendar?.kind === 'month') return calendar.month === 2 ? MIN_VALID_DAYS_FEBRUARY : MIN_VALID_DAYS_MONTH;
  return Math.ceil((days * MIN_VALID_DAYS_YEAR) / 365 - 1e-9);
}

export interface Statistic {
  /** µg/m³ (CO mg/m³) at HJ 663 precision; null without a valid day. */
  value: number | null;
  /** Days whose daily value is valid. */
  validDays: number;
  /** Enough valid days for the period (HJ 663 table 2). */
  valid: boolean;
}

export interface PeriodFigures {
  /** Days assessed (the period's days that are over). */
  days: number;
  /** Days that count in the ratios (every index valid). */
  validDays: number;
  goodDays: number;
  heavyDays: number;
  /** Of the valid days, %, to 0.01; null without a valid day. */
  goodPct: number | null;
  heavyPct: number | null;
  /** The valid days a statistic needs. */
  minValidDays: number;
  stats: Record<Assessed, Statistic>;
}

const pct = (n: number, of: number): number | null => (of === 0 ? null : roundGbt8170((n / of) * 100, 2));

/** The figures of a scope over the days given (each day once), a statistic valid with ≥ `need` days. */
export function assessDays(days: readonly AssessmentDay[], need: number): PeriodFigures {
  const valid = days.filter((d) => d.aqi !== null);
  const goodDays = valid.filter((d) => (d.aqi as number) <= GOOD_MAX_AQI).length;
  const heavyDays = valid.filter((d) => (d.aqi as number) >= HEAVY_MIN_AQI).length;
  const stats = {} as Record<Assessed, Statistic>;
  for (const p of ASSESSED) {
    const xs = days.map((d) => d.values[p]).filter((v): v is number => v !== null);
    const { index, percentile } = STATISTICS[p];
    const raw = xs.length === 0 ? null : percentile === null ? xs.reduce((a, b) => a + b, 0) / xs.length : percentileHj663(xs, percentile);
    stats[p] = { value: raw === null ? null : roundConcentration(index, raw), validDays: xs.length, valid: xs.length >= need };
  }
  return {
    days: days.length,
    validDays: valid.length,
    goodDays,
    heavyDays,
    goodPct: pct(goodDays, valid.length),
    heavyPct: pct(heavyDays, valid.length),
    minValidDays: need,
    stats,
  };
}

/** Targets of a scope: good days at least, heavy days at most (% of valid days), statistics at most. */
export interface AssessmentTargets {
  goodDaysPct: number;
  heavyDaysPct: number;
  pm25?: number | undefined;
  pm10?: number | undefined;
  so2?: number | undefined;
  no2?: number | undefined;
  co?: number | undefined;
  o3?: number | undefined;
}

export const TARGET_KEYS = ['goodDays', 'heavyDays', ...ASSESSED] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];

export interface TargetCheck {
  key: TargetKey;
  /** % for the ratios, µg/m³ (CO mg/m³) for the statistics. */
  target: number;
  actual: number | null;
  /** Null when the figure is unknown or its statistic not valid. */
  pass: boolean | null;
}

/** Each target against the figures; the ratios compared on the day counts, not the rounded %. */
export function checkTargets(f: PeriodFigures, t: AssessmentTargets): TargetCheck[] {
  const out: TargetCheck[] = [
    {
      key: 'goodDays',
      target: t.goodDaysPct,
      actual: f.goodPct,
      pass: f.validDays === 0 ? null : f.goodDays * 100 >= t.goodDaysPct * f.validDays - 1e-9,
    },
    {
      key: 'heavyDays',
      target: t.heavyDaysPct,
      actual: f.heavyPct,
      pass: f.validDays === 0 ? null : f.heavyDays * 100 <= t.heavyDaysPct * f.validDays + 1e-9,
    },
  ];
  for (const p of ASSESSED) {
    const target = t[p];
    if (target === undefined) continue;
    const s = f.stats[p];
    out.push({ key: p, target, actual: s.value, pass: s.valid && s.value !== null ? s.value <= target : null });
  }
  return out;
}

export interface YearOnYear {
  /** Percentage points. */
  goodPct: number | null;
  heavyPct: number | null;
  /** Days. */
  heavyDays: number;
  /** % change of each statistic (to 0.1), null when either side is unknown or zero. */
  stats: Record<Assessed, number | null>;
}

/** The change from the same period a year earlier. */
export function yearOnYear(cur: PeriodFigures, prev: PeriodFigures): YearOnYear {
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : roundGbt8170(a - b, 2));
  const stats = {} as Record<Assessed, number | null>;
  for (const p of ASSESSED) {
    const a = cur.stats[p].value;
    const b = prev.stats[p].value;
    stats[p] = a === null || b === null || b === 0 ? null : roundGbt8170(((a - b) / b) * 100, 1);
  }
  return {
    goodPct: diff(cur.goodPct, prev.goodPct),
    heavyPct: diff(cur.heavyPct, prev.heavyPct),
    heavyDays: cur.heavyDays - prev.heavyDays,
    stats,
  };
}
