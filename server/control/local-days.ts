/**
 * Local days, hours and the ozone season (China time by default: a fixed offset, no daylight
 * saving, so a day is always 24 hours). Dates are `YYYY-MM-DD` strings of the local calendar.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const MIN_MS = 60_000;

/** Start of the local hour containing ts. */
export const hourStart = (ts: number, offsetMin: number): number => Math.floor((ts + offsetMin * MIN_MS) / HOUR_MS) * HOUR_MS - offsetMin * MIN_MS;
/** Start of the local day containing ts. */
export const dayStart = (ts: number, offsetMin: number): number => Math.floor((ts + offsetMin * MIN_MS) / DAY_MS) * DAY_MS - offsetMin * MIN_MS;
/** Local hour of day (0–23) of ts. */
export const hourOfDay = (ts: number, offsetMin: number): number => new Date(ts + offsetMin * MIN_MS).getUTCHours();
/** The local calendar date of ts. */
export const localDate = (ts: number, offsetMin: number): string => new Date(ts + offsetMin * MIN_MS).toISOString().slice(0, 10);

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of 00:00 local time on `date`, or null when it is not a real calendar date. */
export function parseLocalDate(date: string, offsetMin: number): number | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return utc - offsetMin * MIN_MS;
}

/** `date` plus n days. */
export function addDays(date: string, n: number): string {
  const start = parseLocalDate(date, 0);
  if (start === null) throw new RangeError(`not a date: ${date}`);
  return localDate(start + n * DAY_MS, 0);
}

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
  const year = new Date(now + offsetMin * MIN_MS).getUTCFullYear();
  const from = Date.UTC(year, startMonth - 1, 1) - offsetMin * MIN_MS;
  const to = Date.UTC(year, endMonth, 1) - offsetMin * MIN_MS;
  return { from, to, startMonth, endMonth, inSeason: now >= from && now < to };
}
