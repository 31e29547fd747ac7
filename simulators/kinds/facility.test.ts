import { describe, expect, it } from 'vitest';
import { catalog } from '../../server/domain/catalog';
import { registrySchema, type Facility, type Registry } from '../../server/domain/registry';
import { createRng } from '../random';
import { chinaTime } from '../test-registry';
import { cateringSample, conditionSample } from './site';
import { facilityRole, facilitySignals, ROLE_SIGNALS, type FacilityCondition } from './facility';

const LOGGER = 'TESTGKJK0000000000000001';
const KITCHEN = 'TESTCYYY0000000000000001';
const at = { lat: 36.8, lon: 118.0, intervalS: 60 };
const on = (channel: string) => ({ enterpriseId: 'plant', mn: LOGGER, channel });

const registry: Registry = registrySchema.parse({
  enterprises: [
    { id: 'plant', name: '测试化工', district: '张店区' },
    { id: 'kitchen', name: '测试酒家', district: '张店区' },
  ],
  sources: [
    { mn: LOGGER, enterpriseId: 'plant', name: '工况', kind: 'condition', ...at },
    { mn: KITCHEN, enterpriseId: 'kitchen', name: '油烟', kind: 'catering', ...at },
  ],
  facilities: [
    { id: 'line', kind: 'production-line', name: '合成车间', runningKw: 80, ...on('01') },
    { id: 'rto', kind: 'treatment', name: 'RTO', technology: 'RTO', serves: 'line', runningKw: 40, minTempC: 760, ...on('02') },
    { id: 'scr', kind: 'treatment', name: 'SCR', technology: 'SCR', serves: 'line', ratedKw: 160, runningKw: 30, ...on('03') },
    { id: 'fgd', kind: 'treatment', name: '脱硫', technology: '石灰石-石膏湿法脱硫', serves: 'line', runningKw: 600, ...on('04') },
    { id: 'fgr', kind: 'treatment', name: 'FGR', technology: 'FGR烟气再循环', serves: 'line', ...on('05') },
    { id: 'flare', kind: 'treatment', name: '火炬', technology: '地面火炬', minTempC: 760, ...on('06') },
    { id: 'ac', kind: 'treatment', name: '活性炭', technology: '冷凝+活性炭吸附', adsorbentDays: 90, runningKw: 5, ...on('07') },
    {
      id: 'fan',
      enterpriseId: 'kitchen',
      kind: 'production-line',
      name: '排烟风机',
      mn: KITCHEN,
      channel: '01',
      ratedKw: 5.5,
      runningKw: 1,
    },
    {
      id: 'purifier',
      enterpriseId: 'kitchen',
      kind: 'treatment',
      name: '净化器',
      technology: '静电式油烟净化',
      serves: 'fan',
      mn: KITCHEN,
      channel: '02',
      ratedKw: 1.2,
      runningKw: 0.3,
    },
  ],
});
const facilities = registry.facilities as Facility[];
const logger = registry.sources[0]!;
const kitchen = registry.sources[1]!;
const NOON = chinaTime('2026-07-01T12:00');
const NIGHT = chinaTime('2026-07-01T03:00');
const f = (id: string): Facility => facilities.find((x) => x.id === id)!;

/** Samples over `minutes` at 1/min with these conditions; values of each code. */
function series(conditions: Record<string, FacilityCondition[]>, start = NOON, minutes = 10, source = logger): Record<string, number[]> {
  const rng = createRng(7);
  const out: Record<string, number[]> = {};
  for (let i = 0; i < minutes; i += 1) {
    const sample = facilitySignals(source, facilities, start + i * 60_000, rng, new Map(Object.entries(conditions)), facilities);
    for (const [code, v] of Object.entries(sample)) (out[code] ??= []).push(v.rtd);
  }
  return out;
}
const min = (xs: number[] | undefined): number => Math.min(...(xs ?? [NaN]));
const max = (xs: number[] | undefined): number => Math.max(...(xs ?? [NaN]));

