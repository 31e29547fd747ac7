import { describe, expect, it } from 'vitest';
import {
  aqiLevel,
  aqiOf,
  dailyMax8h,
  eightHourMean,
  iaqi,
  isO3ExceedanceDay,
  isValidDailyMax8h,
  o3EightHourIaqi,
  roundGbt8170,
  type AqiPollutant,
} from './aqi';

const H = 3_600_000;

describe('IAQI (HJ 633-2012, DOMAIN §7 breakpoints)', () => {
  it.each<[AqiPollutant, number, number | null]>([
    // O3 8-h moving mean: 0/100/160/215/265/800 at IAQI 0/50/100/150/200/300
    ['o3_8h', 0, 0],
    ['o3_8h', 100, 50],
    ['o3_8h', 160, 100],
    ['o3_8h', 161, 101], // 100.9 carried up
    ['o3_8h', 187.5, 126], // rounded to 188 (GB/T 8170: 7 is odd, carry) → 125.45 → 126
    ['o3_8h', 186.5, 124], // rounded to 186 (6 is even) → 123.6 → 124
    ['o3_8h', 160.4, 100], // 160 µg/m³ after rounding (was 100.36 → 101)
    ['o3_8h', 160.5, 100], // half to even: 160
    ['o3_8h', 160.6, 101], // 161
    ['o3_8h', 800.4, 300], // 800 after rounding: still in the 8-h table
    ['o3_8h', 215, 150],
    ['o3_8h', 240, 175],
    ['o3_8h', 265, 200],
    ['o3_8h', 800, 300],
    ['o3_8h', 801, null], // beyond the table: the 1-h value decides (o3EightHourIaqi)
    // O3 1-h: 0/160/200/300/400/800/1000/1200
    ['o3_1h', 160, 50],
    ['o3_1h', 180, 75],
    ['o3_1h', 200, 100],
    ['o3_1h', 300, 150],
    ['o3_1h', 400, 200],
    ['o3_1h', 800, 300],
    ['o3_1h', 1200, 500],
    ['o3_1h', 1201, null],
    ['o3_1h', 200.4, 100], // 200 after rounding (was 100.1 → 101)
    ['o3_1h', 1200.4, 500],
    // NO2 1-h: 0/100/200/700/1200/2340/3090/3840
    ['no2_1h', 100, 50],
    ['no2_1h', 200, 100],
    ['no2_1h', 450, 125],
    ['no2_1h', 3840, 500],
    // PM2.5 24-h: 0/35/75/115/150/250/350/500
    ['pm25_24h', 35, 50],
    ['pm25_24h', 55, 75],
    ['pm25_24h', 75, 100],
    ['pm25_24h', 150, 200],
    ['pm25_24h', 500, 500],
    ['pm25_24h', 35.4, 50], // 35 (was 50.5 → 51)
    ['no2_1h', 100.49, 50],
    ['pm25_24h', -1, null],
    ['pm25_24h', Number.NaN, null],
  ])('%s at %d µg/m³ → IAQI %s', (p, c, expected) => {
    expect(iaqi(p, c)).toBe(expected);
  });

  it.each<[number, number | null, number | null]>([
    [215, null, 150],
    [900, 1000, 400], // above 800 the 1-h IAQI counts
    [900, null, null],
  ])('O3 8-h %d with 1-h %s → %s', (c8, c1, expected) => {
    expect(o3EightHourIaqi(c8, c1)).toBe(expected);
  });
});

describe('AQI and levels', () => {
  it.each<[number, number, string, string, string]>([
    [0, 1, '优', 'Excellent', '#00E400'],
    [50, 1, '优', 'Excellent', '#00E400'],
    [51, 2, '良', 'Good', '#FFFF00'],
    [100, 2, '良', 'Good', '#FFFF00'],
    [101, 3, '轻度污染', 'Lightly polluted', '#FF7E00'],
    [150, 3, '轻度污染', 'Lightly polluted', '#FF7E00'],
    [151, 4, '中度污染', 'Moderately polluted', '#FF0000'],
    [200, 4, '中度污染', 'Moderately polluted', '#FF0000'],
    [201, 5, '重度污染', 'Heavily polluted', '#99004C'],
    [300, 5, '重度污染', 'Heavily polluted', '#99004C'],
    [301, 6, '严重污染', 'Severely polluted', '#7E0023'],
    [500, 6, '严重污染', 'Severely polluted', '#7E0023'],
  ])('AQI %d → level %d %s %s %s', (aqi, level, zh, en, colour) => {
    expect(aqiLevel(aqi)).toMatchObject({ level, zh, en, colour });
  });

  it('AQI is the largest IAQI; the primary pollutant is named above 50 only', () => {
    expect(aqiOf({ o3_1h: 75, o3_8h: 150, no2_1h: null })).toEqual({ aqi: 150, primary: ['o3_8h'] });
    expect(aqiOf({ o3_1h: 40, o3_8h: 30 })).toEqual({ aqi: 40, primary: [] });
    expect(aqiOf({ o3_1h: 120, pm25_24h: 120 })).toEqual({ aqi: 120, primary: ['o3_1h', 'pm25_24h'] });
    expect(aqiOf({ o3_8h: null })).toBeNull();
  });
});

