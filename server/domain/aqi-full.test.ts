/** The six-pollutant AQI of HJ 633-2012 with HJ 663-2013 validity and rounding (issue 17). */
import { describe, expect, it } from 'vitest';
import { AQI_BREAKPOINTS, AQI_POLLUTANTS, IAQI_STEPS, iaqi, type AqiPollutant } from './aqi';
import { dailyAqi, hourlyAqi, scopeDailyAqi, scopeHourSeries, so2HourIaqi, type AirPollutant, type HourSeries } from './aqi-records';

const H = 3_600_000;
const DAY = Date.parse('2026-12-10T00:00:00+08:00');

describe('IAQI of every index, one value inside each breakpoint segment (hand-computed)', () => {
  // IAQI = (Ihi − Ilo)/(BPhi − BPlo) × (C − BPlo) + Ilo, carried up to a whole number.
  it.each<[AqiPollutant, number, number | null]>([
    // SO2 1-h 0/150/500/650/800 (IAQI 0…200; above 800 the 24-h IAQI is used)
    ['so2_1h', 75, 25],
    ['so2_1h', 325, 75],
    ['so2_1h', 575, 125],
    ['so2_1h', 725, 175],
    ['so2_1h', 801, null],
    // SO2 24-h 0/50/150/475/800/1600/2100/2620
    ['so2_24h', 25, 25],
    ['so2_24h', 100, 75],
    ['so2_24h', 312, 125], // 124.92 → 125
    ['so2_24h', 637, 175], // 174.92 → 175
    ['so2_24h', 1200, 250],
    ['so2_24h', 1850, 350],
    ['so2_24h', 2360, 450],
    ['so2_24h', 2621, null],
    // NO2 1-h 0/100/200/700/1200/2340/3090/3840
    ['no2_1h', 50, 25],
    ['no2_1h', 150, 75],
    ['no2_1h', 450, 125],
    ['no2_1h', 950, 175],
    ['no2_1h', 1770, 250],
    ['no2_1h', 2715, 350],
    ['no2_1h', 3465, 450],
    ['no2_1h', 3841, null],
    // NO2 24-h 0/40/80/180/280/565/750/940
    ['no2_24h', 20, 25],
    ['no2_24h', 60, 75],
    ['no2_24h', 130, 125],
    ['no2_24h', 230, 175],
    ['no2_24h', 422, 250], // 249.82 → 250
    ['no2_24h', 657, 350], // 349.73 → 350
    ['no2_24h', 845, 450],
    ['no2_24h', 941, null],
    // PM10 24-h 0/50/150/250/350/420/500/600 (the hourly PM10 uses the same table)
    ['pm10_24h', 25, 25],
    ['pm10_24h', 100, 75],
    ['pm10_24h', 200, 125],
    ['pm10_24h', 300, 175],
    ['pm10_24h', 385, 250],
    ['pm10_24h', 460, 350],
    ['pm10_24h', 550, 450],
    ['pm10_24h', 601, null],
    ['pm10_1h', 200, 125],
    // PM2.5 24-h 0/35/75/115/150/250/350/500 (and hourly)
    ['pm25_24h', 17, 25], // 24.29 → 25
    ['pm25_24h', 55, 75],
    ['pm25_24h', 95, 125],
    ['pm25_24h', 132, 175], // 174.29 → 175
    ['pm25_24h', 200, 250],
    ['pm25_24h', 300, 350],
    ['pm25_24h', 425, 450],
    ['pm25_24h', 501, null],
    ['pm25_1h', 76, 102], // 101.25 → 102
    // CO 1-h (mg/m³) 0/5/10/35/60/90/120/150
    ['co_1h', 2.5, 25],
    ['co_1h', 7.5, 75],
    ['co_1h', 22.5, 125],
    ['co_1h', 47.5, 175],
    ['co_1h', 75, 250],
    ['co_1h', 105, 350],
    ['co_1h', 135, 450],
    ['co_1h', 150.1, null],
    // CO 24-h (mg/m³) 0/2/4/14/24/36/48/60
    ['co_24h', 1, 25],
    ['co_24h', 3, 75],
    ['co_24h', 9, 125],
    ['co_24h', 19, 175],
    ['co_24h', 30, 250],
    ['co_24h', 42, 350],
    ['co_24h', 54, 450],
    ['co_24h', 60.1, null],
    // O3 1-h 0/160/200/300/400/800/1000/1200; 8-h 0/100/160/215/265/800
    ['o3_1h', 80, 25],
    ['o3_1h', 180, 75],
    ['o3_1h', 250, 125],
    ['o3_1h', 350, 175],
    ['o3_1h', 600, 250],
    ['o3_1h', 900, 350],
    ['o3_1h', 1100, 450],
    ['o3_1h', 1201, null],
    ['o3_8h', 50, 25],
    ['o3_8h', 130, 75],
    ['o3_8h', 240, 175],
    ['o3_8h', 532, 250], // 249.9 → 250
  ])('%s %s → %s', (index, c, expected) => {
    expect(iaqi(index, c)).toBe(expected);
  });

  it.each(AQI_POLLUTANTS.map((p) => [p] as const))('%s: every breakpoint gives exactly its IAQI step', (index) => {
    const bp = AQI_BREAKPOINTS[index];
    bp.forEach((c, i) => expect(iaqi(index, c)).toBe(IAQI_STEPS[i]));
  });

  it.each<[AqiPollutant, number, number]>([
    // HJ 663 precision (GB/T 8170, half to even) before the IAQI
    ['co_24h', 4.04, 100], // 4.0; unrounded 100.2 would carry to 101
    ['co_24h', 4.05, 100], // 4.0 (half to even)
    ['co_24h', 4.15, 101], // 4.2 → 100.5 → 101
    ['co_1h', 5.05, 50], // 5.0
    ['co_1h', 5.15, 52], // 5.2 → 50 + 50 × 0.2/5 = 52
    ['pm25_24h', 75.4, 100], // 75
    ['pm25_24h', 75.5, 102], // 76 (half to the even digit) → 100 + 50 × 1/40 = 101.25 → 102
    ['pm25_24h', 74.5, 99], // 74 (half to even) → 50 + 50 × 39/40 = 98.75 → 99
  ])('rounding: %s %s → %s', (index, c, expected) => {
    expect(iaqi(index, c)).toBe(expected);
  });

  it('negative and non-finite concentrations have no IAQI', () => {
    expect(iaqi('so2_24h', -1)).toBeNull();
    expect(iaqi('pm10_1h', Number.NaN)).toBeNull();
  });

  it('SO2 1-h above 800 µg/m³ reports the 24-h IAQI (HJ 633 table 1 note 2)', () => {
    expect(so2HourIaqi(800, null)).toBe(200);
    expect(so2HourIaqi(900, 133)).toBe(92); // 50 + 50 × 83/100 = 91.5 → 92
    expect(so2HourIaqi(900, null)).toBeNull();
  });
});