describe('facility roles (technology → signals)', () => {
  it.each([
    ['line', 'line', ['grs', 'gkw']],
    ['rto', 'combustion', ['grs', 'gkw', 'gia', 'gtc']],
    ['scr', 'reductant', ['grs', 'gkw', 'gia', 'gqr']],
    ['fgd', 'desulfurization', ['grs', 'gkw', 'gia', 'gbv', 'gsl']],
    ['fgr', 'fgr', ['grs', 'gvp']],
    ['flare', 'flare', ['gqf', 'gqa', 'gpf', 'gtc']],
    ['ac', 'adsorber', ['grs', 'gkw', 'gia', 'gdp']],
    ['purifier', 'purifier', ['grs', 'gkw']],
  ])('%s is a %s sending %j on its channel, every code in the catalog', (id, role, families) => {
    const facility = f(id);
    expect(facilityRole(facility)).toBe(role);
    expect(ROLE_SIGNALS[facilityRole(facility)]).toEqual(families);
    const source = facility.mn === KITCHEN ? kitchen : logger;
    const codes = Object.keys(facilitySignals(source, [facility], NOON, createRng(1), new Map(), facilities));
    expect(codes.sort()).toEqual(families.map((fam) => `${fam}${facility.channel}`).sort());
    for (const code of codes) expect(catalog.has(code), code).toBe(true);
  });

  it('a zeolite rotor + RCO burns; SDS + SCR doses reductant; no technology is a plain treatment', () => {
    expect(facilityRole({ kind: 'treatment', technology: '沸石转轮+RCO' })).toBe('combustion');
    expect(facilityRole({ kind: 'treatment', technology: 'SDS+SCR' })).toBe('reductant');
    expect(facilityRole({ kind: 'treatment' })).toBe('treatment');
    expect(facilityRole({ kind: 'power-meter' })).toBe('meter');
  });

  it('sends only the facilities that name this logger', () => {
    const codes = Object.keys(facilitySignals(kitchen, facilities, NOON, createRng(1), new Map(), facilities));
    expect(codes.sort()).toEqual(['gkw01', 'gkw02', 'grs01', 'grs02']);
  });
});

describe('normal operation: above the thresholds', () => {
  it('the line and its treatment run above runningKw, the RTO above minTempC, reductant and FGR flowing, bypass closed, flare assisted', () => {
    const s = series({});
    expect(min(s.gkw01)).toBeGreaterThan(80);
    expect(s.grs01?.every((v) => v === 1)).toBe(true);
    expect(min(s.gkw02)).toBeGreaterThan(40);
    expect(min(s.gtc02)).toBeGreaterThan(760);
    expect(max(s.gtc02)).toBeLessThan(900);
    expect(min(s.gqr03)).toBeGreaterThan(100);
    expect(min(s.gvp05)).toBeGreaterThan(10);
    expect(max(s.gbv04)).toBe(0);
    expect(max(s.gsl04)).toBe(0);
    expect(min(s.gqa06)).toBeGreaterThan(0.3 * min(s.gqf06));
    expect(min(s.gtc06)).toBeGreaterThan(760);
    expect(min(s.gpf06)).toBe(1);
    expect(min(s.gdp07)).toBeGreaterThan(500);
  });

  it('reductant follows the line: less at night than at the day peak', () => {
    const day = series({}, NOON);
    const night = series({}, NIGHT);
    expect(max(night.gqr03)).toBeLessThan(min(day.gqr03));
  });
});