describe('8-h moving mean and daily maximum', () => {
  const day = Date.UTC(2026, 6, 1) - 8 * H; // 2026-07-01 00:00 China time
  const hours = (values: (number | null)[], start = day) =>
    new Map(values.flatMap((v, i) => (v === null ? [] : [[start + i * H, v] as [number, number]])));

  it.each<[string, (number | null)[], number | null]>([
    ['8 valid hours', [100, 100, 100, 100, 200, 200, 200, 200], 150],
    ['6 valid hours are enough', [null, null, 120, 120, 120, 180, 180, 180], 150],
    ['5 valid hours are not', [null, null, null, 120, 120, 120, 180, 180], null],
  ])('%s', (_what, values, expected) => {
    expect(eightHourMean(hours(values), day + 7 * H)?.value ?? null).toBe(expected);
  });

  it('the daily maximum 8-h mean takes the windows 00–08 … 16–24 of the local day', () => {
    // 24 hours: low at night, a peak of 240 at 14–16h.
    const day24 = [60, 55, 50, 50, 50, 55, 70, 90, 110, 130, 160, 190, 210, 230, 240, 240, 230, 200, 170, 140, 110, 90, 80, 70];
    const max = dailyMax8h(hours(day24), day);
    // Best window 11:00–19:00: 190 210 230 240 240 230 200 170 → 1710 / 8 = 213.75
    expect(max).toEqual({ endHour: day + 18 * H, value: 214, validHours: 8, validMeans: 17 }); // 213.75 rounded
    expect(isO3ExceedanceDay(max?.value ?? 0)).toBe(true);
    // Up to 15:00 only the windows ending by 14:00 count (the hour 14–15 is over at 15:00).
    expect(dailyMax8h(hours(day24), day, day + 15 * H)?.endHour).toBe(day + 14 * H);
    // A window reaching into the next day does not count.
    const lateOnly = hours([...Array(20).fill(null), 300, 300, 300, 300, 300, 300, 300, 300]);
    expect(dailyMax8h(lateOnly, day)).toBeNull();
  });

  it.each([
    [160, false],
    [160.1, false], // 160 µg/m³ at HJ 663's precision: not above 160
    [160.5, false], // half to even: 160
    [160.51, true],
    [161, true],
    [100, false],
  ])('daily max 8-h %d → exceedance %s', (v, expected) => {
    expect(isO3ExceedanceDay(v)).toBe(expected);
  });

  it.each<[number, number, number]>([
    [0.5, 0, 0],
    [1.5, 0, 2],
    [2.5, 0, 2],
    [160.5, 0, 160],
    [161.5, 0, 162],
    [160.49, 0, 160],
    [1.25, 1, 1.2], // CO mg/m³ to one decimal
    [1.35, 1, 1.4],
    [1.251, 1, 1.3],
    [10.190499999999998, 0, 10],
  ])('GB/T 8170 rounding %d to %d decimals → %d', (v, d, expected) => {
    expect(roundGbt8170(v, d)).toBe(expected);
  });

  it('the 8-h mean uses rounded hour values and is rounded itself (HJ 663)', () => {
    // 8 hours of 160.4: each 160 → mean 160, not 160.4; 4 × 160.5 (→ 160) and 4 × 161.5 (→ 162) → 161.
    expect(eightHourMean(hours(Array(8).fill(160.4)), day + 7 * H)?.value).toBe(160);
    expect(eightHourMean(hours([160.5, 160.5, 160.5, 160.5, 161.5, 161.5, 161.5, 161.5]), day + 7 * H)?.value).toBe(161);
  });

  // HJ 663: the day's maximum 8-h mean needs 14 valid 8-h means of the 17 windows, unless it is an exceedance.
  const validDay = (validHoursFromStart: number, value: number) =>
    hours([...Array(validHoursFromStart).fill(value), ...Array(24 - validHoursFromStart).fill(null)]);
  it.each<[string, Map<number, number>, number | null, number, boolean]>([
    // 24 valid hours: all 17 windows valid.
    ['17 valid 8-h means', validDay(24, 120), 120, 17, true],
    // Hours 0–20 valid: windows ending 07–20 have ≥ 6 of 8 hours up to the one ending 22 (hours 15–22: 6 valid) → 16.
    ['16 valid 8-h means', validDay(21, 120), 120, 16, true],
    // Hours 0–18: windows ending 07–20 (hours 13–20: 6 valid) → 14.
    ['14 valid 8-h means', validDay(19, 120), 120, 14, true],
    // Hours 0–17: 13 valid means, no exceedance → not valid.
    ['13 valid 8-h means', validDay(18, 120), 120, 13, false],
    // Hours 0–17 at 200: 13 valid means, but an exceedance → valid anyway.
    ['13 valid 8-h means, exceedance', validDay(18, 200), 200, 13, true],
  ])('daily max 8-h validity: %s', (_what, hs, value, validMeans, valid) => {
    const m = dailyMax8h(hs, day);
    expect(m?.value ?? null).toBe(value);
    expect(m?.validMeans).toBe(validMeans);
    expect(m ? isValidDailyMax8h(m) : false).toBe(valid);
  });
});
