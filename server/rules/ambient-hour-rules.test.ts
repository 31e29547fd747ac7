import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { HourSeries } from '../domain/aqi-records';
import { DEFAULT_RULE_PARAMS, type RuleParams } from '../domain/rule-pack';
import {
  cityMeans,
  hotspotThreshold,
  isAboveMean,
  judgeHotspot,
  judgeOffScale,
  judgeOzone8h,
  nearbySources,
  type NearbyCandidate,
} from './ambient-hour-rules';
import { T0, HOUR } from './test-kit';

const MN = '370300AQS000000000001001';
const hours = (values: readonly (number | undefined)[], first = T0): Map<number, number> =>
  new Map(values.flatMap((v, i) => (v === undefined ? [] : [[first + i * HOUR, v] as [number, number]])));
const hotspot = (over: Partial<RuleParams['hotspot']> = {}): RuleParams['hotspot'] => ({ ...DEFAULT_RULE_PARAMS.hotspot, ...over });

describe('hotspot margin: above the city mean by minAbove and by minAbovePct (null: not used)', () => {
  it.each([
    // value, city mean, minAbove, minAbovePct, above?, threshold
    [100, 70, 20, 30, true, 91], // +30 ≥ 20 and +42.9 % ≥ 30 %; threshold max(70 + 20, 70 × 1.3) = 91
    [90, 70, 20, 30, false, 91], // +20, but +28.6 % < 30 %
    [91, 70, 20, 30, true, 91], // exactly on the threshold
    [30, 10, 20, 30, true, 30], // +20 ≥ 20, +200 %; threshold max(30, 13) = 30
    [29, 10, 20, 30, false, 30],
    [80, 70, null, 10, true, 77], // only the relative margin: +14.3 % ≥ 10 %
    [80, 70, 15, null, false, 85], // only the absolute margin: +10 < 15
    [70, 70, 0, 0, false, 70], // equal is not above
    [5, 0, null, 50, true, 0], // a city mean of 0: any value above it is above by any %
  ] as const)('%s vs %s (≥ +%s, ≥ +%s %%) → %s, threshold %s', (v, m, minAbove, minAbovePct, above, threshold) => {
    const p = hotspot({ minAbove, minAbovePct });
    expect(isAboveMean(v, m, p)).toBe(above);
    expect(hotspotThreshold(m, p)).toBeCloseTo(threshold, 9);
  });
});

describe('city mean of an hour: over the stations valid that hour', () => {
  it('pollutant: the mean of the rounded hour means; AQI: the city AQI from the mean concentrations (HJ 663)', () => {
    const a: HourSeries = { pm25: hours([150.4, 40]) };
    const b: HourSeries = { pm25: hours([60, undefined]) };
    const c: HourSeries = { pm25: hours([60.6, 80]) };
    // hour 0: (150 + 60 + 61) / 3 = 90.33 → 90; hour 1: (40 + 80) / 2 = 60 (b not valid)
    expect([...cityMeans([a, b, c], 'pm25', [T0, T0 + HOUR])]).toEqual([
      [T0, 90],
      [T0 + HOUR, 60],
    ]);
    // AQI of PM2.5 90 on the 24-h table: 100 + 50 × 15/40 = 118.75 → 119 (not the mean of the stations' AQIs)
    expect(cityMeans([a, b, c], 'aqi', [T0]).get(T0)).toBe(119);
  });
});