const flat = (value: number | ((h: number) => number | undefined), from = DAY, hours = 24): Map<number, number> => {
  const m = new Map<number, number>();
  for (let h = 0; h < hours; h++) {
    const v = typeof value === 'number' ? value : value(h);
    if (v !== undefined) m.set(from + h * H, v);
  }
  return m;
};

describe('hourly AQI (实时报)', () => {
  const hour = DAY + 9 * H;
  const one = (values: Partial<Record<AirPollutant, number>>): HourSeries =>
    Object.fromEntries(Object.entries(values).map(([p, v]) => [p, new Map([[hour, v]])]));

  it('rates the six 1-h means, PM on the 24-h table; AQI, level, primary pollutant', () => {
    const r = hourlyAqi(one({ so2: 10, no2: 45, pm10: 120, pm25: 90, co: 1.2, o3: 60 }), hour);
    // SO2 3.33 → 4, NO2 22.5 → 23, PM10 50 + 35 = 85, PM2.5 100 + 18.75 → 119, CO 12, O3 18.75 → 19.
    expect(r.indices).toEqual({
      so2_1h: { value: 10, iaqi: 4, valid: true, count: 1 },
      no2_1h: { value: 45, iaqi: 23, valid: true, count: 1 },
      pm10_1h: { value: 120, iaqi: 85, valid: true, count: 1 },
      pm25_1h: { value: 90, iaqi: 119, valid: true, count: 1 },
      co_1h: { value: 1.2, iaqi: 12, valid: true, count: 1 },
      o3_1h: { value: 60, iaqi: 19, valid: true, count: 1 },
    });
    expect(r).toMatchObject({ aqi: 119, primary: ['pm25_1h'], complete: true, level: { level: 3, zh: '轻度污染', colour: '#FF7E00' } });
  });

  it('lists every pollutant tied for the AQI; none at 50 or below', () => {
    expect(hourlyAqi(one({ no2: 200, pm10: 150, o3: 20 }), hour)).toMatchObject({ aqi: 100, primary: ['no2_1h', 'pm10_1h'] });
    expect(hourlyAqi(one({ no2: 100, pm10: 50 }), hour)).toMatchObject({ aqi: 50, primary: [], level: { level: 1, zh: '优' } });
  });

  it('a missing hour is not valid: the AQI is over the rest and the record is not complete', () => {
    const r = hourlyAqi(one({ pm25: 40 }), hour);
    expect(r).toMatchObject({ aqi: 57, primary: ['pm25_1h'], complete: false, level: { level: 2 } });
    expect(r.indices.so2_1h).toEqual({ value: null, iaqi: null, valid: false, count: 0 });
    expect(hourlyAqi({}, hour)).toMatchObject({ aqi: null, level: null, primary: [] });
  });

  it('SO2 above 800 takes the 24-h moving mean ending with the hour, when it has ≥ 20 hours', () => {
    const so2 = flat((h) => (h === 23 ? 900 : 100));
    // (23 × 100 + 900) / 24 = 133.3 → 133 → IAQI 92.
    expect(hourlyAqi({ so2 }, DAY + 23 * H).indices.so2_1h).toEqual({ value: 900, iaqi: 92, valid: true, count: 1 });
    const short = flat((h) => (h === 23 ? 900 : h >= 10 ? 100 : undefined));
    expect(hourlyAqi({ so2: short }, DAY + 23 * H).indices.so2_1h?.iaqi).toBeNull();
  });
});

