/**
 * Are frequent orange-or-worse heavy-pollution conditions forecast (预通知, PLANS E8)? Pure.
 *
 * Each forecast day's index is the heavy-pollution proposals' (day AQI, else the IAQI of the PM2.5
 * 24-h mean). An episode is a maximal run of consecutive days above the orange trigger's `above`
 * that meets the orange trigger on its own (config warnings.heavyPollution.levels.orange; a day
 * without an index breaks a run); its level is red when it also meets the red trigger. The outlook
 * is frequent when, within `preNotice.horizonDays` from today, there are ≥ `minEpisodes` episodes
 * or ≥ `minDays` days in episodes (shipped: 2 episodes or 4 days within 10 days).
 */
import { addDays } from '../domain/local-time';
import type { ForecastDay } from '../domain/ozone';
import type { ForecastEpisode, FrequentWarningOutlook } from '../domain/prenotice';
import type { OzoneRules } from './ozone-rules';
import { triggeredRun } from './ozone-warning';
import { heavyPollutionIndex, type ProposalForecast } from './warning-proposals';

type Rules = Pick<OzoneRules['warnings'], 'heavyPollution' | 'preNotice'>;

export function frequentWarningOutlook(forecasts: readonly ProposalForecast[], today: string, rules: Rules): FrequentWarningOutlook {
  const { horizonDays, minEpisodes, minDays } = rules.preNotice;
  const { orange, red } = rules.heavyPollution.levels;
  const byDate = new Map(forecasts.map((f) => [f.date, f]));
  const runs: ForecastDay[][] = [];
  let run: ForecastDay[] = [];
  for (let i = 0; i <= horizonDays; i++) {
    const date = addDays(today, i);
    const f = i < horizonDays ? byDate.get(date) : undefined;
    const value = f ? heavyPollutionIndex(f) : null;
    if (value !== null && value > orange.above) run.push({ date, iaqi: value });
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  const episodes: ForecastEpisode[] = runs
    .filter((r) => triggeredRun(r, orange) !== null)
    .map((r) => ({
      from: (r[0] as ForecastDay).date,
      to: (r[r.length - 1] as ForecastDay).date,
      days: r.length,
      peak: Math.max(...r.map((d) => d.iaqi)),
      level: triggeredRun(r, red) ? 'red' : 'orange',
    }));
  const qualifyingDays = episodes.reduce((n, e) => n + e.days, 0);
  return {
    horizon: { from: today, to: addDays(today, horizonDays - 1) },
    episodes,
    qualifyingDays,
    frequent: episodes.length >= minEpisodes || qualifyingDays >= minDays,
    rule: { minEpisodes, minDays },
  };
}

/** GB/T 4754 code without its section letter (C3120 → 3120). */
const digits = (code: string): string => code.replace(/^[A-T]/, '');

/** Is an enterprise of this industry code in a continuous-process industry (a listed code is a prefix of it)? */
export function isContinuousProcess(code: string | undefined, industries: readonly { code: string }[]): boolean {
  if (code === undefined) return false;
  const own = digits(code);
  return industries.some((i) => own.startsWith(digits(i.code)));
}
