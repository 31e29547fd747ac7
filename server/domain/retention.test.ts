import { describe, expect, it } from 'vitest';
import { DAY_MS } from './local-time';
import { cutoffOf, DEFAULT_RETENTION, retentionConfigSchema, retentionProblem, seriesResolution } from './retention';

const periods = { realtimeDays: 90, minuteDays: 1_095 };
const NOW = Date.UTC(2026, 11, 5);

describe('retention periods', () => {
  it.each([
    ['2011', NOW - 90 * DAY_MS],
    ['2051', NOW - 1_095 * DAY_MS],
    ['2061', null],
    ['2031', null],
  ] as const)('data kind %s may go before %s', (cn, cutoff) => {
    expect(cutoffOf(cn, periods, NOW)).toBe(cutoff);
  });

  it('keeps a kind with 0 days for good', () => {
    expect(cutoffOf('2011', { realtimeDays: 0, minuteDays: 0 }, NOW)).toBeNull();
  });

  it.each([
    [{ realtimeDays: 90, minuteDays: 1_095 }, 240, null],
    [{ realtimeDays: 11, minuteDays: 365 }, 240, null],
    [{ realtimeDays: 10, minuteDays: 365 }, 240, 'retention.realtimeDays: 10 days'],
    [{ realtimeDays: 0, minuteDays: 3 }, 72, 'retention.minuteDays: 3 days'],
    [{ realtimeDays: 2, minuteDays: 2 }, 0, null],
  ])('periods %o against late data up to %i h → %s', (r, maxPastAgeH, problem) => {
    const got = retentionProblem(r, maxPastAgeH);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toContain(problem);
  });

  it('refuses minute data kept shorter than real-time data', () => {
    const bad = retentionConfigSchema.safeParse({ ...DEFAULT_RETENTION, realtimeDays: 400, minuteDays: 365 });
    expect(bad.success).toBe(false);
    expect(retentionConfigSchema.safeParse({ ...DEFAULT_RETENTION, realtimeDays: 400, minuteDays: 0 }).success).toBe(true);
    expect(retentionConfigSchema.safeParse(DEFAULT_RETENTION).success).toBe(true);
  });
});

describe('series resolution', () => {
  it.each([
    ['2011', 24, 'raw'],
    ['2011', 7 * 24, 'raw'],
    ['2011', 7 * 24 + 1, 'hour'],
    ['2051', 30 * 24, 'hour'],
    ['2011', 365 * 24, 'hour'],
    ['2011', 366 * 24, 'hour'],
    ['2051', 367 * 24, 'day'],
    ['2061', 30 * 24, 'raw'],
    ['2061', 800 * 24, 'raw'],
    ['2031', 800 * 24, 'raw'],
  ] as const)('%s over %i h → %s', (cn, hours, resolution) => {
    expect(seriesResolution(cn, NOW - hours * 3_600_000, NOW)).toBe(resolution);
  });
});
