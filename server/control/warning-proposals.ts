/**
 * Warnings the forecasts propose (never issue): pure.
 *
 *   kind            | index per forecast day                          | thresholds (config/rules/ozone.yaml)
 *   ozone           | O3 IAQI (the forecast's `iaqi`)                 | `warning.levels` (as GET /api/ozone/warning)
 *   heavy_pollution | day AQI (`aqi`), else the IAQI of `pm25` (24-h) | `warnings.heavyPollution.levels`
 *
 * A level holds when its trigger holds on consecutive forecast days from today within the horizon
 * (a day without that index breaks a run; see ozone-warning.ts); the highest level that holds is
 * proposed, with its run, its peak and the suggested start (the run's first day at 00:00 local time,
 * or now once that has passed) and planned lift (00:00 after its last day). A proposal an open
 * warning of the kind at that level or higher already covers is marked `covered`.
 */
import { iaqi } from '../domain/aqi';
import { addDays, parseLocalDate } from '../domain/local-time';
import type { ForecastDay } from '../domain/ozone';
import {
  isOpenWarning,
  WARNING_LEVELS,
  type Warning,
  type WarningKind,
  type WarningProposal,
  type WarningProposals,
} from '../domain/warning';
import type { OzoneRules, WarningTrigger } from './ozone-rules';
import { triggeredRun } from './ozone-warning';

/** A forecast day as the proposals read it: O3 IAQI, and the day AQI / PM2.5 24-h mean where the forecast gave them. */
export interface ProposalForecast {
  date: string;
  iaqi: number;
  aqi?: number | null;
  pm25?: number | null;
}

/** A forecast day's heavy-pollution index: its day AQI, else the IAQI of its PM2.5 24-h mean. */
export const heavyPollutionIndex = (f: ProposalForecast): number | null => f.aqi ?? (f.pm25 == null ? null : iaqi('pm25_24h', f.pm25));

/** The index a warning of the kind is proposed on. */
export const indexOf: Record<WarningKind, (f: ProposalForecast) => number | null> = {
  ozone: (f) => f.iaqi,
  heavy_pollution: heavyPollutionIndex,
};

type Levels = Record<(typeof WARNING_LEVELS)[number], WarningTrigger>;

function proposalOf(
  kind: WarningKind,
  forecasts: readonly ProposalForecast[],
  today: string,
  horizonDays: number,
  levels: Levels,
): Omit<WarningProposal, 'startAt' | 'plannedLiftAt' | 'covered'> | null {
  const byDate = new Map(forecasts.map((f) => [f.date, f]));
  const window = Array.from({ length: horizonDays }, (_, i): ForecastDay | null => {
    const date = addDays(today, i);
    const f = byDate.get(date);
    const value = f ? indexOf[kind](f) : null;
    return value === null ? null : { date, iaqi: value };
  });
  for (const level of [...WARNING_LEVELS].reverse()) {
    const run = triggeredRun(window, levels[level]);
    if (!run) continue;
    const first = run[0] as ForecastDay;
    const last = run[run.length - 1] as ForecastDay;
    return {
      kind,
      level,
      basis: 'own_forecast',
      run: { from: first.date, to: last.date, days: run.length },
      peak: Math.max(...run.map((d) => d.iaqi)),
    };
  }
  return null;
}

export interface ProposalContext {
  forecasts: readonly ProposalForecast[];
  /** Today's local date. */
  today: string;
  now: number;
  utcOffsetMinutes: number;
  /** Every warning (the open ones decide `covered`). */
  warnings: readonly Warning[];
}

export function warningProposals(ctx: ProposalContext, rules: Pick<OzoneRules, 'warning' | 'warnings'>): WarningProposals {
  const setups: [WarningKind, number, Levels][] = [
    ['heavy_pollution', rules.warnings.heavyPollution.horizonDays, rules.warnings.heavyPollution.levels],
    ['ozone', rules.warning.horizonDays, rules.warning.levels],
  ];
  const items: WarningProposal[] = [];
  for (const [kind, horizon, levels] of setups) {
    const p = proposalOf(kind, ctx.forecasts, ctx.today, horizon, levels);
    if (!p) continue;
    const dayStart = (d: string) => parseLocalDate(d, ctx.utcOffsetMinutes) as number;
    const rank = WARNING_LEVELS.indexOf(p.level);
    const covered = ctx.warnings.some((w) => w.kind === kind && isOpenWarning(w) && WARNING_LEVELS.indexOf(w.level) >= rank);
    items.push({
      ...p,
      startAt: Math.max(ctx.now, dayStart(p.run.from)),
      plannedLiftAt: dayStart(addDays(p.run.to, 1)),
      covered,
    });
  }
  const longest = Math.max(rules.warnings.heavyPollution.horizonDays, rules.warning.horizonDays);
  return { horizon: { from: ctx.today, to: addDays(ctx.today, longest - 1) }, items };
}
