/**
 * Local time of the bureau (DOMAIN §4: hour and day means are local; China is UTC+8 with no daylight
 * saving, so a day is always 24 hours). The offset is passed in (the rule pack's utcOffsetMinutes).
 * Dates are `YYYY-MM-DD` strings of the local calendar. Pure: shared by rules, reports, ozone.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Start (epoch ms) of the local window of `lengthMs` that contains `ts`. */
export function windowStart(ts: number, lengthMs: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * MINUTE_MS;
  return Math.floor((ts + offset) / lengthMs) * lengthMs - offset;
}

export const hourStartOf = (ts: number, utcOffsetMinutes: number): number => windowStart(ts, HOUR_MS, utcOffsetMinutes);
export const dayStartOf = (ts: number, utcOffsetMinutes: number): number => windowStart(ts, DAY_MS, utcOffsetMinutes);

/** Local hour of day (0–23) of `ts`. */
export const hourOfDay = (ts: number, utcOffsetMinutes: number): number => new Date(ts + utcOffsetMinutes * MINUTE_MS).getUTCHours();

/** `YYYY-MM-DD` of the local day containing `ts`. */
export const localDate = (ts: number, utcOffsetMinutes: number): string =>
  new Date(ts + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 10);

/** `YYYY-MM-DD HH:mm` local time of `ts`. */
export const localDateTime = (ts: number, utcOffsetMinutes: number): string =>
  new Date(ts + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 16).replace('T', ' ');

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of 00:00 local time on `date`, or null when it is not a real calendar date. */
export function parseLocalDate(date: string, utcOffsetMinutes: number): number | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return utc - utcOffsetMinutes * MINUTE_MS;
}

/** `date` plus n days. */
export function addDays(date: string, n: number): string {
  const start = parseLocalDate(date, 0);
  if (start === null) throw new RangeError(`not a date: ${date}`);
  return localDate(start + n * DAY_MS, 0);
}

/** Hour starts in [from, to). */
export function hoursIn(from: number, to: number): number[] {
  const out: number[] = [];
  for (let h = from; h < to; h += HOUR_MS) out.push(h);
  return out;
}
