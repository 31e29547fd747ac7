/**
 * Ambient readings over MQTT → real Mosquitto → ingest → real InfluxDB → GET /api/air/aqi (issue 17):
 * two stations send a day of hour records (CN 2061) of the six pollutants; the daily and hourly AQI of
 * a station, a district and the city equal the hand computation written out below (HJ 633 tables,
 * HJ 663 rounding and validity). The app's clock is fixed the morning after the day.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AqiResponse, AqiRow } from '../../server/domain/air-quality';
import { dataTopic, type LoggerMessage } from '../../server/domain/mqtt-contract';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { eventually } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const H = 3_600_000;
const DAY = Date.parse('2026-12-01T00:00:00+08:00');
const NOW = Date.parse('2026-12-02T09:30:00+08:00');
const PARK = '370300AQS000000000001001'; // 人民公园站, 张店区
const LINZI = '370300AQS000000000001002'; // 临淄大化站, 临淄区 (周村东站 sends nothing)

type Hour = Partial<Record<'a21026' | 'a21004' | 'a34002' | 'a34004' | 'a21005' | 'a05024', { avg: number; flag: 'N' | 'M' }>>;
const n = (avg: number) => ({ avg, flag: 'N' as const });

/**
 * 人民公园站: SO2 12; NO2 30 before noon, 50 after; PM10 140; PM2.5 90 before noon, 130 after, but hours
 * 03 and 04 flagged M (not valid); CO 1.3 mg/m³; O3 40, and 90 in hours 11…18.
 */
const park = (h: number): Hour => ({
  a21026: n(12),
  a21004: n(h < 12 ? 30 : 50),
  a34002: n(140),
  a34004: h === 3 || h === 4 ? { avg: 500, flag: 'M' } : n(h < 12 ? 90 : 130),
  a21005: n(1.3),
  a05024: n(h >= 11 && h <= 18 ? 90 : 40),
});
/** 临淄大化站: SO2 20, NO2 60, PM10 200, PM2.5 160 but only in hours 00…18 (19 hours: no valid 24-h mean), CO 0.9, O3 30. */
const linzi = (h: number): Hour => ({
  a21026: n(20),
  a21004: n(60),
  a34002: n(200),
  ...(h <= 18 ? { a34004: n(160) } : {}),
  a21005: n(0.9),
  a05024: n(30),
});

