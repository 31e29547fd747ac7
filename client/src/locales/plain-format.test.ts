import { describe, expect, it } from 'vitest';
import { DATE_TIME_FORMATS, LOCALES, NUMBER_FORMATS } from './index';
import { plainDateTime, plainNumber, plainTime } from './plain-format';

const never = (): string => {
  throw new Error('fell back');
};
const marked = (x: number): string => `fallback ${x}`;

/** A fixed pseudo-random sequence (the same values every run). */
function* sequence(count: number, seed = 20_000): Generator<number> {
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield s / 2_147_483_648;
  }
}

const edges = [
  0,
  -0,
  1,
  -1,
  0.5,
  0.004,
  0.005,
  0.015,
  1.005,
  2.675,
  1.255,
  9.995,
  99.995,
  999.995,
  -9.995,
  -0.001,
  -0.004,
  -0.005,
  0.1 + 0.2,
  1e-7,
  -1e-7,
  0.000001,
  999,
  1000,
  12_345.678,
  1_234_567.891,
  1e15 + 0.3,
  123_456_789_012_345_680,
  9.999_999e20,
  1e20,
  0.125,
  0.135,
];
const values = [...edges, ...[...sequence(4000)].map((r, i) => (r - 0.3) * 10 ** (i % 9) * (i % 7 === 0 ? 1 : 1.001))];

describe('plainNumber: the same text as Intl with the `value` format', () => {
  it.each(LOCALES)('%s', (locale) => {
    const intl = new Intl.NumberFormat(locale, NUMBER_FORMATS.value);
    const wrong = values.filter((x) => plainNumber(x, locale, never) !== intl.format(x));
    expect(wrong.map((x) => [x, plainNumber(x, locale, never), intl.format(x)])).toEqual([]);
  });

  it.each([NaN, Infinity, -Infinity, 1e21, -2e22])('%s goes to the fallback', (x) => {
    expect(plainNumber(x, 'zh-CN', marked)).toBe(`fallback ${x}`);
  });

  it('another locale goes to the fallback', () => expect(plainNumber(1.5, 'de', marked)).toBe('fallback 1.5'));
});

describe('plainDateTime and plainTime: the same text as Intl with the `short` and `time` formats', () => {
  // Chromium gives 24-hour times from 00 with hour12: false (h23), as ECMA-402 now says; older ICU
  // builds (Node 20's) give "24" at midnight in English, so the reference asks h23 explicitly.
  const h23 = <T extends { hour12: false }>({ hour12: _, ...rest }: T) => ({ ...rest, hourCycle: 'h23' as const });
  const start = new Date(2026, 0, 1).getTime();
  const times = [
    start,
    start + 1,
    new Date(2026, 11, 31, 23, 59, 59).getTime(),
    ...[...sequence(3000, 7)].map((r) => start + r * 400 * 86_400_000),
  ];

  it.each(LOCALES)('%s', (locale) => {
    const short = new Intl.DateTimeFormat(locale, h23(DATE_TIME_FORMATS.short));
    const time = new Intl.DateTimeFormat(locale, h23(DATE_TIME_FORMATS.time));
    const wrong = times.filter((ts) => plainDateTime(ts, locale, never) !== short.format(ts) || plainTime(ts, never) !== time.format(ts));
    expect(wrong.map((ts) => [ts, plainDateTime(ts, locale, never), short.format(ts)])).toEqual([]);
  });

  it('midnight is 00 in both languages', () => {
    expect(plainDateTime(start, 'zh-CN', never)).toBe('01/01 00:00:00');
    expect(plainDateTime(start, 'en', never)).toBe('01/01, 00:00:00');
  });

  it('a time that is not a number, or another locale, goes to the fallback', () => {
    expect(plainTime(NaN, marked)).toBe('fallback NaN');
    expect(plainDateTime(NaN, 'zh-CN', marked)).toBe('fallback NaN');
    expect(plainDateTime(start, 'de', marked)).toBe(`fallback ${start}`);
  });
});