describe('daily AQI (日报) with HJ 663 validity', () => {
  const o3Day = flat((h) => (h >= 10 && h < 18 ? 180 : 100));
  const full: HourSeries = { so2: flat(20), no2: flat(40), pm10: flat(150), pm25: flat(115), co: flat(1), o3: o3Day };

  it('24-h means, O3 daily maximum 1-h and 8-h; AQI, level, primary pollutant', () => {
    const r = dailyAqi(full, DAY);
    expect(r.indices).toEqual({
      so2_24h: { value: 20, iaqi: 20, valid: true, count: 24 },
      no2_24h: { value: 40, iaqi: 50, valid: true, count: 24 },
      pm10_24h: { value: 150, iaqi: 100, valid: true, count: 24 },
      pm25_24h: { value: 115, iaqi: 150, valid: true, count: 24 },
      co_24h: { value: 1, iaqi: 25, valid: true, count: 24 },
      o3_1h: { value: 180, iaqi: 75, valid: true, count: 24 },
      o3_8h: { value: 180, iaqi: 119, valid: true, count: 17 }, // 100 + 50 × 20/55 = 118.2 → 119
    });
    expect(r).toMatchObject({ aqi: 150, primary: ['pm25_24h'], complete: true, level: { level: 3 } });
  });

  it('a 24-h mean needs 20 valid hours: 19 give a value but no IAQI', () => {
    const pm25 = flat((h) => (h < 19 ? 250 : undefined));
    const r19 = dailyAqi({ ...full, pm25 }, DAY);
    expect(r19.indices.pm25_24h).toEqual({ value: 250, iaqi: null, valid: false, count: 19 });
    expect(r19).toMatchObject({ aqi: 119, primary: ['o3_8h'], complete: false });
    const r20 = dailyAqi({ ...full, pm25: flat((h) => (h < 20 ? 250 : undefined)) }, DAY);
    expect(r20.indices.pm25_24h).toEqual({ value: 250, iaqi: 300, valid: true, count: 20 });
    expect(r20).toMatchObject({ aqi: 300, primary: ['pm25_24h'], level: { level: 5, zh: '重度污染', colour: '#99004C' } });
  });

  it('the 24-h mean is of hour values rounded first, and rounded itself', () => {
    // Hour values 75.4 round to 75: mean 75 → IAQI 100 (unrounded 75.4 would carry to 101); CO 4.04 → 4.0 → 100.
    const r = dailyAqi({ pm25: flat(75.4), co: flat(4.04) }, DAY);
    expect(r.indices.pm25_24h).toMatchObject({ value: 75, iaqi: 100 });
    expect(r.indices.co_24h).toMatchObject({ value: 4, iaqi: 100 });
    // 12 hours at 34.5 (→ 34) and 12 at 35.6 (→ 36): mean 35 → 50.
    expect(dailyAqi({ pm25: flat((h) => (h < 12 ? 34.5 : 35.6)) }, DAY).indices.pm25_24h).toMatchObject({ value: 35, iaqi: 50 });
  });

  it('ties of the daily AQI list all their pollutants', () => {
    const r = dailyAqi({ ...full, pm10: flat(150), pm25: flat(75), o3: flat(60) }, DAY);
    expect(r).toMatchObject({ aqi: 100, primary: ['pm10_24h', 'pm25_24h'] });
  });

  it('the daily maximum 8-h needs 14 valid 8-h means unless it is an exceedance', () => {
    // Hours 00…17 only: windows ending 07…19 (the last two with 7 and 6 valid hours) → 13 valid 8-h means.
    const lowO3 = flat((h) => (h < 18 ? 120 : undefined));
    expect(dailyAqi({ o3: lowO3 }, DAY).indices.o3_8h).toEqual({ value: 120, iaqi: null, valid: false, count: 13 });
    const highO3 = flat((h) => (h < 18 ? 200 : undefined));
    // An exceedance (> 160) counts anyway: 100 + 50 × 40/55 = 136.4 → 137.
    expect(dailyAqi({ o3: highO3 }, DAY).indices.o3_8h).toEqual({ value: 200, iaqi: 137, valid: true, count: 13 });
  });

  it('O3 8-h above 800 µg/m³ reports the daily maximum 1-h IAQI', () => {
    const o3 = flat((h) => (h >= 8 && h < 18 ? 900 : 100));
    const r = dailyAqi({ o3 }, DAY);
    expect(r.indices.o3_1h).toMatchObject({ value: 900, iaqi: 350 });
    expect(r.indices.o3_8h).toMatchObject({ value: 900, iaqi: 350, valid: true });
    expect(r).toMatchObject({ aqi: 350, primary: ['o3_1h', 'o3_8h'], level: { level: 6, zh: '严重污染', colour: '#7E0023' } });
  });

  it('a day not over yet counts only its hours so far', () => {
    const r = dailyAqi(full, DAY, DAY + 10 * H + 30 * 60_000);
    expect(r.indices.pm25_24h).toEqual({ value: 115, iaqi: null, valid: false, count: 10 });
  });
});

