/**
 * HJ 212 times: `DataTime=YYYYMMDDhhmmss` and `QN=YYYYMMDDhhmmsszzz` are local times without an
 * offset — China time (UTC+8) unless configured otherwise. Pure: the offset is passed in.
 */

/** China time, UTC+8, no daylight saving. */
export const CHINA_UTC_OFFSET_MINUTES = 480;

const two = (s: string, at: number): number => (s.charCodeAt(at) - 48) * 10 + (s.charCodeAt(at + 1) - 48);

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Epoch ms of `YYYYMMDDhhmmss` (or with `zzz` milliseconds: a QN) at `offsetMinutes` from UTC,
 * or undefined if it is not a real instant (Feb 31st, 25:00).
 */
export function parseHjTime(text: string, offsetMinutes: number = CHINA_UTC_OFFSET_MINUTES): number | undefined {
  if ((text.length !== 14 && text.length !== 17) || !allDigits(text)) return undefined;
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 4);
  const day = two(text, 6);
  const hour = two(text, 8);
  const minute = two(text, 10);
  const second = two(text, 12);
  const ms = text.length === 17 ? Number(text.slice(14)) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(utc).getUTCDate() !== day) return undefined;
  return utc - offsetMinutes * 60_000;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYYMMDDhhmmss` of an instant at `offsetMinutes` from UTC. */
export function formatHjTime(at: number, offsetMinutes: number = CHINA_UTC_OFFSET_MINUTES): string {
  const d = new Date(at + offsetMinutes * 60_000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** A request number `YYYYMMDDhhmmsszzz` for an instant. */
export function formatQn(at: number, offsetMinutes: number = CHINA_UTC_OFFSET_MINUTES): string {
  const d = new Date(at + offsetMinutes * 60_000);
  return `${formatHjTime(at, offsetMinutes)}${pad(d.getUTCMilliseconds(), 3)}`;
}
