/**
 * Ambient readings over MQTT → real Mosquitto → ingest → real InfluxDB → daily AQI → GET
 * /api/air/assessment and /api/air/bulletin (issue 17 item 2): two stations send whole days of hour
 * records (CN 2061) of the six pollutants, 1–3 Dec 2026 and (one of them) 1–2 Dec 2025; the figures
 * of the city and the districts, year on year, the autumn–winter required path, the ranking and the
 * behind-schedule marks equal the hand computation written out below (HJ 633 tables, HJ 663
 * rounding, validity and percentiles; targets from config/rules/ozone.yaml). The clock is fixed the
 * morning of 4 Dec 2026.
 */
import ExcelJS from 'exceljs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AqiResponse } from '../../server/domain/air-quality';
import type { AssessmentResponse, AssessmentRow, BulletinResponse } from '../../server/domain/assessment-api';
import { dataTopic, type LoggerMessage } from '../../server/domain/mqtt-contract';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { eventually } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const H = 3_600_000;
const NOW = Date.parse('2026-12-04T09:30:00+08:00');
const PARK = '370300AQS000000000001001'; // 人民公园站, 张店区
const LINZI = '370300AQS000000000001002'; // 临淄大化站, 临淄区 (周村东站, 周村区, sends nothing)

/** A day's constant hour values: SO2, NO2, PM10, PM2.5 (µg/m³), CO (mg/m³), O3 (µg/m³). */
type Day = [so2: number, no2: number, pm10: number, pm25: number, co: number, o3: number];
const n = (avg: number) => ({ avg, flag: 'N' as const });
const hours = (mn: string, date: string, [so2, no2, pm10, pm25, co, o3]: Day) =>
  Array.from({ length: 24 }, (_, h): [string, LoggerMessage] => [
    mn,
    {
      cn: '2061',
      ts: Date.parse(`${date}T00:00:00+08:00`) + h * H,
      factors: { a21026: n(so2), a21004: n(no2), a34002: n(pm10), a34004: n(pm25), a21005: n(co), a05024: n(o3) },
    },
  ]);

/*
 * By hand (IAQI carried up; AQI the largest):
 * 人民公园站 SO2 10 → 10, NO2 30 → 37.5 → 38, CO 0.8 → 20, O3 50 → 1-h 15.6 → 16, 8-h 25; PM10 60 → 55
 *   2026-12-01 PM2.5 40 → 56.25 → 57: AQI 57 (good)
 *   2026-12-02 PM2.5 160 → 200 + 100 × 10/100 = 210, PM10 200 → 125: AQI 210 (heavy)
 *   2026-12-03 PM2.5 100 → 100 + 50 × 25/40 = 131.25 → 132: AQI 132
 *   2025-12-01 PM2.5 80 → 106.25 → 107; 2025-12-02 PM2.5 100 → 132
 * 临淄大化站 SO2 20, NO2 40 → 50, PM10 100 → 75, CO 1.2 → 30, O3 70 → 22 / 35
 *   2026-12-01 PM2.5 60 → 81.25 → 82 (good); 12-02 PM2.5 120 → 157.1 → 158; 12-03 PM2.5 80 → 106.25 → 107
 * The city, each index averaged over the two stations first: SO2 15, NO2 35 → 44, CO 1.0 → 25, O3 60 →
 *   19 / 30; PM10 80 → 65 (12-02: 150 → 100); PM2.5 50 → 68.75 → 69, 140 → 185.7 → 186, 90 → 118.75 →
 *   119: AQI 69 (good), 186, 119 (no heavy day). In 2025 only 人民公园站: the city is that station.
 */
const PARK_DAYS: [string, Day][] = [
  ['2026-12-01', [10, 30, 60, 40, 0.8, 50]],
  ['2026-12-02', [10, 30, 200, 160, 0.8, 50]],
  ['2026-12-03', [10, 30, 60, 100, 0.8, 50]],
  ['2025-12-01', [10, 30, 60, 80, 0.8, 50]],
  ['2025-12-02', [10, 30, 60, 100, 0.8, 50]],
];
const LINZI_DAYS: [string, Day][] = [
  ['2026-12-01', [20, 40, 100, 60, 1.2, 70]],
  ['2026-12-02', [20, 40, 100, 120, 1.2, 70]],
  ['2026-12-03', [20, 40, 100, 80, 1.2, 70]],
];

