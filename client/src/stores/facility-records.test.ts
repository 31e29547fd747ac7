import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useFacilityRecordsStore } from './facility-records';

const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const plan = (version: number, entries: unknown[] = []) => ({
  enterpriseId: 'qilu-power',
  year: 2027,
  entries,
  filedBy: 'qilu-power',
  filedAt: 1,
  updatedBy: 'qilu-power',
  updatedAt: 1,
  version,
});

describe('facility records store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads the ledger, logs a replacement, files and then changes the plan against its version', async () => {
    const calls: string[] = [];
    let stored: ReturnType<typeof plan> | null = null;
    const replaced = [
      {
        id: 'r1',
        facilityId: 'ac1',
        enterpriseId: 'qilu-power',
        date: '2027-03-01',
        amountKg: 500,
        note: null,
        loggedBy: 'q',
        loggedAt: 1,
      },
    ];
    const fetchFn = (async (url: string, init: RequestInit) => {
      calls.push(`${String(init.method)} ${url}${init.body ? ` ${String(init.body)}` : ''}`);
      if (url.startsWith('/api/facilities?'))
        return answer(200, {
          items: [
            { id: 'line1', enterpriseId: 'qilu-power', kind: 'production-line', name: '1号线' },
            { id: 'ac1', enterpriseId: 'qilu-power', kind: 'treatment', name: '活性炭', adsorbentDays: 90 },
          ],
        });
      if (url.endsWith('/adsorbent-replacements') && init.method === 'POST') return answer(201, { replacement: replaced[0] });
      if (url.endsWith('/adsorbent-replacements')) return answer(200, { items: calls.some((c) => c.startsWith('POST')) ? replaced : [] });
      if (init.method === 'PUT') {
        const body = JSON.parse(String(init.body)) as { entries: unknown[] };
        stored = plan((stored?.version ?? 0) + 1, body.entries);
        return answer(200, { plan: stored });
      }
      return answer(200, { plan: stored, due: '2027-03-31' });
    }) as typeof fetch;
    const store = useFacilityRecordsStore();
    await store.loadLedger('qilu-power', 2027, fetchFn);
    expect(store.adsorbers.map((f) => f.id)).toEqual(['ac1']);
    expect(store.lines.map((f) => f.id)).toEqual(['line1']);
    expect([store.plan, store.due]).toEqual([null, '2027-03-31']);
    await store.logReplacement('ac1', { date: '2027-03-01', amountKg: 500 }, fetchFn);
    expect(store.lastReplacement('ac1')?.date).toBe('2027-03-01');
    await store.savePlan([{ facilityId: 'line1', kind: 'stop', date: '2027-06-15' }], fetchFn);
    await store.savePlan([], fetchFn);
    expect(calls.filter((c) => c.startsWith('PUT'))).toEqual([
      'PUT /api/start-stop-plans/qilu-power/2027 {"entries":[{"facilityId":"line1","kind":"stop","date":"2027-06-15"}],"version":0}',
      'PUT /api/start-stop-plans/qilu-power/2027 {"entries":[],"version":1}',
    ]);
    expect(store.plan?.version).toBe(2);
    expect(store.lineName('line1')).toBe('1号线');
  });

  it('loads the bureau’s overview of a year: statuses and counts (none counted reads as zero)', async () => {
    const fetchFn = (async (url: string) => {
      if (url.startsWith('/api/start-stop-plans'))
        return answer(200, {
          items: [
            { enterpriseId: 'zc', name: '水泥', year: 2027, filed: false, filedAt: null, late: false, entries: 0, due: '2027-03-31' },
          ],
        });
      expect(url).toBe(
        `/api/start-stop-events?from=${Date.parse('2027-01-01T00:00:00+08:00')}&to=${Date.parse('2028-01-01T00:00:00+08:00')}`,
      );
      return answer(200, { counts: [{ enterpriseId: 'qilu-power', starts: 2, stops: 1, inSeason: 3, unplanned: 1 }], events: [] });
    }) as typeof fetch;
    const store = useFacilityRecordsStore();
    await store.loadOverview(2027, fetchFn);
    expect(store.statuses.map((s) => s.enterpriseId)).toEqual(['zc']);
    expect(store.countOf('qilu-power').unplanned).toBe(1);
    expect(store.countOf('zc')).toEqual({ enterpriseId: 'zc', starts: 0, stops: 0, inSeason: 0, unplanned: 0 });
  });
});
