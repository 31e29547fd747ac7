/**
 * Pure: the hourly, daily and transmission reports of one source from its rollup hours, its
 * effective limits and rule parameters. Limits apply to converted means where they say o2Converted.
 */
import { catalog, factorUnitOf } from '../domain/catalog';
import type { Limit, Source } from '../domain/registry';
import type { SourceHour } from '../storage/hourly-rollup';
import {
  dayFigure,
  exceedingHours,
  exceeds,
  expectedIntervals,
  hourFigure,
  transmissionRates,
  type MeanFigure,
  type TransmissionRates,
} from './report-figures';
import { DAY_MS, hoursIn } from '../domain/local-time';
import type { LimitView } from '../domain/limit-pack';
import type { DailyFactor, DailySource, HourlyRow, SourceIdentity, TransmissionRow } from '../domain/report';

export interface ReportSubject {
  source: Source;
  enterpriseName: string;
  limits: Record<string, Limit>;
  minValidMinutes: number;
  minValidHours: number;
}

export type { DailyFactor, DailySource, HourlyRow, SourceIdentity, TransmissionRow } from '../domain/report';

export const identity = (s: ReportSubject): SourceIdentity => ({
  mn: s.source.mn,
  name: s.source.name,
  enterpriseId: s.source.enterpriseId,
  enterpriseName: s.enterpriseName,
  kind: s.source.kind,
});

const CATALOG_ORDER = new Map(catalog.all().map((f, i) => [f.code, i]));
const rank = (f: string) => CATALOG_ORDER.get(f) ?? Number.MAX_SAFE_INTEGER;
/** The report's order of factors: catalog order, non-catalog codes last, by code. */
export const factorOrder = (a: string, b: string): number => rank(a) - rank(b) || a.localeCompare(b);

/** Factors seen in the hours, in the report's order. */
export function factorsOf(hours: Iterable<SourceHour>): string[] {
  const seen = new Set<string>();
  for (const h of hours) for (const f of Object.keys(h.factors)) seen.add(f);
  return [...seen].sort(factorOrder);
}

export const limitView = (l: Limit | undefined): LimitView | null =>
  l ? { ...(l.max !== undefined ? { max: l.max } : {}), ...(l.min !== undefined ? { min: l.min } : {}), o2Converted: l.o2Converted } : null;

const beyond = (f: MeanFigure, limit: Limit | undefined): boolean => !!limit && f.valid && f.value !== null && exceeds(f.value, limit);

function hourFiguresOf(
  s: ReportSubject,
  hours: ReadonlyMap<number, SourceHour>,
  hourStarts: readonly number[],
  factor: string,
): MeanFigure[] {
  const convert = s.limits[factor]?.o2Converted ?? false;
  return hourStarts.map((h) => hourFigure(hours.get(h)?.factors[factor], s.minValidMinutes, convert));
}

/** One row per hour and factor, oldest hour first. */
export function buildHourly(s: ReportSubject, hours: ReadonlyMap<number, SourceHour>, dayStart: number): HourlyRow[] {
  const hourStarts = hoursIn(dayStart, dayStart + DAY_MS);
  const factors = factorsOf(hours.values());
  const rows: HourlyRow[] = [];
  const byFactor = new Map(factors.map((f) => [f, hourFiguresOf(s, hours, hourStarts, f)]));
  hourStarts.forEach((hour, i) => {
    for (const factor of factors) {
      const fig = byFactor.get(factor)?.[i] as MeanFigure;
      if (fig.inputs === 0) continue;
      const limit = s.limits[factor];
      rows.push({ hour, factor, unit: factorUnitOf(factor, s.source.kind), ...fig, limit: limitView(limit), exceeds: beyond(fig, limit) });
    }
  });
  return rows;
}

function transmissionOf(s: ReportSubject, hours: ReadonlyMap<number, SourceHour>, dayStart: number, now: number): TransmissionRates {
  let received = 0;
  let valid = 0;
  for (const h of hours.values()) {
    if (h.hour < dayStart || h.hour >= dayStart + DAY_MS) continue;
    received += h.intervals;
    valid += h.validIntervals;
  }
  // Today: expected up to now only.
  return transmissionRates(expectedIntervals(dayStart, Math.min(dayStart + DAY_MS, now), s.source.intervalS), received, valid);
}

/** A source's day: per factor the day mean and its validity, hours over the limit; transmission; alerts by rule. */
export function buildDaily(
  s: ReportSubject,
  hours: ReadonlyMap<number, SourceHour>,
  dayStart: number,
  date: string,
  alerts: Record<string, number>,
  now: number,
): DailySource {
  const hourStarts = hoursIn(dayStart, dayStart + DAY_MS);
  const factors = factorsOf(hours.values()).map((factor): DailyFactor => {
    const hourFigs = hourFiguresOf(s, hours, hourStarts, factor);
    const day = dayFigure(hourFigs, s.minValidHours);
    const limit = s.limits[factor];
    return {
      factor,
      unit: factorUnitOf(factor, s.source.kind),
      ...day,
      limit: limitView(limit),
      exceedingHours: exceedingHours(hourFigs, limit),
      exceeds: beyond(day, limit),
    };
  });
  return { ...identity(s), date, factors, transmission: transmissionOf(s, hours, dayStart, now), alerts };
}

export function buildTransmission(
  s: ReportSubject,
  hours: ReadonlyMap<number, SourceHour>,
  dayStart: number,
  date: string,
  now: number,
): TransmissionRow {
  return { ...identity(s), date, ...transmissionOf(s, hours, dayStart, now) };
}
