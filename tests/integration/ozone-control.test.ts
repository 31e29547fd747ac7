/**
 * The ozone control centre on the real app and a real InfluxDB, with the app's clock fixed at
 * 2026-07-15 14:30 China time (in the May–September season): station status computed from stored
 * hour data and from real-time values, forecasts entered one by one, as CSV and as JSON, and the
 * warning level they imply; who may do what.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Reading } from '../../server/domain/reading';
import type { OzoneStatus } from '../../server/control/ozone-status';
import { InfluxTelemetryStore } from '../../server/storage/influx/influx-telemetry-store';
import { signIn, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const H = 3_600_000;
const NOW = Date.parse('2026-07-15T14:30:00+08:00');
const TODAY = Date.parse('2026-07-15T00:00:00+08:00');
const day = (d: number) => Date.parse(`2026-07-${String(d).padStart(2, '0')}T00:00:00+08:00`);
const PARK = '370300AQS000000000001001';
const LINZI = '370300AQS000000000001002';
const ZHOUCUN = '370300AQS000000000001003';

const o3 = (mn: string, cn: '2011' | '2061', ts: number, value: number): Reading => ({
  mn,
  enterpriseId: 'city-monitoring',
  kind: 'ambient',
  cn,
  ts,
  factors: { a05024: cn === '2011' ? { rtd: value, flag: 'N' } : { avg: value, flag: 'N' } },
});

/** The stored data the status is computed from. */
function readings(): Reading[] {
  const out: Reading[] = [];
  // PARK, hour data: 10 July peaks at 200 (exceedance day), 11 July at 150, 12 July only 5 hours (no valid 8-h mean).
  for (let h = 0; h < 24; h++) out.push(o3(PARK, '2061', day(10) + h * H, h >= 10 && h < 18 ? 200 : 80));
  for (let h = 0; h < 24; h++) out.push(o3(PARK, '2061', day(11) + h * H, h >= 10 && h < 18 ? 150 : 80));
  for (let h = 10; h < 15; h++) out.push(o3(PARK, '2061', day(12) + h * H, 300));
  // PARK today: real-time only, one value a minute. Hour 05 has 30 of 60 (invalid: < 0.75), hours 06…13
  // are complete at 150 + 10 × (h − 6), hour 14 is not over yet. One value flagged M does not count.
  for (let m = 0; m < 30; m++) out.push(o3(PARK, '2011', TODAY + 5 * H + m * 60_000, 500));
  for (let h = 6; h < 14; h++) for (let m = 0; m < 60; m++) out.push(o3(PARK, '2011', TODAY + h * H + m * 60_000, 150 + 10 * (h - 6)));
  const flagged = o3(PARK, '2011', TODAY + 13 * H + 30_000, 9999);
  out.push({ ...flagged, factors: { a05024: { rtd: 9999, flag: 'M' } } });
  for (let m = 0; m < 20; m++) out.push(o3(PARK, '2011', TODAY + 14 * H + m * 60_000, 400));
  // LINZI: 10 July peaks at 160.4 for 8 hours (160 at HJ 663's precision: no exceedance); 11 July has hours
  // 00…17 only (13 valid 8-h means of 17: not a valid day, HJ 663); today 00…13 at 100 µg/m³ (7 means: not yet valid).
  for (let h = 0; h < 24; h++) out.push(o3(LINZI, '2061', day(10) + h * H, h >= 10 && h < 18 ? 160.4 : 80));
  for (let h = 0; h < 18; h++) out.push(o3(LINZI, '2061', day(11) + h * H, 120));
  // LINZI: hour data today 00…13 at 100 µg/m³.
  for (let h = 0; h < 14; h++) out.push(o3(LINZI, '2061', TODAY + h * H, 100));
  return out;
}

