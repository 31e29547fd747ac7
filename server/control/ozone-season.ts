/** The ozone season (May–September by default) on the local calendar. */
import { MINUTE_MS } from '../domain/local-time';

export interface SeasonRange {
  /** Local 00:00 on the 1st of the start month / of the month after the end month, of the current year. */
  from: number;
  to: number;
  startMonth: number;
  endMonth: number;
  /** Is `now` inside the season? */
  inSeason: boolean;
}

/** The ozone season of the local year `now` falls in. */
export function seasonOf(now: number, startMonth: number, endMonth: number, offsetMin: number): SeasonRange {
  const year = new Date(now + offsetMin * MINUTE_MS).getUTCFullYear();
  const from = Date.UTC(year, startMonth - 1, 1) - offsetMin * MINUTE_MS;
  const to = Date.UTC(year, endMonth, 1) - offsetMin * MINUTE_MS;
  return { from, to, startMonth, endMonth, inSeason: now >= from && now < to };
}
