/**
 * The effect report of a lifted warning (PLANS E9): pure, from the forecasts, the city's observed
 * daily AQI, the districts' hourly AQI and the notices (server/domain/warning-effect.ts).
 *
 * - The period is the warning's start to its lift; its dates are the local dates from the start's
 *   to the one holding the lift's last moment.
 * - A day's forecast is the index the warning kind is proposed on (warning-proposals.ts `indexOf`).
 * - Means are over the days having both a forecast and an observation, one decimal (GB/T 8170).
 * - An hour counts from the start's hour to the lift (an hour that began before the lift counts).
 */
import { roundGbt8170 } from '../domain/rounding';
import { addDays, hourStartOf, localDate } from '../domain/local-time';
import type { Warning } from '../domain/warning';
import { HEAVY_HOUR_AQI, type EffectDay, type EffectDistrictHours, type EffectNotices, type WarningEffect } from '../domain/warning-effect';
import { indexOf, type ProposalForecast } from './warning-proposals';

export interface EffectInput {
  /** A lifted warning (its liftedAt set). */
  warning: Warning;
  utcOffsetMinutes: number;
  forecasts: readonly ProposalForecast[];
  /** The city's day AQI per local date. */
  observedDaily: readonly { date: string; aqi: number | null }[];
  /** Each district's hour AQI (time: the hour's start). */
  observedHourly: readonly { district: string; time: number; aqi: number | null }[];
  notices: EffectNotices[];
}

/** The local dates of [from, to). */
export function datesOf(from: number, to: number, utcOffsetMinutes: number): string[] {
  const last = localDate(Math.max(from, to - 1), utcOffsetMinutes);
  const out: string[] = [];
  for (let d = localDate(from, utcOffsetMinutes); d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : roundGbt8170(xs.reduce((a, b) => a + b, 0) / xs.length, 1));

export function warningEffect(input: EffectInput): WarningEffect {
  const { warning: w, utcOffsetMinutes: off } = input;
  const from = w.startAt;
  const to = w.liftedAt ?? from;
  const dates = datesOf(from, to, off);
  const forecastOf = new Map(input.forecasts.map((f) => [f.date, indexOf[w.kind](f)]));
  const observedOf = new Map(input.observedDaily.map((o) => [o.date, o.aqi]));
  const days: EffectDay[] = dates.map((date) => {
    const forecast = forecastOf.get(date) ?? null;
    const observed = observedOf.get(date) ?? null;
    return { date, forecast, observed, difference: forecast !== null && observed !== null ? observed - forecast : null };
  });
  const both = days.filter((d) => d.difference !== null);
  const firstHour = hourStartOf(from, off);
  const heavyHours: EffectDistrictHours[] = w.districts.map((district) => {
    const hours = input.observedHourly.filter((h) => h.district === district && h.time >= firstHour && h.time < to && h.aqi !== null);
    const values = hours.map((h) => h.aqi as number);
    return {
      district,
      heavyHours: values.filter((v) => v > HEAVY_HOUR_AQI).length,
      hoursWithData: values.length,
      peak: values.length === 0 ? null : Math.max(...values),
    };
  });
  return {
    warning: w,
    period: { from, to, dates },
    days,
    means: { forecast: mean(both.map((d) => d.forecast as number)), observed: mean(both.map((d) => d.observed as number)) },
    heavyHours,
    heavyHoursTotal: heavyHours.reduce((n, d) => n + d.heavyHours, 0),
    notices: input.notices,
    timeline: w.history,
    compliance: { available: false },
  };
}
