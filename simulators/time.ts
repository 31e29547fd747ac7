/**
 * China time (UTC+8, no daylight saving) for daily shapes and payload timestamps. Pure: the
 * instant is always passed in.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export interface ChinaDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** Fractional hour of the day, 0 ≤ h < 24. */
  hour: number;
  /** Days since 1970-01-01 in China time: a key for per-day variation. */
  dayIndex: number;
}

export function chinaDate(at: number): ChinaDate {
  const local = at + CHINA_OFFSET_MS;
  const d = new Date(local);
  const dayIndex = Math.floor(local / DAY_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: (local - dayIndex * DAY_MS) / HOUR_MS,
    dayIndex,
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** ISO-8601 in China time with an explicit offset: `2026-07-01T10:00:00+08:00` (ms only if non-zero). */
export function toChinaIso(at: number): string {
  const d = new Date(at + CHINA_OFFSET_MS);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return `${date}T${time}${ms === 0 ? '' : `.${pad(ms, 3)}`}+08:00`;
}

/** Start of the interval of `periodMs` containing `at` (minute and hour align in UTC and UTC+8). */
export function intervalStart(at: number, periodMs: number): number {
  return Math.floor(at / periodMs) * periodMs;
}

/** A smooth bump on the 24-hour circle: 1 at `centre`, falling off with `width` hours (σ). */
export function bump(hour: number, centre: number, width: number): number {
  const raw = Math.abs(hour - centre) % 24;
  const d = Math.min(raw, 24 - raw);
  return Math.exp(-(d * d) / (2 * width * width));
}

/** ≈0 before `from`, ≈1 between `from` and `to`, ≈0 after (edges about half an hour wide). */
export function plateau(hour: number, from: number, to: number): number {
  const rise = 1 / (1 + Math.exp(-(hour - from) * 6));
  const fall = 1 / (1 + Math.exp((hour - to) * 6));
  return rise * fall;
}

/** May–September is the ozone season (DOMAIN §1); April and October are shoulders. */
export function summerness(month: number): number {
  if (month >= 5 && month <= 9) return 1;
  if (month === 4 || month === 10) return 0.6;
  return 0.25;
}
