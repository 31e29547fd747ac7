/**
 * Local-time windows (DOMAIN §4: hour and day means are local; China is UTC+8 with no daylight
 * saving). An offset is passed in; windows are fixed lengths, so a day is always 24 hours.
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
