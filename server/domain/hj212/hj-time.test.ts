import { describe, expect, it } from 'vitest';
import { formatHjTime, formatQn, parseHjTime } from './hj-time';

describe('HJ 212 times (China time unless configured)', () => {
  it.each([
    ['20190924220000', 480, '2019-09-24T14:00:00.000Z'],
    ['20260701000000', 480, '2026-06-30T16:00:00.000Z'],
    ['20260701000000', 0, '2026-07-01T00:00:00.000Z'],
    ['20240229235959', 480, '2024-02-29T15:59:59.000Z'],
    ['20231008130452757', 480, '2023-10-08T05:04:52.757Z'],
  ])('%s at UTC%+d min is %s', (text, offset, iso) => {
    expect(parseHjTime(text, offset)).toBe(Date.parse(iso));
  });

  it.each([
    ['a 31st of February', '20260231100000'],
    ['hour 24', '20260701240000'],
    ['minute 60', '20260701106000'],
    ['month 13', '20261301100000'],
    ['day 0', '20260700100000'],
    ['too short', '202607011000'],
    ['not digits', '2026-07-01 10:'],
    ['empty', ''],
  ])('refuses %s', (_name, text) => {
    expect(parseHjTime(text)).toBeUndefined();
  });

  it('formats DataTime and QN, and parses them back', () => {
    const at = Date.parse('2026-07-01T02:03:04.056Z');
    expect(formatHjTime(at)).toBe('20260701100304');
    expect(formatQn(at)).toBe('20260701100304056');
    expect(parseHjTime(formatQn(at))).toBe(at);
  });
});