describe('assessment from ambient readings over MQTT (HJ 663)', () => {
  let t: TestApp;
  let logger: MqttClient;
  let officer: ApiSession;
  const db = `assess_${Date.now()}`;
  const get = async <T>(path: string) => {
    const res = await officer.call<T>('GET', path);
    expect(res.status).toBe(200);
    return res.body;
  };
  const row = (body: AssessmentResponse, id: string) => body.rows.find((r) => r.id === id) as AssessmentRow;

  beforeAll(async () => {
    t = await startTestApp(
      { MQTT_URL: broker.url(), INFLUX_URL: inject('influxUrl'), INFLUX_DB: db, INGEST_MAX_PAST_AGE_H: '0' },
      { now: () => NOW },
    );
    officer = await t.signIn('officer');
    logger = await mqtt.connectAsync(broker.url(), { clientId: `assess-${Date.now()}` });
    const messages = [...PARK_DAYS.flatMap(([d, v]) => hours(PARK, d, v)), ...LINZI_DAYS.flatMap(([d, v]) => hours(LINZI, d, v))];
    for (const [mn, msg] of messages) await logger.publishAsync(dataTopic(mn), JSON.stringify(msg), { qos: 1 });
    // Stored when every day of both stations reads back whole (the AQI route is not cached).
    await eventually(async () => {
      const stored = async (from: string, to: string) =>
        (await get<AqiResponse>(`/api/air/aqi?scope=station&interval=day&from=${from}&to=${to}`)).rows.filter(
          (r) => r.id !== '370300AQS000000000001003' && r.pollutants.co_24h?.count === 24,
        ).length;
      return (await stored('2026-12-01', '2026-12-03')) === 6 && (await stored('2025-12-01', '2025-12-02')) === 2 ? true : undefined;
    }, 'the days stored');
  });
  afterAll(async () => {
    await logger?.endAsync();
    await t?.stop();
  });

  it('a custom range, the city: ratios, means, percentiles, validity, targets, year on year', async () => {
    const body = await get<AssessmentResponse>('/api/air/assessment?period=2026-12-01..2026-12-03&scope=city');
    expect(body).toMatchObject({
      period: { kind: 'range', from: '2026-12-01', to: '2026-12-03' },
      scope: 'city',
      through: '2026-12-03',
      previous: { from: '2025-12-01', to: '2025-12-03' },
      composite: 'pm25',
    });
    expect(body.rows).toHaveLength(1);
    const city = row(body, 'city');
    // 3 valid days (AQI 69, 186, 119): 1 good = 33.33 %, no heavy day. A statistic needs ⌈3 × 324/365⌉ = 3 days.
    expect(city.figures).toEqual({
      days: 3,
      validDays: 3,
      goodDays: 1,
      heavyDays: 0,
      goodPct: 33.33,
      heavyPct: 0,
      minValidDays: 3,
      stats: {
        pm25: { value: 93, validDays: 3, valid: true }, // (50 + 140 + 90)/3 = 93.3
        pm10: { value: 103, validDays: 3, valid: true }, // (80 + 150 + 80)/3 = 103.3
        so2: { value: 15, validDays: 3, valid: true },
        no2: { value: 35, validDays: 3, valid: true },
        co: { value: 1, validDays: 3, valid: true }, // p95 of 1.0 1.0 1.0
        o3: { value: 60, validDays: 3, valid: true }, // p90 of the daily maximum 8-h means 60 60 60
      },
    });
    expect(city.checks).toEqual([
      { key: 'goodDays', target: 85, actual: 33.33, pass: false },
      { key: 'heavyDays', target: 0.65, actual: 0, pass: true },
      { key: 'pm25', target: 60, actual: 93, pass: false },
      { key: 'pm10', target: 120, actual: 103, pass: true },
      { key: 'so2', target: 20, actual: 15, pass: true },
      { key: 'no2', target: 40, actual: 35, pass: true },
      { key: 'co', target: 4, actual: 1, pass: true },
      { key: 'o3', target: 160, actual: 60, pass: true },
    ]);
    // A year earlier: 2 valid days (AQI 107, 132), PM2.5 (80 + 100)/2 = 90, PM10 60, SO2 10, NO2 30, CO 0.8, O3 50.
    expect(city.previous).toMatchObject({ validDays: 2, goodDays: 0, heavyDays: 0, goodPct: 0 });
    expect(city.previous?.stats.pm25).toEqual({ value: 90, validDays: 2, valid: false });
    expect(city.change).toEqual({
      goodPct: 33.33,
      heavyPct: 0,
      heavyDays: 0,
      // (93 − 90)/90, (103 − 60)/60, (15 − 10)/10, (35 − 30)/30, (1.0 − 0.8)/0.8, (60 − 50)/50
      stats: { pm25: 3.3, pm10: 71.7, so2: 50, no2: 16.7, co: 25, o3: 20 },
    });
    expect(city.autumnWinter).toBeNull();
  });

  it('a custom range, the districts: ranked by the PM2.5 mean', async () => {
    const body = await get<AssessmentResponse>('/api/air/assessment?period=2026-12-01..2026-12-03&scope=district');
    expect(body.rows.map((r) => r.id).sort()).toEqual(['临淄区', '周村区', '张店区'].sort());
    // 张店区: AQI 57, 210, 132 → 1 good, 1 heavy; PM2.5 (40 + 160 + 100)/3 = 100; a year earlier 90 → +11.1 %.
    expect(row(body, '张店区')).toMatchObject({
      stations: 1,
      rank: 2,
      figures: { validDays: 3, goodDays: 1, heavyDays: 1, goodPct: 33.33, heavyPct: 33.33, stats: { pm25: { value: 100, valid: true } } },
      change: { heavyDays: 1, stats: { pm25: 11.1 } },
    });
    // 临淄区: AQI 82, 158, 107 → 1 good; PM2.5 (60 + 120 + 80)/3 = 86.7 → 87; nothing a year earlier.
    expect(row(body, '临淄区')).toMatchObject({
      rank: 1,
      figures: { goodDays: 1, heavyDays: 0, heavyPct: 0, stats: { pm25: { value: 87 } } },
      previous: null,
      change: null,
    });
    expect(row(body, '周村区')).toMatchObject({ rank: null, figures: { validDays: 0, goodPct: null } });
  });

  it('the autumn–winter period: targets from last period, the required path, behind schedule', async () => {
    const body = await get<AssessmentResponse>('/api/air/assessment?period=aw-2026&scope=district');
    expect(body).toMatchObject({ period: { kind: 'autumn-winter', from: '2026-10-01', to: '2027-03-31' }, through: '2026-12-03' });
    const zd = row(body, '张店区');
    // 64 days assessed (1 Oct – 3 Dec), 3 valid: a statistic needs ⌈64 × 324/365⌉ = 57 days.
    expect(zd.figures).toMatchObject({ days: 64, validDays: 3, minValidDays: 57, stats: { pm25: { value: 100, valid: false } } });
    expect(zd.checks.find((c) => c.key === 'pm25')).toEqual({ key: 'pm25', target: 60, actual: 100, pass: null });
    const aw = zd.autumnWinter;
    // Last period (人民公园站 1–2 Dec 2025): PM2.5 90, no heavy day. City tier: −5 %, −2 days → 85.5, 0 days.
    expect(aw).toMatchObject({
      target: { pm25CutPct: 5, heavyDaysCut: 2 },
      pm25Previous: 90,
      heavyDaysPrevious: 0,
      pm25Target: 85.5,
      heavyDaysTarget: 0,
      behind: { pm25: true, heavyDays: true },
      behindSchedule: true,
    });
    expect(aw?.points).toHaveLength(182);
    const at = (date: string) => aw?.points.find((p) => p.date === date);
    // Required: last period's cumulative mean × 0.95 (80 → 76, 90 → 85.5); actual: 40, (40 + 160)/2 = 100, 100.
    expect(at('2026-11-30')).toEqual({ date: '2026-11-30', pm25Required: null, pm25Actual: null, heavyAllowed: 0, heavyActual: 0 });
    expect(at('2026-12-01')).toEqual({ date: '2026-12-01', pm25Required: 76, pm25Actual: 40, heavyAllowed: 0, heavyActual: 0 });
    expect(at('2026-12-02')).toEqual({ date: '2026-12-02', pm25Required: 85.5, pm25Actual: 100, heavyAllowed: 0, heavyActual: 1 });
    expect(at('2026-12-03')).toEqual({ date: '2026-12-03', pm25Required: 85.5, pm25Actual: 100, heavyAllowed: 0, heavyActual: 1 });
    expect(at('2027-03-31')).toEqual({ date: '2027-03-31', pm25Required: 85.5, pm25Actual: null, heavyAllowed: 0, heavyActual: null });
    expect(zd.behindSchedule).toBe(true);
    // 临淄区 has no last period: the annual 60 µg/m³, and ⌊182 × 0.65 %⌋ = 1 heavy day spread evenly (64/182 → 0.4).
    expect(row(body, '临淄区').autumnWinter).toMatchObject({
      pm25Previous: null,
      heavyDaysPrevious: null,
      pm25Target: 60,
      heavyDaysTarget: 1,
      behind: { pm25: true, heavyDays: false },
    });
    expect(row(body, '临淄区').autumnWinter?.points.find((p) => p.date === '2026-12-03')).toMatchObject({
      pm25Required: 60,
      pm25Actual: 87,
      heavyAllowed: 0.4,
      heavyActual: 0,
    });
    expect(row(body, '周村区')).toMatchObject({ behindSchedule: false, autumnWinter: { behind: { pm25: null, heavyDays: false } } });
  });

  it('the monthly bulletin: ranking, year on year, behind-schedule marks; as XLSX', async () => {
    const b = await get<BulletinResponse>('/api/air/bulletin?month=2026-12');
    expect(b).toMatchObject({
      month: '2026-12',
      through: '2026-12-03',
      composite: 'pm25',
      basis: { kind: 'autumn-winter', from: '2026-10-01', to: '2026-12-03' },
    });
    expect(b.rows.map((r) => [r.rank, r.name])).toEqual([
      [1, '临淄区'],
      [2, '张店区'],
      [null, '周村区'],
    ]);
    expect(b.rows[0]).toMatchObject({
      pm25: { value: 87, validDays: 3 },
      goodDays: 1,
      heavyDays: 0,
      pm25Change: null,
      cumulativePm25: 87,
      requiredPm25: 60,
      behindSchedule: true,
      behindOn: ['pm25'],
    });
    expect(b.rows[1]).toMatchObject({
      pm25: { value: 100 },
      goodPct: 33.33,
      heavyDays: 1,
      pm25Change: 11.1,
      cumulativePm25: 100,
      requiredPm25: 85.5,
      behindOn: ['pm25', 'heavyDays'],
    });
    expect(b.rows[2]).toMatchObject({ behindSchedule: false, behindOn: [] });
    expect(b.city).toMatchObject({
      id: 'city',
      pm25: { value: 93 },
      pm25Change: 3.3,
      cumulativePm25: 93,
      requiredPm25: 85.5,
      behindOn: ['pm25'],
    });

    const res = await officer.fetch('/api/air/bulletin?month=2026-12&format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('o3s-air-bulletin-2026-12.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(String(ws.getCell('A1').value)).toContain('月度通报 2026-12');
    expect(ws.getRow(4).values).toEqual(expect.arrayContaining(['排名', '区县', 'PM2.5 月均浓度 (µg/m³)', '优良天数比例 (%)', '进度']));
    expect((ws.getRow(5).values as unknown[]).slice(1, 5)).toEqual([1, '临淄区', 1, 87]);
    expect(ws.getRow(5).getCell(13).value).toBe('滞后（PM2.5）');
    expect(String(ws.getRow(8).getCell(2).value)).toMatch(/^全市/);
  });

  it('refuses a bad query; staff only', async () => {
    for (const q of ['period=2026-13', 'period=aw2026', 'period=2026&scope=station', '', 'period=2026&x=1']) {
      expect({ q, status: (await officer.call('GET', `/api/air/assessment?${q}`)).status }).toEqual({ q, status: 400 });
    }
    for (const q of ['month=2026-13', 'month=2026', 'month=2026-12&format=csv']) {
      expect({ q, status: (await officer.call('GET', `/api/air/bulletin?${q}`)).status }).toEqual({ q, status: 400 });
    }
    expect((await (await t.signIn('ozone')).call('GET', '/api/air/assessment?period=2026')).status).toBe(200);
    expect((await (await t.signIn('zichuan-cement')).call('GET', '/api/air/assessment?period=2026')).status).toBe(403);
  });
});
