import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeAlert, T0 } from '../testing/fixtures';
import type { TransmissionRow } from '@domain/report';
import { meanEffectiveRate } from '../api/reports';
import { browserDate } from '../composables/local-date';
import { useAlertsStore } from './alerts';
import { countExceedances, isFirstDay, KPI_REFRESH_MS, startOfDay, useKpiStore } from './kpi';

/** A row as GET /api/reports/transmission answers it (rates are fractions). */
const row = (over: Partial<TransmissionRow> = {}): TransmissionRow => ({
  mn: 'A',
  name: 'A',
  enterpriseId: 'e',
  kind: 'cems',
  enterpriseName: 'E',
  date: '2026-07-01',
  expected: 1440,
  received: 1440,
  valid: 1440,
  transmissionRate: 1,
  validityRate: 1,
  effectiveRate: 1,
  pass: true,
  ...over,
});
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('KPIs', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('counts distinct exceedances opened since midnight, not equipment alerts', () => {
    const since = startOfDay(T0);
    const rest = [
      makeAlert({ id: 1, openedAt: since + 1 }),
      makeAlert({ id: 2, openedAt: since - 1 }),
      makeAlert({ id: 3, rule: 'offline', openedAt: since + 5 }),
    ];
    const live = [
      makeAlert({ id: 1, openedAt: since + 1 }),
      makeAlert({ id: 4, openedAt: since + 9 }),
      makeAlert({ id: 5, rule: 'instrument-fault', openedAt: since + 9 }),
    ];
    expect(countExceedances([rest, live], since)).toBe(2);
  });

  it.each([
    { name: 'no rows', rows: [], expected: null },
    {
      name: 'the newest day only',
      rows: [
        row({ mn: 'A', date: '2026-07-01', effectiveRate: 0.5 }),
        row({ mn: 'A', date: '2026-07-02', effectiveRate: 0.9 }),
        row({ mn: 'B', date: '2026-07-02', effectiveRate: 0.8 }),
      ],
      expected: 0.85,
    },
  ])('mean effective rate: $name', ({ rows, expected }) => {
    const r = meanEffectiveRate(rows);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toBeCloseTo(expected);
  });

  it('load: today from REST plus the live store; the rate is "—" (null) when the report fails', async () => {
    const urls: string[] = [];
    const fetchFn = (async (input: RequestInfo | URL) => {
      const url = String(input);
      urls.push(url);
      if (url.startsWith('/api/reports/transmission')) return json({ error: 'not_found', message: 'no route' }, 404);
      return json({ items: [makeAlert({ id: 1, openedAt: T0 })], total: 1 });
    }) as typeof fetch;
    useAlertsStore().applySnapshot({ seq: 1, alerts: [makeAlert({ id: 2, openedAt: T0 + 1 })] });
    const kpi = useKpiStore();
    await kpi.load(T0 + 10, fetchFn);
    expect(urls[0]).toBe(`/api/alerts?from=${startOfDay(T0 + 10)}&limit=1000`);
    // Yesterday and today (local days): the newest day reported is the KPI.
    expect(urls[1]).toMatch(/^\/api\/reports\/transmission\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    expect(urls[1]).toContain(`to=${browserDate(T0 + 10)}`);
    expect(kpi.exceedancesToday).toBe(2);
    expect(kpi.effectiveRate).toBeNull();
  });

  it('load: sources online and the open alerts from the server’s summary (what the user may see)', async () => {
    const summary = {
      total: 20_000,
      byStatus: { normal: 18_000, exceeding: 500, offline: 1_200, nodata: 300 },
      byKind: {},
      byDistrict: [{ district: '张店区', total: 20_000, byStatus: { normal: 18_000, exceeding: 500, offline: 1_200, nodata: 300 } }],
      byIndustry: [],
      alerts: { open: 5_000, active: 500, unacknowledged: 4_800, bySeverity: {} },
    };
    const urls: string[] = [];
    const fetchFn = (async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return String(input) === '/api/sources/summary' ? json(summary) : json({ items: [] });
    }) as typeof fetch;
    const kpi = useKpiStore();
    expect(kpi.online).toBeNull();
    await kpi.load(T0, fetchFn);
    expect(urls).toContain('/api/sources/summary');
    expect(kpi.online).toEqual({ online: 18_500, of: 20_000 });
    expect(kpi.summary?.alerts).toMatchObject({ open: 5_000, unacknowledged: 4_800 });
  });

  it('load: the effective rate (a fraction) of the newest day the report answers', async () => {
    const fetchFn = (async (input: RequestInfo | URL) =>
      String(input).startsWith('/api/reports')
        ? json({
            from: '2026-06-30',
            to: '2026-07-01',
            items: [
              row({ date: '2026-06-30', effectiveRate: 0.5 }),
              row({ transmissionRate: 0.95, validityRate: 0.98, effectiveRate: 0.931, pass: true }),
            ],
          })
        : json({ items: [] })) as typeof fetch;
    const kpi = useKpiStore();
    await kpi.load(T0, fetchFn);
    expect(kpi.effectiveRate).toBeCloseTo(0.931);
  });

  it('load: rows of an unexpected shape are refused, not shown', async () => {
    const fetchFn = (async (input: RequestInfo | URL) =>
      String(input).startsWith('/api/reports')
        ? json({ items: [{ mn: 'A', date: '2026-07-01', effectiveRate: '93 %' }] })
        : json({ items: [] })) as typeof fetch;
    const kpi = useKpiStore();
    await kpi.load(T0, fetchFn);
    expect(kpi.effectiveRate).toBeNull();
  });

  it.each([
    {
      name: 'yesterday had data',
      rows: [row({ date: '2026-07-01', received: 10 }), row({ date: '2026-07-02', received: 5 })],
      firstDay: false,
    },
    {
      name: 'one source had data yesterday',
      rows: [
        row({ mn: 'A', date: '2026-07-01', received: 0 }),
        row({ mn: 'B', date: '2026-07-01', received: 3 }),
        row({ date: '2026-07-02', effectiveRate: 0.4 }),
      ],
      firstDay: false,
    },
    {
      name: 'nothing received yesterday (installed today)',
      rows: [row({ date: '2026-07-01', received: 0, effectiveRate: 0 }), row({ date: '2026-07-02', effectiveRate: 0.4 })],
      firstDay: true,
    },
    { name: 'no rows of yesterday', rows: [row({ date: '2026-07-02', effectiveRate: 0.4 })], firstDay: true },
    { name: 'no rows at all', rows: [], firstDay: false },
  ])('first day after install: $name → $firstDay', ({ rows, firstDay }) => {
    expect(isFirstDay(rows, '2026-07-02')).toBe(firstDay);
  });

  describe('refresh', () => {
    afterEach(() => vi.useRealTimers());

    it('reloads every minute while started (72 % at page load, 99 % a minute later), and stops', async () => {
      vi.useFakeTimers();
      vi.setSystemTime(T0);
      const rates = [0.72, 0.99, 0.5];
      let calls = 0;
      const fetchFn = (async (input: RequestInfo | URL) => {
        if (!String(input).startsWith('/api/reports')) return json({ items: [] });
        const effectiveRate = rates[Math.min(calls++, rates.length - 1)];
        return json({ items: [row({ date: browserDate(Date.now()), effectiveRate }), row({ date: '2000-01-01', received: 5 })] });
      }) as typeof fetch;
      const kpi = useKpiStore();
      await kpi.start(KPI_REFRESH_MS, fetchFn);
      expect(kpi.effectiveRate).toBeCloseTo(0.72);
      expect(kpi.firstDay).toBe(false);
      await vi.advanceTimersByTimeAsync(KPI_REFRESH_MS);
      expect(calls).toBe(2);
      expect(kpi.effectiveRate).toBeCloseTo(0.99);
      expect(kpi.loadedAt).toBe(T0 + KPI_REFRESH_MS);
      kpi.stop();
      await vi.advanceTimersByTimeAsync(5 * KPI_REFRESH_MS);
      expect(calls).toBe(2);
      expect(kpi.effectiveRate).toBeCloseTo(0.99);
    });

    it('on the first day the rate is flagged not yet meaningful', async () => {
      const fetchFn = (async (input: RequestInfo | URL) =>
        String(input).startsWith('/api/reports')
          ? json({ items: [row({ date: browserDate(T0), effectiveRate: 0.41, pass: false })] })
          : json({ items: [] })) as typeof fetch;
      const kpi = useKpiStore();
      await kpi.load(T0, fetchFn);
      expect(kpi.firstDay).toBe(true);
    });
  });
});