describe('AQI from ambient readings over MQTT (HJ 633 / HJ 663)', () => {
  let t: TestApp;
  let logger: MqttClient;
  let officer: ApiSession;
  const db = `air_${Date.now()}`;
  const get = async (query: string) => {
    const res = await officer.call<AqiResponse>('GET', `/api/air/aqi?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ MQTT_URL: broker.url(), INFLUX_URL: inject('influxUrl'), INFLUX_DB: db }, { now: () => NOW });
    officer = await t.signIn('officer');
    logger = await mqtt.connectAsync(broker.url(), { clientId: `aqs-${Date.now()}` });
    for (let h = 0; h < 24; h++) {
      for (const [mn, hour] of [
        [PARK, park(h)],
        [LINZI, linzi(h)],
      ] as const) {
        const msg: LoggerMessage = { cn: '2061', ts: DAY + h * H, factors: hour };
        await logger.publishAsync(dataTopic(mn), JSON.stringify(msg), { qos: 1 });
      }
    }
    // Stored when the last hour of both stations reads back.
    await eventually(async () => {
      const { rows } = await get('scope=station&interval=day&from=2026-12-01&to=2026-12-01');
      const complete = (mn: string) => rows.find((r) => r.id === mn)?.pollutants.co_24h?.count === 24;
      return complete(PARK) && complete(LINZI) ? true : undefined;
    }, 'the day stored');
  });
  afterAll(async () => {
    await logger?.endAsync();
    await t?.stop();
  });

  it('station day: 24-h means, O3 maxima, IAQI, AQI, primary pollutant, validity', async () => {
    const body = await get('scope=station&interval=day&from=2026-12-01&to=2026-12-01');
    expect(body).toMatchObject({ scope: 'station', interval: 'day', from: '2026-12-01', to: '2026-12-01' });
    expect(body.rows.map((r) => r.id).sort()).toEqual([PARK, LINZI, '370300AQS000000000001003'].sort());
    const parkRow = body.rows.find((r) => r.id === PARK) as AqiRow;
    // By hand (IAQI = ΔI/ΔBP × (C − BPlo) + Ilo, carried up):
    //   SO2 24-h 12 → 50 × 12/50 = 12
    //   NO2 (12 × 30 + 12 × 50)/24 = 40 → 50
    //   PM10 140 → 50 + 50 × 90/100 = 95
    //   PM2.5 22 valid hours: (10 × 90 + 12 × 130)/22 = 111.8 → 112 → 100 + 50 × 37/40 = 146.25 → 147
    //   CO 1.3 mg/m³ → 50 × 1.3/2 = 32.5 → 33
    //   O3 daily max 1-h 90 → 50 × 90/160 = 28.1 → 29; max 8-h (11…18) 90 → 50 × 90/100 = 45
    //   AQI 147 (PM2.5), 轻度污染
    expect(parkRow).toMatchObject({
      scope: 'station',
      name: '人民公园站',
      district: '张店区',
      time: DAY,
      label: '2026-12-01',
      aqi: 147,
      primary: ['pm25_24h'],
      level: { level: 3, zh: '轻度污染', en: 'Lightly polluted', colour: '#FF7E00' },
      complete: true,
      stations: 1,
    });
    expect(parkRow.pollutants).toEqual({
      so2_24h: { value: 12, iaqi: 12, valid: true, count: 24 },
      no2_24h: { value: 40, iaqi: 50, valid: true, count: 24 },
      pm10_24h: { value: 140, iaqi: 95, valid: true, count: 24 },
      pm25_24h: { value: 112, iaqi: 147, valid: true, count: 22 },
      co_24h: { value: 1.3, iaqi: 33, valid: true, count: 24 },
      o3_1h: { value: 90, iaqi: 29, valid: true, count: 24 },
      o3_8h: { value: 90, iaqi: 45, valid: true, count: 17 },
    });
    // 临淄大化站: PM2.5 has 19 hours (not valid); PM10 200 → 100 + 50 × 50/100 = 125 is the AQI.
    const linziRow = body.rows.find((r) => r.id === LINZI) as AqiRow;
    expect(linziRow).toMatchObject({ aqi: 125, primary: ['pm10_24h'], complete: false, district: '临淄区' });
    expect(linziRow.pollutants.pm25_24h).toEqual({ value: 160, iaqi: null, valid: false, count: 19 });
    expect(body.rows.find((r) => r.name === '周村东站')).toMatchObject({ aqi: null, level: null, primary: [], complete: false });
  });

  it('city day: each pollutant averaged over the valid stations first, then IAQI (not the mean of the AQIs)', async () => {
    const body = await get('scope=city&interval=day&from=2026-12-01&to=2026-12-01');
    expect(body.rows).toHaveLength(1);
    const city = body.rows[0] as AqiRow;
    // SO2 (12 + 20)/2 = 16 → 16; NO2 (40 + 60)/2 = 50 → 50 + 50 × 10/40 = 62.5 → 63; PM10 (140 + 200)/2 = 170
    // → 100 + 50 × 20/100 = 110; PM2.5 only 人民公园站 valid: 112 → 147; CO (1.3 + 0.9)/2 = 1.1 → 27.5 → 28;
    // O3 1-h (90 + 30)/2 = 60 → 18.75 → 19; O3 8-h (90 + 30)/2 = 60 → 30. AQI 147 (the stations' AQIs average 136).
    expect(city).toMatchObject({
      scope: 'city',
      id: 'city',
      district: null,
      aqi: 147,
      primary: ['pm25_24h'],
      level: { level: 3 },
      stations: 3,
    });
    expect(city.pollutants).toEqual({
      so2_24h: { value: 16, iaqi: 16, valid: true, count: 2 },
      no2_24h: { value: 50, iaqi: 63, valid: true, count: 2 },
      pm10_24h: { value: 170, iaqi: 110, valid: true, count: 2 },
      pm25_24h: { value: 112, iaqi: 147, valid: true, count: 1 },
      co_24h: { value: 1.1, iaqi: 28, valid: true, count: 2 },
      o3_1h: { value: 60, iaqi: 19, valid: true, count: 2 },
      o3_8h: { value: 60, iaqi: 30, valid: true, count: 2 },
    });
  });

  it('district day and station hours', async () => {
    const district = await get('scope=district&interval=day&from=2026-12-01&to=2026-12-01&district=临淄区');
    expect(district.rows).toHaveLength(1);
    expect(district.rows[0]).toMatchObject({ id: '临淄区', name: '临淄区', aqi: 125, primary: ['pm10_24h'], stations: 1 });

    const hours = await get('scope=station&interval=hour&from=2026-12-01&to=2026-12-01');
    const parkHours = hours.rows.filter((r) => r.id === PARK);
    expect(parkHours).toHaveLength(24);
    // 14:00: SO2 12 → 4; NO2 50 → 25; PM10 140 (24-h table) → 95; PM2.5 130 (24-h table) → 150 + 50 × 15/35
    // = 171.4 → 172; CO 1.3 → 50 × 1.3/5 = 13; O3 90 → 29. AQI 172, 中度污染.
    const h14 = parkHours.find((r) => r.time === DAY + 14 * H) as AqiRow;
    expect(h14).toMatchObject({ label: '2026-12-01 14:00', aqi: 172, primary: ['pm25_1h'], level: { level: 4, zh: '中度污染' } });
    expect(h14.pollutants).toEqual({
      so2_1h: { value: 12, iaqi: 4, valid: true, count: 1 },
      no2_1h: { value: 50, iaqi: 25, valid: true, count: 1 },
      pm10_1h: { value: 140, iaqi: 95, valid: true, count: 1 },
      pm25_1h: { value: 130, iaqi: 172, valid: true, count: 1 },
      co_1h: { value: 1.3, iaqi: 13, valid: true, count: 1 },
      o3_1h: { value: 90, iaqi: 29, valid: true, count: 1 },
    });
    // 03:00: PM2.5 flagged M → not valid; the AQI is PM10's 95.
    expect(parkHours.find((r) => r.time === DAY + 3 * H)).toMatchObject({ aqi: 95, primary: ['pm10_1h'], complete: false });
  });

  it('refuses a bad query', async () => {
    for (const q of [
      'scope=county',
      'interval=week',
      'from=2026-12-02&to=2026-12-01',
      'scope=city&district=临淄区',
      'from=2026-13-01',
      'x=1',
    ]) {
      expect({ q, status: (await officer.call('GET', `/api/air/aqi?${q}`)).status }).toEqual({ q, status: 400 });
    }
    expect((await officer.call('GET', '/api/air/aqi?interval=hour&from=2026-10-01&to=2026-12-01')).status).toBe(400);
  });

  it('is for staff only', async () => {
    expect((await (await t.signIn('ozone')).call('GET', '/api/air/aqi')).status).toBe(200);
    expect((await (await t.signIn('zichuan-cement')).call('GET', '/api/air/aqi')).status).toBe(403);
  });
});
