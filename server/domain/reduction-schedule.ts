/**
 * Peak-shift schedules (错峰生产, issue 18 item 4; PLANS E12): a list entry (a cement clinker line)
 * that must be stopped over dated periods, independent of warnings and grades. Pure: which period
 * an hour lies in, and the stop it is judged as (`judgeMeasureHour`).
 *
 * The stop is evidenced as the list says a stop of this line shows: the power and flow key
 * indicators of its strictest level that has any (red, then orange, then yellow; a stop's evidence,
 * never a concentration limit); without any, its outlets flagged F or without flow.
 */
import { parseLocalDate, HOUR_MS, DAY_MS } from './local-time';
import { RESPONSE_LEVELS, type LevelMeasure, type PeakShiftPeriod, type ReductionEntry } from './reduction-list';

/** The stop an entry's peak-shift periods are judged as. */
export function peakShiftMeasure(entry: Pick<ReductionEntry, 'measures' | 'peakShift'>): LevelMeasure {
  for (const level of [...RESPONSE_LEVELS].reverse()) {
    const indicators = entry.measures[level].indicators.filter((i) => i.kind !== 'limit');
    if (indicators.length > 0) return { action: 'stop', indicators, expectedKgH: {}, description: '错峰生产停产' };
  }
  return { action: 'stop', indicators: [], expectedKgH: {}, description: '错峰生产停产' };
}

/** A period's span, epoch ms: [from's local midnight, the day after `to`'s local midnight). */
export function periodSpan(p: Pick<PeakShiftPeriod, 'from' | 'to'>, utcOffsetMinutes: number): { start: number; end: number } | null {
  const start = parseLocalDate(p.from, utcOffsetMinutes);
  const last = parseLocalDate(p.to, utcOffsetMinutes);
  return start === null || last === null ? null : { start, end: last + DAY_MS };
}

/** The period the whole hour starting at `hour` lies in, if any. */
export function peakShiftAt(entry: Pick<ReductionEntry, 'peakShift'>, hour: number, utcOffsetMinutes: number): PeakShiftPeriod | undefined {
  return (entry.peakShift ?? []).find((p) => {
    const span = periodSpan(p, utcOffsetMinutes);
    return span !== null && hour >= span.start && hour + HOUR_MS <= span.end;
  });
}
