/** Local calendar days of reports (the rule pack's utcOffsetMinutes; China: UTC+8, no daylight saving). */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of the start of local day `YYYY-MM-DD`; undefined for a malformed or impossible date. */
export function localDayStart(date: string, utcOffsetMinutes: number): number | undefined {
  const m = DATE_RE.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return utc - utcOffsetMinutes * 60_000;
}

/** Start of the local hour containing `ts`. */
export function localHourStart(ts: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * 60_000;
  return Math.floor((ts + offset) / HOUR_MS) * HOUR_MS - offset;
}

/** `YYYY-MM-DD` of the local day containing `ts`. */
export function localDate(ts: number, utcOffsetMinutes: number): string {
  return new Date(ts + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:mm` local time of `ts`. */
export function localDateTime(ts: number, utcOffsetMinutes: number): string {
  return new Date(ts + utcOffsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Hour starts in [from, to). */
export function hoursIn(from: number, to: number): number[] {
  const out: number[] = [];
  for (let h = from; h < to; h += HOUR_MS) out.push(h);
  return out;
}
