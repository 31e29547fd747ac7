/**
 * The daily and transmission reports read from a packed day equal those built from the rollup
 * hours (report-builder.ts), to the last bit, on random days: hours missing, factors in some hours
 * only, inputs without valid ones or without converted ones, every flag, limits with max and min,
 * converted or not, and any validity counts. Also: a packed day reads back as the hours it packed.
 */
import { describe, expect, it } from 'vitest';
import { DATA_FLAGS } from '../domain/reading';
import type { Limit, Source } from '../domain/registry';
import { DAY_MS, HOUR_MS } from '../domain/local-time';
import type { FactorHourStats, SourceHour } from '../storage/hourly-rollup';
import { DayView, EMPTY_DAY, mergeDay, packDay, unpackDay } from '../storage/rollup-day';
import { dailyFromDay, transmissionFromDay } from './day-report';
import { buildDaily, buildTransmission, type ReportSubject } from './report-builder';

const DAY = Date.parse('2026-07-01T00:00:00+08:00');
const FACTORS = ['a21002', 'a21026', 'a34013', 'a19001', 'a01011', 'a24088', 'x_custom', 'a00000'];

/** mulberry32: a seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDay(seed: number) {
  const r = random(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const stats = (): FactorHourStats => {
    const n = int(3) === 0 ? 0 : int(70);
    const nValid = Math.min(n, int(3) === 0 ? n : int(n + 1));
    const nZs = int(3) === 0 ? 0 : Math.min(nValid, int(nValid + 1));
    const sum = nValid === 0 ? 0 : (r() - 0.2) * 1e4 * nValid;
    return { n, nValid, sum, nZs, sumZs: nZs === 0 ? 0 : sum * (1 + r()), flag: pick(DATA_FLAGS) };
  };
  const intervalS = pick([30, 60, 45, 3600]);
  const hours: SourceHour[] = [];
  for (let i = 0; i < 24; i++) {
    if (int(5) === 0) continue;
    const factors: Record<string, FactorHourStats> = {};
    for (const f of FACTORS) if (int(4) !== 0) factors[f] = stats();
    const intervals = int(121);
    hours.push({
      mn: 'M',
      hour: DAY + i * HOUR_MS,
      basis: pick(['2011', '2051', null] as const),
      records: int(200),
      validRecords: int(200),
      intervalS,
      intervals,
      validIntervals: int(intervals + 1),
      factors,
    });
  }
  const limit = (): Limit => {
    const v = r() * 1e4 * pick([0, 1]);
    const form = int(3);
    return { ...(form !== 1 ? { max: v } : {}), ...(form !== 0 ? { min: v / 3 } : {}), o2Converted: int(2) === 0, severity: 'major' };
  };
  const limits: Record<string, Limit> = {};
  for (const f of FACTORS) if (int(2) === 0) limits[f] = limit();
  const source = { mn: 'M', name: 'S', enterpriseId: 'E', kind: pick(['cems', 'vocs', 'ammonia'] as const), intervalS } as Source;
  const subject: ReportSubject = { source, enterpriseName: 'E', limits, minValidMinutes: int(61), minValidHours: int(25) };
  const now = int(4) === 0 ? DAY + int(24) * HOUR_MS + int(HOUR_MS) : DAY + DAY_MS + HOUR_MS;
  return { hours, subject, now };
}

const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);
const view = new DayView();

describe('reports from a packed day', () => {
  it.each(SEEDS)('random day %i: the daily report equals the one built from the hours', (seed) => {
    const { hours, subject, now } = randomDay(seed);
    const alerts = { exceedance: 2 };
    const expected = buildDaily(subject, new Map(hours.map((h) => [h.hour, h])), DAY, '2026-07-01', alerts, now);
    const actual = dailyFromDay(subject, view.read(DAY, packDay(DAY, hours)), '2026-07-01', alerts, now);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    expect(actual).toEqual(expected);
  });

  it.each(SEEDS.slice(0, 50))('random day %i: the transmission row equals the one built from the hours', (seed) => {
    const { hours, subject, now } = randomDay(seed);
    const expected = buildTransmission(subject, new Map(hours.map((h) => [h.hour, h])), DAY, '2026-07-01', now);
    expect(transmissionFromDay(subject, view.readHours(DAY, packDay(DAY, hours)), '2026-07-01', now)).toEqual(expected);
  });

  it.each(SEEDS.slice(0, 50))('random day %i: packed, it reads back as the hours it packed', (seed) => {
    const { hours } = randomDay(seed);
    expect(unpackDay('M', DAY, packDay(DAY, [...hours].reverse()))).toEqual(hours);
  });

  it('an empty day reports no factor and nothing received', () => {
    const { subject } = randomDay(1);
    const r = dailyFromDay(subject, view.read(DAY, EMPTY_DAY), '2026-07-01', {}, DAY + DAY_MS);
    expect(r.factors).toEqual([]);
    expect(r.transmission.received).toBe(0);
  });

  it('merges replace an hour, add one and remove one; nothing left is no row', () => {
    const { hours } = randomDay(7);
    const [first, second] = hours as [SourceHour, SourceHour];
    const changed = { ...first, records: first.records + 1 };
    const extra = { ...first, hour: DAY + 23 * HOUR_MS };
    const merged = mergeDay('M', DAY, packDay(DAY, [first, second]), [changed, extra], new Set([second.hour]));
    expect(unpackDay('M', DAY, merged as Uint8Array)).toEqual([changed, extra]);
    expect(mergeDay('M', DAY, packDay(DAY, [first]), [], new Set([first.hour]))).toBeNull();
  });

  it('keeps any number exactly: fractions, negatives, -0, huge counts', () => {
    const h: SourceHour = {
      mn: 'M',
      hour: DAY,
      basis: '2051',
      records: 2 ** 40,
      validRecords: 0,
      intervalS: 30,
      intervals: 1.5,
      validIntervals: -1,
      factors: { a21002: { n: 1e6, nValid: 3, sum: -0, nZs: 0, sumZs: 0.1 + 0.2, flag: 'B' } },
    };
    const [back] = unpackDay('M', DAY, packDay(DAY, [h]));
    expect(back).toEqual(h);
    expect(Object.is(back?.factors.a21002?.sum, -0)).toBe(true);
  });

  it('refuses an hour outside its day', () => {
    const { hours } = randomDay(3);
    expect(() => packDay(DAY + DAY_MS, hours)).toThrow(/not in the day/);
  });
});
