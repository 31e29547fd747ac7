import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Forecast } from '../api/ozone';
import { rowRefusalsOf } from '../api/ozone';
import { mergeForecasts, useOzoneStore } from './ozone';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const level = { level: 3 as const, zh: '轻度污染', en: 'Lightly polluted', colour: '#FF7E00' };
const forecast = (over: Partial<Forecast> = {}): Forecast => ({
  date: '2026-07-02',
  o3_8h: 170,
  iaqi: 110,
  aqi: null,
  pm25: null,
  note: null,
  recordedBy: 'ozone',
  recordedAt: 1,
  level,
  ...over,
});
const station = {
  mn: 'M',
  name: '人民公园站',
  enterpriseId: 'c',
  district: '张店区',
  latest1h: { hour: 0, value: 180, iaqi: 60 },
  moving8h: null,
  aqi: { value: 60, primary: ['o3_1h'], level: { ...level, min: 101, max: 150 } },
  today: { date: '2026-07-01', max8h: null, max8hIaqi: null, exceeded: false },
  season: { exceedanceDays: 2, exceedanceDates: [], daysWithData: 3 },
};
const status = {
  computedAt: 5,
  factor: 'a05024',
  exceedanceLimit: 160,
  season: { from: 0, to: 1, startMonth: 5, endMonth: 9, inSeason: true },
  stations: [station],
};
const warning = { level: null, run: null, days: [], horizon: { from: '2026-07-01', to: '2026-07-07' }, thresholds: {} };

/** A fake server: answers by method and path, records what was asked. */
function server(routes: Record<string, () => Response>) {
  const calls: { method: string; url: string; type: string | null; body: string | null }[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const url = String(input);
    calls.push({
      method,
      url,
      type: new Headers(init?.headers).get('content-type'),
      body: typeof init?.body === 'string' ? init.body : null,
    });
    const route = routes[`${method} ${url}`];
    return route ? route() : json({ error: 'not_found', message: 'no route' }, 404);
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe('ozone store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('mergeForecasts: a newer forecast for a date replaces the older, sorted by date', () => {
    const merged = mergeForecasts(
      [forecast({ date: '2026-07-03' }), forecast({ date: '2026-07-02', iaqi: 90 })],
      [forecast({ date: '2026-07-02', iaqi: 151 })],
    );
    expect(merged.map((f) => [f.date, f.iaqi])).toEqual([
      ['2026-07-02', 151],
      ['2026-07-03', 110],
    ]);
  });

  it('load: status, forecasts and warning; a part that fails is named and the others still show', async () => {
    const { fetchFn } = server({
      'GET /api/ozone/status': () => json(status),
      'GET /api/ozone/forecasts': () => json({ error: 'internal' }, 500),
      'GET /api/ozone/warning': () => json(warning),
    });
    const ozone = useOzoneStore();
    await ozone.load(fetchFn);
    expect(ozone.stations.map((s) => s.name)).toEqual(['人民公园站']);
    expect(ozone.warning?.level).toBeNull();
    expect(ozone.errors.forecasts).toContain('HTTP 500');
    expect(ozone.errors.status).toBeUndefined();
  });

  it('load: a status body of the wrong shape is refused', async () => {
    const { fetchFn } = server({
      'GET /api/ozone/status': () => json({ stations: 'none' }),
      'GET /api/ozone/forecasts': () => json({ items: [] }),
      'GET /api/ozone/warning': () => json(warning),
    });
    const ozone = useOzoneStore();
    await ozone.load(fetchFn);
    expect(ozone.status).toBeNull();
    expect(ozone.errors.status).toContain('unexpected body');
  });

  it('addForecast posts one entry, keeps the answer and refreshes the warning', async () => {
    const { calls, fetchFn } = server({
      'POST /api/ozone/forecasts': () => json({ forecast: forecast() }, 201),
      'GET /api/ozone/warning': () => json({ ...warning, level: 'yellow', run: { from: '2026-07-01', to: '2026-07-03', days: 3 } }),
    });
    const ozone = useOzoneStore();
    await ozone.addForecast({ date: '2026-07-02', o3_8h: 170 }, fetchFn);
    expect(calls[0]).toMatchObject({ method: 'POST', type: 'application/json', body: '{"date":"2026-07-02","o3_8h":170}' });
    expect(ozone.forecasts).toHaveLength(1);
    expect(ozone.warning?.level).toBe('yellow');
  });

  it('importCsv posts text/csv; a refusal carries each row and imports nothing', async () => {
    const rows = [{ row: 2, line: 3, field: 'iaqi', message: 'must be 0–500' }];
    const { calls, fetchFn } = server({
      'POST /api/ozone/forecasts': () => json({ error: 'bad_request', message: 'row 2 (line 3): iaqi: must be 0–500', rows }, 400),
    });
    const ozone = useOzoneStore();
    const csv = 'date,o3_8h,iaqi,note\n2026-07-02,170,,\n2026-07-03,,900,\n';
    const err = await ozone.importCsv(csv, fetchFn).catch((e: unknown) => e);
    expect(calls[0]).toMatchObject({ type: 'text/csv', body: csv });
    expect(rowRefusalsOf(err)).toEqual(rows);
    expect(ozone.forecasts).toEqual([]);
  });
});
