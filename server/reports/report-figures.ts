/**
 * Pure: the figures a report shows, from the hourly rollup (DOMAIN §4).
 *   hour  valid with ≥ minValidMinutes valid minute means (default 45); its mean is the mean of those
 *   day   valid with ≥ minValidHours valid hour means (default 20); its mean is the mean of those
 *   flag  N only if more than 75 % of the inputs were N (hour: minutes; day: hours with data)
 *   effective transmission rate = transmission rate (received ÷ expected) × validity rate
 *         (valid ÷ received); pass mark 90 %. Counted in the source's registered intervals
 *         (registry intervalS): expected = intervals in the period, received = intervals that got a
 *         real-time or minute record, valid = intervals that got a valid one (every factor N).
 * Validity and flag are reported side by side: an hour of 30 minutes, all N, is flagged N but not valid.
 */
import type { DataFlag } from '../domain/reading';
import type { Limit } from '../domain/registry';
import type { FactorHourStats } from '../storage/hourly-rollup';
import { aggregateFlag, intervalsPerHour } from './hour-aggregate';
import { HOUR_MS } from '../domain/local-time';
import type { MeanFigure, TransmissionRates } from '../domain/report';

export type { MeanFigure, TransmissionRates } from '../domain/report';

/** Effective transmission rate needed to pass (DOMAIN §1, §4). */
export const TRANSMISSION_PASS = 0.9;

/**
 * An hour's figure for one factor. `convert`: the limit compares converted values, so the hour is
 * judged on its converted inputs only — valid with ≥ minValidMinutes of them (an input is converted
 * when the logger sent zs or the record's O2 was valid); without them the hour has no value and is
 * not valid, never the measured mean in its place. `measured` is the measured mean either way.
 */
export function hourFigure(s: FactorHourStats | undefined, minValidMinutes: number, convert: boolean): MeanFigure {
  if (!s || s.n === 0) return { value: null, measured: null, converted: false, validInputs: 0, inputs: 0, valid: false, flag: null };
  const measured = s.nValid > 0 ? s.sum / s.nValid : null;
  if (!convert) {
    const valid = s.nValid >= minValidMinutes;
    return { value: measured, measured, converted: false, validInputs: s.nValid, inputs: s.n, valid, flag: s.flag };
  }
  const value = s.nZs > 0 ? s.sumZs / s.nZs : null;
  return { value, measured, converted: true, validInputs: s.nZs, inputs: s.n, valid: s.nZs >= minValidMinutes, flag: s.flag };
}

/** A day's figure from its hour figures: the mean of the valid hours' means. */
export function dayFigure(hours: readonly MeanFigure[], minValidHours: number): MeanFigure {
  const received = hours.filter((h) => h.inputs > 0);
  const valid = received.filter((h) => h.valid && h.value !== null);
  const flags: Partial<Record<DataFlag, number>> = {};
  for (const h of received) if (h.flag) flags[h.flag] = (flags[h.flag] ?? 0) + 1;
  const measured = valid.filter((h) => h.measured !== null);
  return {
    value: valid.length > 0 ? valid.reduce((a, h) => a + (h.value as number), 0) / valid.length : null,
    measured: measured.length > 0 ? measured.reduce((a, h) => a + (h.measured as number), 0) / measured.length : null,
    converted: hours.some((h) => h.converted),
    validInputs: valid.length,
    inputs: received.length,
    valid: valid.length >= minValidHours,
    flag: received.length > 0 ? aggregateFlag(flags) : null,
  };
}

/** Above the limit's max or below its min. */
export function exceeds(value: number, limit: Pick<Limit, 'max' | 'min'>): boolean {
  return (limit.max !== undefined && value > limit.max) || (limit.min !== undefined && value < limit.min);
}

/** Valid hours whose mean is beyond the limit (only valid hours are judged). */
export const exceedingHours = (hours: readonly MeanFigure[], limit: Pick<Limit, 'max' | 'min'> | undefined): number =>
  limit ? hours.filter((h) => h.valid && h.value !== null && exceeds(h.value, limit)).length : 0;

export function transmissionRates(expected: number, received: number, valid: number): TransmissionRates {
  const transmissionRate = expected > 0 ? Math.min(1, received / expected) : 0;
  const validityRate = received > 0 ? valid / received : 0;
  const effectiveRate = transmissionRate * validityRate;
  return { expected, received, valid, transmissionRate, validityRate, effectiveRate, pass: effectiveRate >= TRANSMISSION_PASS };
}

/**
 * Intervals a source registered at `intervalS` should cover in [from, to) (`from` hour-aligned):
 * every interval of each whole hour (see intervalsPerHour), and of a running hour those already over.
 */
export function expectedIntervals(from: number, to: number, intervalS: number): number {
  let n = 0;
  for (let h = from; h < to; h += HOUR_MS) n += h + HOUR_MS <= to ? intervalsPerHour(intervalS) : Math.floor((to - h) / (intervalS * 1000));
  return n;
}
