import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeAlert, T0 } from '../testing/fixtures';
import { browserDate } from '../composables/local-date';
import { useAlertsStore } from './alerts';
import { countExceedances, KPI_REFRESH_MS, startOfDay, useKpiStore } from './kpi';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('KPIs', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('counts the server’s exceedances before the cut and the live store’s from it on, not equipment alerts', () => {
    const since = startOfDay(T0);
    const cut = since + 5;
    const live = [
      makeAlert({ id: 1, openedAt: since + 1 }), // counted by the server
      makeAlert({ id: 2, openedAt: since - 1 }), // yesterday's
      makeAlert({ id: 4, openedAt: cut }),
      makeAlert({ id: 5, rule: 'instrument-fault', openedAt: since + 9 }),
      makeAlert({ id: 6, rule: 'offline', openedAt: since + 9 }),
      makeAlert({ id: 7, rule: 'maintenance-flag', openedAt: since + 9 }),
      makeAlert({ id: 8, openedAt: since + 9 }),
    ];
    expect(countExceedances(3, cut, live, since)).toBe(5);
    // Before the first count (the cut at midnight): the live store's alone, none of yesterday's.
    expect(countExceedances(0, since, live, since)).toBe(3);
  });

  it('load: today counted by the server (one alert at most read) plus the live store; the rate is "—" (null) when the report fails', async () => {
    const urls: string[] = [];
    const fetchFn = (async (input: RequestInfo | URL) => {
      const url = String(input);
      urls.push(url);
      if (url.startsWith('/api/reports/transmission')) return json({ error: 'not_found', message: 'no route' }, 404);
      return json({ items: [makeAlert({ id: 1, openedAt: T0 })], total: 1_234, limit: 1, offset: 0, nextOffset: 1 });
    }) as typeof fetch;
    // id 2 was opened after the count's cut (T0 + 10), id 3 before it (counted by the server).
    useAlertsStore().applySnapshot({ seq: 1, alerts: [makeAlert({ id: 2, openedAt: T0 + 11 }), makeAlert({ id: 3, openedAt: T0 + 1 })] });
    const kpi = useKpiStore();
    await kpi.load(T0 + 10, fetchFn);
    expect(urls[0]).toBe(`/api/alerts?exceedance=true&from=${startOfDay(T0 + 10)}&to=${T0 + 10}&limit=1`);
    // Yesterday and today (local days): the newest day reported is the KPI.
    // One small answer computed by the server, of the browser's local day (not the per-source rows).
    expect(urls[1]).toBe(`/api/reports/transmission/rate?date=${browserDate(T0 + 10)}`);
    expect(kpi.exceedancesToday).toBe(1_235);
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

  it('load: the counts show while the transmission rate is still being computed', async () => {
    const summary = {
      total: 2,
      byStatus: { normal: 1, exceeding: 1, offline: 0, nodata: 0 },
      byKind: {},
      byDistrict: [],
      byIndustry: [],
      alerts: { open: 1, active: 1, unacknowledged: 1, bySeverity: {} },
    };
    let answerRate: (r: Response) => void = () => undefined;
    const fetchFn = (async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url.startsWith('/api/reports')) return new Promise<Response>((resolve) => (answerRate = resolve));
      return url === '/api/sources/summary' ? json(summary) : json({ items: [], total: 7, limit: 1, offset: 0, nextOffset: null });
    }) as typeof fetch;
    const kpi = useKpiStore();
    const loading = kpi.load(T0 + 10, fetchFn);
    await vi.waitFor(() => expect(kpi.online).toEqual({ online: 2, of: 2 }));
    expect(kpi.exceedancesToday).toBe(7);
    expect(kpi.loadedAt).toBeNull();
    answerRate(json({ date: '2026-07-01', rate: 0.5, sources: 2, firstDay: false }));
    await loading;
    expect(kpi.effectiveRate).toBeCloseTo(0.5);
    expect(kpi.loadedAt).toBe(T0 + 10);
  });

  it('load: the effective rate (a fraction) the server computed', async () => {
    const fetchFn = (async (input: RequestInfo | URL) =>
      String(input).startsWith('/api/reports')
        ? json({ date: '2026-07-01', rate: 0.931, sources: 2, firstDay: false })
        : json({ items: [] })) as typeof fetch;
    const kpi = useKpiStore();
    await kpi.load(T0, fetchFn);
    expect(kpi.effectiveRate).toBeCloseTo(0.931);
  });

  it('load: an answer of an unexpected shape is refused, not shown', async () => {
    const fetchFn = (async (input: RequestInfo | URL) =>
      String(input).startsWith('/api/reports')
        ? json({ date: '2026-07-01', rate: '93 %', sources: 1, firstDay: false })
        : json({ items: [] })) as typeof fetch;
    const kpi = useKpiStore();
    await kpi.load(T0, fetchFn);
    expect(kpi.effectiveRate).toBeNull();
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
        return json({ date: browserDate(Date.now()), rate: effectiveRate, sources: 1, firstDay: false });
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
          ? json({ date: browserDate(T0), rate: 0.41, sources: 1, firstDay: true })
          : json({ items: [] })) as typeof fetch;
      const kpi = useKpiStore();
      await kpi.load(T0, fetchFn);
      expect(kpi.firstDay).toBe(true);
    });
  });
});
