import { describe, expect, it } from 'vitest';
import { bump, chinaDate, HOUR_MS, intervalStart, MINUTE_MS, plateau, toChinaIso } from './time';

describe('China time', () => {
  it.each([
    ['2026-07-01T02:00:00Z', '2026-07-01T10:00:00+08:00'],
    ['2026-06-30T16:00:00Z', '2026-07-01T00:00:00+08:00'],
    ['2026-12-31T23:59:59Z', '2027-01-01T07:59:59+08:00'],
    ['2026-07-01T02:00:00.250Z', '2026-07-01T10:00:00.250+08:00'],
  ])('formats %s as %s, which parses back to the same instant', (utc, iso) => {
    const at = Date.parse(utc);
    expect(toChinaIso(at)).toBe(iso);
    expect(Date.parse(toChinaIso(at))).toBe(at);
  });

  it('gives the China-time calendar date and fractional hour', () => {
    expect(chinaDate(Date.parse('2026-06-30T23:30:00Z'))).toMatchObject({ year: 2026, month: 7, day: 1, hour: 7.5 });
  });

  it.each([
    ['2026-07-01T10:00:37.5+08:00', MINUTE_MS, '2026-07-01T10:00:00+08:00'],
    ['2026-07-01T10:59:59+08:00', HOUR_MS, '2026-07-01T10:00:00+08:00'],
    ['2026-07-01T11:00:00+08:00', HOUR_MS, '2026-07-01T11:00:00+08:00'],
  ])('the interval of %s (period %i ms) starts at %s', (at, period, start) => {
    expect(intervalStart(Date.parse(at), period)).toBe(Date.parse(start));
  });

  it('shapes the day: bump peaks at its centre and wraps midnight, plateau covers its hours', () => {
    expect(bump(15, 15, 3)).toBe(1);
    expect(bump(23, 1, 2)).toBeCloseTo(bump(3, 1, 2));
    expect(bump(3, 15, 3)).toBeLessThan(0.01);
    expect(plateau(12, 8, 20)).toBeGreaterThan(0.99);
    expect(plateau(3, 8, 20)).toBeLessThan(0.01);
  });
});