describe('hotspot over consecutive hours (pm25, ≥ +20 and ≥ +30 %, 3 hours)', () => {
  const p = hotspot({ index: 'pm25', minAbove: 20, minAbovePct: 30, hours: 3 });
  const others: HourSeries[] = [{ pm25: hours([60, 60, 60, 60]) }, { pm25: hours([60, 60, 60, 60]) }];
  const judge = (a: readonly (number | undefined)[], hour: number): Finding[] => {
    const station: HourSeries = { pm25: hours(a) };
    const means = cityMeans([station, ...others], 'pm25', [T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    return judgeHotspot({ mn: MN, series: station, cityMeans: means, hour, params: p, nearby: [] });
  };

  it('raised on the third hour in a row above the mean, with the hours as evidence', () => {
    // city mean (150 + 60 + 60) / 3 = 90 each hour; 150 is +60 and +66.7 %: above; threshold max(110, 117) = 117
    expect(judge([150, 150, 150, 150], T0 + HOUR)).toEqual([]); // two hours: not yet, and not cleared either
    const [f] = judge([150, 150, 150, 150], T0 + 2 * HOUR);
    expect(f).toEqual({
      type: 'exceeded',
      mn: MN,
      factor: 'a34004',
      rule: 'hotspot',
      severity: 'warning',
      value: 150,
      limit: 117,
      unit: 'µg/m³',
      ts: T0 + 2 * HOUR,
      evidence: {
        windowStart: T0,
        windowEnd: T0 + 3 * HOUR,
        consecutiveHours: 3,
        cityMean: 90,
        abovePct: 66.7,
        windFrom: null,
        radiusKm: 5,
        hours: [
          { hour: T0, value: 150, cityMean: 90 },
          { hour: T0 + HOUR, value: 150, cityMean: 90 },
          { hour: T0 + 2 * HOUR, value: 150, cityMean: 90 },
        ],
        nearby: [],
      },
    });
    // the fourth hour: still above, run of 4
    expect(judge([150, 150, 150, 150], T0 + 3 * HOUR)[0]).toMatchObject({ evidence: { consecutiveHours: 4, windowStart: T0 } });
  });

  it('cleared by an hour not above the mean; a new run must last 3 hours again', () => {
    // hour 2: 90 vs (90 + 60 + 60)/3 = 70: +20 but +28.6 % → not above → normal
    expect(judge([150, 150, 90, 150], T0 + 2 * HOUR)).toEqual([
      { type: 'normal', mn: MN, factor: 'a34004', rule: 'hotspot', value: 90, ts: T0 + 2 * HOUR },
    ]);
    expect(judge([150, 150, 90, 150], T0 + 3 * HOUR)).toEqual([]); // above again, a run of 1
  });

  it('an hour without a valid value breaks the run and judges nothing', () => {
    expect(judge([150, undefined, 150, 150], T0 + HOUR)).toEqual([]);
    expect(judge([150, undefined, 150, 150], T0 + 3 * HOUR)).toEqual([]); // run of 2
  });
});

describe('sources near a station (station at 0°, 0°; radius 5 km)', () => {
  const src = (mn: string, lat: number, lon: number): NearbyCandidate => ({ mn, name: `源${mn}`, enterprise: `企业${mn}`, lat, lon });
  const sources = [
    src('E', 0, 0.01), // east 1.11195 km
    src('S', -0.02, 0), // south 2.2239 km
    src('N', 0.03, 0), // north 3.33585 km
    src('W', 0, -0.05), // west 5.55975 km: outside
    src('NE', 0.01, 0.01), // 2 × 6371 × asin(√(sin²(0.005°)(1 + cos 0.01°))) = 1.57254 km at 45°
  ];
  const at = { lat: 0, lon: 0 };

  it('wind from the south (180°, sector 90°): the upwind source first, then the nearest', () => {
    expect(nearbySources(at, 180, sources, hotspot({ radiusKm: 5, upwindSectorDeg: 90 }))).toEqual([
      { mn: 'S', name: '源S', enterprise: '企业S', km: 2.22, bearing: 180, upwind: true },
      { mn: 'E', name: '源E', enterprise: '企业E', km: 1.11, bearing: 90, upwind: false },
      { mn: 'NE', name: '源NE', enterprise: '企业NE', km: 1.57, bearing: 45, upwind: false },
      { mn: 'N', name: '源N', enterprise: '企业N', km: 3.34, bearing: 0, upwind: false },
    ]);
  });

  it('no wind sent: by distance, upwind unknown; at most maxSources', () => {
    expect(nearbySources(at, null, sources, hotspot({ radiusKm: 5, maxSources: 3 }))).toEqual([
      { mn: 'E', name: '源E', enterprise: '企业E', km: 1.11, bearing: 90, upwind: null },
      { mn: 'NE', name: '源NE', enterprise: '企业NE', km: 1.57, bearing: 45, upwind: null },
      { mn: 'S', name: '源S', enterprise: '企业S', km: 2.22, bearing: 180, upwind: null },
    ]);
  });

  it('wind from 30° with a 40° sector: only the source at 45° is upwind', () => {
    const got = nearbySources(at, 30, sources, hotspot({ radiusKm: 4, upwindSectorDeg: 40 }));
    expect(got.map((s) => [s.mn, s.upwind])).toEqual([
      ['NE', true],
      ['E', false],
      ['S', false],
      ['N', false],
    ]);
  });
});

describe('爆表: an hourly index above the top of its HJ 633 table', () => {
  const judge = (series: HourSeries, hour = T0) => judgeOffScale(MN, series, hour, DEFAULT_RULE_PARAMS.aqiOffScale);
  it.each([
    // pollutant, hour mean, off the table?, value, top, unit
    ['pm25', 501, true, 501, 500, 'µg/m³'],
    ['pm25', 500, false, 500, 500, 'µg/m³'],
    ['pm10', 600.4, false, 600, 600, 'µg/m³'], // rounded to 600 first
    ['pm10', 601, true, 601, 600, 'µg/m³'],
    ['co', 150.04, false, 150, 150, 'mg/m³'],
    ['co', 150.1, true, 150.1, 150, 'mg/m³'],
    ['o3', 1201, true, 1201, 1200, 'µg/m³'],
    ['no2', 3841, true, 3841, 3840, 'µg/m³'],
    ['so2', 500, false, 500, 800, 'µg/m³'], // the 1-h table: never off it below 800
  ] as const)('%s %s → %s', (p, v, over, value, top, unit) => {
    const [f] = judge({ [p]: hours([v]) });
    if (over) expect(f).toMatchObject({ type: 'exceeded', rule: 'aqi-off-scale', severity: 'critical', value, limit: top, unit, ts: T0 });
    else expect(f).toMatchObject({ type: 'normal', rule: 'aqi-off-scale', value });
  });

  it('SO2 above 800 µg/m³: judged on the 24-h moving mean (table top 2620), nothing without 20 valid hours', () => {
    const day = hours(Array.from({ length: 24 }, () => 2700));
    expect(judge({ so2: day }, T0 + 23 * HOUR)).toEqual([
      expect.objectContaining({ factor: 'a21026', value: 2700, limit: 2620, evidence: expect.objectContaining({ validHours: 24 }) }),
    ]);
    expect(judge({ so2: hours([900]) })).toEqual([]);
  });

  it('one finding per pollutant with a value that hour; switched off: none', () => {
    const series: HourSeries = { pm25: hours([520]), pm10: hours([100]), o3: hours([undefined]) };
    expect(judge(series).map((f) => [f.factor, f.type])).toEqual([
      ['a34002', 'normal'],
      ['a34004', 'exceeded'],
    ]);
    expect(judgeOffScale(MN, series, T0, { enabled: false, severity: 'critical' })).toEqual([]);
  });
});

describe('ozone 8-h moving mean against 160 µg/m³', () => {
  const end = T0 + 7 * HOUR;
  const judge = (values: readonly (number | undefined)[]) => judgeOzone8h(MN, { o3: hours(values) }, end, DEFAULT_RULE_PARAMS.ozone8h);
  it.each([
    // (150 + 7 × 170) / 8 = 167.5 → 168 (GB/T 8170, half to even) > 160
    ['above', [150, 170, 170, 170, 170, 170, 170, 170], 'exceeded', 168, 8],
    ['at the limit is not above', [160, 160, 160, 160, 160, 160, 160, 160], 'normal', 160, 8],
    ['6 valid hours are enough', [undefined, undefined, 170, 170, 170, 170, 170, 170], 'exceeded', 170, 6],
  ] as const)('%s', (_n, values, type, value, validHours) => {
    const [f] = judge(values);
    expect(f).toMatchObject({ type, mn: MN, factor: 'a05024', rule: 'ozone-8h', value, ts: end });
    if (type === 'exceeded') {
      expect(f).toMatchObject({
        severity: 'major',
        limit: 160,
        unit: 'µg/m³',
        evidence: { windowStart: T0, windowEnd: end + HOUR, validHours },
      });
    }
  });
  it('fewer than 6 valid hours, or switched off: no judgement', () => {
    expect(judge([undefined, undefined, undefined, 170, 170, 170, 170, 170])).toEqual([]);
    expect(judgeOzone8h(MN, { o3: hours(Array(8).fill(300)) }, end, { enabled: false, limit: 160, severity: 'major' })).toEqual([]);
  });
});
