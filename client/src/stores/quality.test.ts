import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { previousMonth, quarterOf, recentQuarters, useQualityStore } from './quality';

const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const PAGE = {
  period: '2026-Q4',
  complete: false,
  passRate: 0.9,
  elevatedStackM: 45,
  sources: [],
  districts: [],
  contractors: [],
  caseDue: [],
};
const TEST = {
  id: 1,
  mn: 'MN1',
  enterpriseId: 'e',
  factor: 'a21026',
  unit: 'mg/m³',
  from: 1,
  to: 2,
  referenceValues: [10],
  referenceMean: 10,
  onlineMean: 12,
  onlineSamples: 3,
  errorKind: 'absolute',
  error: 2,
  allowed: 17,
  pass: true,
  note: null,
  createdBy: 'officer',
  createdAt: 3,
};

describe('quality store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it.each([
    ['2026-12-04', '2026-11'],
    ['2027-01-15', '2026-12'],
  ])('previous month of %s is %s', (today, month) => expect(previousMonth(today)).toBe(month));

  it('quarters: of a month, and the recent ones newest first across a year', () => {
    expect(quarterOf('2026-11')).toBe('2026-Q4');
    expect(quarterOf('2026-03')).toBe('2026-Q1');
    expect(recentQuarters('2026-02', 3)).toEqual(['2026-Q1', '2025-Q4', '2025-Q3']);
  });

  it('asks for the chosen month or quarter; keeps a failure; records a test first in the list', async () => {
    const store = useQualityStore();
    const calls: string[] = [];
    let fail = false;
    const fetchFn = (async (url: string, init: RequestInit) => {
      calls.push(`${String(init.method)} ${url}`);
      if (fail) return answer(500, { error: 'internal', message: 'x' });
      if (url.startsWith('/api/quality/transmission')) return answer(200, PAGE);
      if (init.method === 'POST') return answer(201, { ...TEST, id: 2 });
      return answer(200, { items: [TEST], maxSpanH: 12, criteria: { a21026: [{ from: 0, absolute: 17 }] } });
    }) as typeof fetch;
    store.query.kind = 'quarter';
    store.query.quarter = '2026-Q4';
    await store.load(fetchFn);
    expect(calls).toEqual(['GET /api/quality/transmission?period=2026-Q4']);
    expect(store.transmission?.period).toBe('2026-Q4');
    await store.loadComparisons(fetchFn);
    expect(store.comparisons?.map((c) => c.id)).toEqual([1]);
    expect(store.criteria['a21026']).toHaveLength(1);
    expect(store.maxSpanH).toBe(12);
    await store.record({ mn: 'MN1', factor: 'a21026', from: 1, to: 2, referenceValues: [10] }, fetchFn);
    expect(store.comparisons?.map((c) => c.id)).toEqual([2, 1]);
    fail = true;
    store.query.kind = 'month';
    store.query.month = '2026-10';
    await store.load(fetchFn);
    expect(calls.at(-1)).toBe('GET /api/quality/transmission?period=2026-10');
    expect(store.error).not.toBeNull();
    expect(store.transmission?.period).toBe('2026-Q4'); // the last good answer stays
  });
});
