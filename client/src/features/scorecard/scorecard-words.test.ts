import { describe, expect, it } from 'vitest';
import { categoryRows, periodGroups, periodText } from './scorecard-words';

const t = (key: string, p?: Record<string, unknown>) => `${key}${p ? JSON.stringify(p) : ''}`;

describe('periodGroups', () => {
  it('offers three years, eight quarters and twelve months, newest first, across year ends', () => {
    const [years, quarters, months] = periodGroups('2026-02-14');
    expect(years?.periods).toEqual(['2026', '2025', '2024']);
    expect(quarters?.periods.slice(0, 3)).toEqual(['2026-Q1', '2025-Q4', '2025-Q3']);
    expect(quarters?.periods).toHaveLength(8);
    expect(months?.periods.slice(0, 3)).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(months?.periods).toHaveLength(12);
  });
});

describe('periodText', () => {
  it.each([
    ['2026', 'scorecard.yearLabel{"year":"2026"}'],
    ['2026-Q4', 'scorecard.quarterLabel{"year":"2026","q":"4"}'],
    ['2026-03', 'scorecard.monthLabel{"year":"2026","m":3}'],
  ])('%s', (p, text) => {
    expect(periodText(p, t)).toBe(text);
  });
});

describe('categoryRows', () => {
  const counts = { exceedance: 2, earlyWarning: 0, falsification: 1, offline: 0, facility: 0, instrument: 0, other: 0 };
  it.each([
    [false, ['exceedance', 'falsification']],
    [true, ['exceedance', 'earlyWarning', 'falsification', 'offline', 'facility', 'instrument', 'other']],
  ])('all=%s', (all, categories) => {
    expect(categoryRows(counts, all).map((r) => r.category)).toEqual(categories);
  });
});
