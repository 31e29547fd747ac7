/**
 * The wall's rows and the overview's cards format many values and times, and the page's first
 * Intl.NumberFormat / Intl.DateTimeFormat costs 30–70 ms on the main thread while Chromium loads
 * ICU's data for the locale (province profiles: the wall's first row, the overview's first card). These
 * functions write the two languages' `value` number and `short` / `time` date formats (index.ts)
 * with plain string work instead, giving the very same text (plain-format.test.ts compares them with
 * Intl over many values); anything unusual (not finite, ≥ 1e21, another locale) goes to `fallback`.
 */
import type { Locale } from './index';

/** Adds 1 to a string of decimal digits ("099" → "100", "99" → "100"). */
function increment(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

const grouped = (int: string): string => int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * `{ maximumFractionDigits: 2 }` in zh-CN and en (the same there: "1,234.5"): like ICU, rounds the
 * shortest decimal that reads back as the number (String(x)), half away from zero, so 1.005 → "1.01"
 * (toFixed would give "1.00"); a negative that rounds to zero keeps its sign ("-0"), as Intl does.
 */
export function plainNumber(x: number, locale: Locale | string, fallback: (x: number) => string): string {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21 || (locale !== 'zh-CN' && locale !== 'en')) return fallback(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const text = String(Math.abs(x));
  // Below 1e-6 String() writes an exponent: such a number rounds to 0 at two decimals.
  if (text.includes('e')) return `${sign}0`;
  const [int = '0', frac = ''] = text.split('.');
  let whole = int + frac.slice(0, 2).padEnd(2, '0');
  if (frac.length > 2 && frac.charCodeAt(2) >= 53 /* '5' */) whole = increment(whole);
  const head = whole.slice(0, -2);
  const decimals = whole.slice(-2).replace(/0+$/, '');
  return `${sign}${grouped(head)}${decimals ? `.${decimals}` : ''}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `time`: "08:05:09", local, 24 hours ("00" at midnight, as Chromium gives for hour12: false). */
export function plainTime(ts: number, fallback: (ts: number) => string): string {
  if (!Number.isFinite(ts)) return fallback(ts);
  const at = new Date(ts);
  return `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
}

/** `short`: "01/03 08:05:09" in zh-CN, "01/03, 08:05:09" in en; local. */
export function plainDateTime(ts: number, locale: Locale | string, fallback: (ts: number) => string): string {
  if (!Number.isFinite(ts) || (locale !== 'zh-CN' && locale !== 'en')) return fallback(ts);
  const at = new Date(ts);
  const day = `${pad2(at.getMonth() + 1)}/${pad2(at.getDate())}`;
  return `${day}${locale === 'en' ? ', ' : ' '}${plainTime(ts, fallback)}`;
}
