/**
 * The ozone warning level implied by the forecasts (DOMAIN §7, thresholds in ozone.yaml):
 *
 *   level  | consecutive forecast days from today (within the horizon)
 *   red    | IAQI > 200 on ≥ 3 days
 *   orange | IAQI > 150 on ≥ 4 days, of which ≥ 1 with IAQI > 200
 *   yellow | IAQI > 150 on ≥ 3 days
 *   none   | otherwise (a day without a forecast breaks a run)
 *
 * The highest level that holds wins. Pure.
 */
import { addDays } from '../domain/local-time';
import { WARNING_LEVELS, type ForecastDay, type OzoneWarning } from '../domain/ozone';
import type { OzoneRules, WarningTrigger } from './ozone-rules';

/** Runs of consecutive dates whose IAQI is above `above` (a missing date breaks a run). */
function runsAbove(days: readonly (ForecastDay | null)[], above: number): ForecastDay[][] {
  const runs: ForecastDay[][] = [];
  let run: ForecastDay[] = [];
  for (const d of days) {
    if (d && d.iaqi > above) run.push(d);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** The first run of `days` that fulfils the trigger, or null. */
export function triggeredRun(days: readonly (ForecastDay | null)[], t: WarningTrigger): ForecastDay[] | null {
  for (const run of runsAbove(days, t.above)) {
    if (run.length < t.days) continue;
    if (t.peakAbove !== undefined && run.filter((d) => d.iaqi > (t.peakAbove as number)).length < (t.peakDays ?? 1)) continue;
    return run;
  }
  return null;
}

export function ozoneWarning(forecasts: readonly ForecastDay[], today: string, rules: OzoneRules['warning']): OzoneWarning {
  const byDate = new Map(forecasts.map((f) => [f.date, f]));
  const dates = Array.from({ length: rules.horizonDays }, (_, i) => addDays(today, i));
  const window = dates.map((d) => byDate.get(d) ?? null);
  const horizon = { from: today, to: dates[dates.length - 1] as string };
  const considered = window.filter((d): d is ForecastDay => d !== null);
  for (const level of [...WARNING_LEVELS].reverse()) {
    const run = triggeredRun(window, rules.levels[level]);
    if (run)
      return {
        level,
        run: { from: (run[0] as ForecastDay).date, to: (run[run.length - 1] as ForecastDay).date, days: run.length },
        days: considered,
        horizon,
      };
  }
  return { level: null, run: null, days: considered, horizon };
}