describe('scopes: concentrations averaged over valid stations first', () => {
  it('district/city daily: the mean of the valid stations’ values, then IAQI (not the mean of AQIs)', () => {
    const a = dailyAqi({ pm25: flat(100), so2: flat(30) }, DAY); // PM2.5 IAQI 132
    const b = dailyAqi({ pm25: flat(150), so2: flat((h) => (h < 10 ? 50 : undefined)) }, DAY); // PM2.5 IAQI 200; SO2 not valid
    expect([a.aqi, b.aqi]).toEqual([132, 200]); // their mean would be 166
    const city = scopeDailyAqi([a, b]);
    // PM2.5 (100 + 150)/2 = 125 → 150 + 50 × 10/35 = 164.3 → 165; SO2 from A only.
    expect(city.indices.pm25_24h).toEqual({ value: 125, iaqi: 165, valid: true, count: 2 });
    expect(city.indices.so2_24h).toEqual({ value: 30, iaqi: 30, valid: true, count: 1 });
    expect(city.indices.no2_24h).toEqual({ value: null, iaqi: null, valid: false, count: 0 });
    expect(city).toMatchObject({ aqi: 165, primary: ['pm25_24h'], complete: false, level: { level: 4, zh: '中度污染' } });
  });

  it('district/city hourly: each hour the mean of the stations valid in it, rounded', () => {
    const h0 = DAY;
    const s = scopeHourSeries([
      { no2: new Map([[h0, 50.4]]), pm25: new Map([[h0, 80]]) },
      { no2: new Map([[h0, 51]]), pm25: new Map([[h0 + H, 90]]) },
    ]);
    expect([...(s.no2 ?? [])]).toEqual([[h0, 50]]); // 50 and 51 → 50.5 → 50 (half to even)
    expect([...(s.pm25 ?? [])]).toEqual([
      [h0, 80],
      [h0 + H, 90],
    ]);
    expect(hourlyAqi(s, h0)).toMatchObject({ aqi: 107, primary: ['pm25_1h'] }); // 100 + 50 × 5/40 = 106.25 → 107
  });
});