describe('ozone control centre: status, forecasts, warning', () => {
  let t: TestApp;
  let baseUrl: string;
  let ozone: ApiSession;
  const db = `ozone_${Date.now()}`;

  beforeAll(async () => {
    const store = new InfluxTelemetryStore({ url: inject('influxUrl'), db, timeoutMs: 10_000, createDb: true });
    await store.init();
    await store.write(readings());
    t = await startTestApp({ INFLUX_URL: inject('influxUrl'), INFLUX_DB: db }, { now: () => NOW });
    baseUrl = t.baseUrl;
    ozone = await signIn(baseUrl, 'ozone');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('computes each station from stored data: hour data as sent, real-time values averaged per valid hour', async () => {
    const { status, body } = await ozone.call<OzoneStatus>('GET', '/api/ozone/status');
    expect(status).toBe(200);
    expect(body.season).toMatchObject({ startMonth: 5, endMonth: 9, inSeason: true, from: Date.parse('2026-05-01T00:00:00+08:00') });
    const park = body.stations.find((s) => s.mn === PARK);
    // Latest complete hour 13:00–14:00 = 220 → IAQI (O3 1-h) 110; 8-h 06…13 mean 185 → IAQI 123 (moderate… light pollution).
    expect(park).toMatchObject({
      name: '人民公园站',
      district: '张店区',
      latest1h: { hour: TODAY + 13 * H, value: 220, iaqi: 110 },
      moving8h: { endHour: TODAY + 13 * H, value: 185, validHours: 8, iaqi: 123 },
      aqi: { value: 123, primary: ['o3_8h'], level: { level: 3, zh: '轻度污染', colour: '#FF7E00' } },
      today: { date: '2026-07-15', max8h: 185, max8hIaqi: 123, exceeded: true },
      season: { exceedanceDays: 2, exceedanceDates: ['2026-07-10', '2026-07-15'], daysWithData: 3 },
    });
    const linzi = body.stations.find((s) => s.mn === LINZI);
    expect(linzi).toMatchObject({
      district: '临淄区', // the station's own district, not its operator's (张店区)
      latest1h: { value: 100, iaqi: 32 },
      moving8h: { value: 100, iaqi: 50 },
      aqi: { value: 50, primary: [], level: { level: 1, zh: '优', colour: '#00E400' } },
      today: { max8h: 100, exceeded: false },
      season: { exceedanceDays: 0, exceedanceDates: [], daysWithData: 1 },
    });
    expect(body.stations.find((s) => s.mn === ZHOUCUN)).toMatchObject({
      district: '周村区',
      latest1h: null,
      moving8h: null,
      aqi: null,
      today: { max8h: null },
      season: { exceedanceDays: 0 },
    });
  });

  it('is for staff only', async () => {
    expect((await (await signIn(baseUrl, 'officer')).call('GET', '/api/ozone/status')).status).toBe(200);
    const ent = await signIn(baseUrl, 'zichuan-cement');
    expect((await ent.call('GET', '/api/ozone/status')).status).toBe(403);
    expect((await ent.call('GET', '/api/ozone/warning')).status).toBe(403);
  });

  it('records forecasts, gives each its IAQI, and derives the warning level from today', async () => {
    expect((await ozone.call('GET', '/api/ozone/warning')).body).toMatchObject({ level: null, days: [] });

    const one = await ozone.call('POST', '/api/ozone/forecasts', { date: '2026-07-15', o3_8h: 215, note: '午后偏高' });
    expect(one).toMatchObject({
      status: 201,
      body: { forecast: { date: '2026-07-15', o3_8h: 215, iaqi: 150, recordedBy: 'ozone', level: { level: 3 } } },
    });

    const csv = 'date,o3_8h,iaqi,note\n2026-07-16,,160,\n2026-07-17,,210,"重度, 注意"\n2026-07-18,,170,\n';
    const imported = await ozone.fetch('/api/ozone/forecasts', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(imported.status).toBe(201);
    expect(await imported.json()).toMatchObject({
      imported: 3,
      items: [{ iaqi: 160 }, { iaqi: 210, note: '重度, 注意', level: { zh: '重度污染' } }, { iaqi: 170 }],
    });
    expect((await ozone.call('GET', '/api/ozone/warning')).body).toMatchObject({
      level: 'yellow',
      run: { from: '2026-07-16', to: '2026-07-18', days: 3 },
    });

    const json = await ozone.call('POST', '/api/ozone/forecasts', [{ date: '2026-07-19', o3_8h: 240 }]);
    expect(json).toMatchObject({ status: 201, body: { imported: 1, items: [{ iaqi: 175 }] } });
    expect((await ozone.call('GET', '/api/ozone/warning')).body).toMatchObject({
      level: 'orange',
      run: { from: '2026-07-16', to: '2026-07-19', days: 4 },
    });

    const listed = await ozone.call<{ items: { date: string; iaqi: number }[] }>(
      'GET',
      '/api/ozone/forecasts?from=2026-07-16&to=2026-07-17',
    );
    expect(listed.body.items.map((f) => [f.date, f.iaqi])).toEqual([
      ['2026-07-16', 160],
      ['2026-07-17', 210],
    ]);
  });

  it('refuses a whole import with a message per bad row, and keeps nothing of it', async () => {
    const csv = 'date,o3_8h,iaqi\n2026-07-20,300,\n2026-07-21,abc,\n2026-07-32,100,\n2026-07-22,,\n';
    const res = await ozone.fetch('/api/ozone/forecasts', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; rows: { row: number; line: number; field: string }[] };
    expect(body.rows.map((r) => [r.row, r.line, r.field])).toEqual([
      [2, 3, 'o3_8h'],
      [3, 4, 'date'],
      [4, 5, 'o3_8h'],
    ]);
    expect(body.message).toContain('row 2 (line 3): o3_8h: "abc" is not a number');
    expect((await ozone.call<{ items: unknown[] }>('GET', '/api/ozone/forecasts?from=2026-07-20&to=2026-07-22')).body.items).toEqual([]);

    const bad = await ozone.call('POST', '/api/ozone/forecasts', { date: '2026-07-20', o3_8h: 100, iaqi: 60 });
    expect(bad).toMatchObject({ status: 400, body: { message: 'o3_8h: give exactly one of o3_8h and iaqi' } });
    expect((await ozone.call('GET', '/api/ozone/forecasts?from=2026-07-20&to=bad')).body).toMatchObject({
      message: expect.stringContaining('to:'),
    });
  });

  it('only the ozone centre and admins record forecasts', async () => {
    const officer = await signIn(baseUrl, 'officer');
    expect((await officer.call('POST', '/api/ozone/forecasts', { date: '2026-07-20', iaqi: 90 })).status).toBe(403);
    expect((await (await signIn(baseUrl, 'admin')).call('POST', '/api/ozone/forecasts', { date: '2026-07-20', iaqi: 90 })).status).toBe(
      201,
    );
  });

  it('lists the measure templates campaigns choose from, as the rule file has them', async () => {
    const { body } = await ozone.call<{ items: { id: string; zh: string; en: string }[] }>('GET', '/api/ozone/measures');
    expect(body.items.map((m) => m.id)).toEqual(t.config.ozone.measures.map((m) => m.id));
    expect(body.items.every((m) => m.zh.length > 0 && m.en.length > 0)).toBe(true);
  });
});