describe('upsets', () => {
  it('treatment off: the RTO below runningKw with no current while the line stays above its runningKw', () => {
    const s = series({ rto: ['off'] });
    expect(max(s.gkw02)).toBeLessThan(40);
    expect(max(s.gia02)).toBe(0);
    expect(max(s.grs02)).toBe(0);
    expect(min(s.gkw01)).toBeGreaterThan(80);
    expect(min(s.grs01)).toBe(1);
  });

  it('a line stopped: below runningKw and state stopped; its SCR doses no reductant', () => {
    const s = series({ line: ['off'] });
    expect(max(s.gkw01)).toBeLessThan(80);
    expect(max(s.grs01)).toBe(0);
    expect(max(s.gqr03)).toBeGreaterThan(0); // the SCR runs, the line load is 0 …
    expect(max(s.gqr03)).toBeLessThan(min(series({}).gqr03)); // … so it doses less than under load
  });

  it('RTO too cold: the fan runs (above runningKw) at the minimum temperature minus ~90 °C', () => {
    const s = series({ rto: ['cold'] });
    expect(min(s.gkw02)).toBeGreaterThan(40);
    expect(max(s.gtc02)).toBeLessThan(760);
    expect(min(s.gtc02)).toBeGreaterThan(600);
  });

  it('reductant stopped: flow 0 while the SCR and the line run', () => {
    const s = series({ scr: ['reductant-off'] });
    expect(max(s.gqr03)).toBe(0);
    expect(min(s.gkw03)).toBeGreaterThan(30);
    expect(min(s.gkw01)).toBeGreaterThan(80);
  });

  it('FGR closed: valve 0 % while the boiler fires', () => {
    const s = series({ fgr: ['valve-closed'] });
    expect(max(s.gvp05)).toBe(0);
    expect(min(s.grs05)).toBe(1);
    expect(min(s.gkw01)).toBeGreaterThan(80);
  });

  it('bypass open: valve open and seal broken', () => {
    const s = series({ fgd: ['bypass-open'] });
    expect(min(s.gbv04)).toBe(1);
    expect(min(s.gsl04)).toBe(1);
  });

  it('flare upset: a relief load with no assist gas and the flame under 760 °C, pilot lit', () => {
    const s = series({ flare: ['flare-upset'] });
    expect(min(s.gqf06)).toBeGreaterThan(1000);
    expect(max(s.gqa06)).toBe(0);
    expect(max(s.gtc06)).toBeLessThan(760);
    expect(min(s.gpf06)).toBe(1);
  });

  it('catering: the fan runs at meals with the purifier; at night both are off', () => {
    const noon = series({}, NOON, 10, kitchen);
    expect(min(noon.gkw01)).toBeGreaterThan(1);
    expect(min(noon.gkw02)).toBeGreaterThan(0.3);
    const night = series({}, NIGHT, 10, kitchen);
    expect(max(night.gkw01)).toBeLessThan(1);
    expect(max(night.gkw02)).toBeLessThan(0.3);
  });

  it('catering purifier off with the fan on (even at night): fan above, purifier below its runningKw, fumes above 2.5 mg/m³', () => {
    const conditions = { fan: ['on'], purifier: ['off'] } as Record<string, FacilityCondition[]>;
    const s = series(conditions, NIGHT, 10, kitchen);
    expect(min(s.gkw01)).toBeGreaterThan(1);
    expect(max(s.gkw02)).toBeLessThan(0.3);
    const rng = createRng(3);
    const fumes = Array.from(
      { length: 10 },
      (_, i) =>
        cateringSample(kitchen, NIGHT + i * 60_000, rng, { facilities, conditions: new Map(Object.entries(conditions)) }).afm01!.rtd,
    );
    expect(min(fumes)).toBeGreaterThan(2.5);
    const normal = Array.from(
      { length: 10 },
      (_, i) => cateringSample(kitchen, NOON + i * 60_000, rng, { facilities, conditions: new Map() }).afm01!.rtd,
    );
    expect(max(normal)).toBeLessThan(1);
  });
});

describe('a condition logger', () => {
  it('sends nothing of its own when facilities name it, channel 01 power otherwise', () => {
    expect(conditionSample(logger, NOON, createRng(1), { facilities, conditions: new Map() })).toEqual({});
    expect(Object.keys(conditionSample(logger, NOON, createRng(1)))).toEqual(['grs01', 'gkw01']);
  });
});
