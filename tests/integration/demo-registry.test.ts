/**
 * The shipped demo (config/registry.yaml on config/map/chaoyang.geo.json, loaded through the server's
 * own config loader): Chaoyang's seven districts, ≥ 40 enterprises and ≥ 80 sources of every kind, a
 * spread of industries, every new registry field in use, valid credit codes, its own credentials
 * per logger, and the bypass and flare sources the simulators feed — each source where it says it is.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { districtsAt } from '../../server/domain/city-map';
import { creditCodeIssue } from '../../server/domain/credit-code';
import { sourceDistrict } from '../../server/domain/registry';
import { SOURCE_KINDS } from '../../server/domain/source-kinds';
import { ROOT } from '../helpers/test-app';

const config = loadConfig({}, ROOT);
const { registry, cityMap } = config;
const DISTRICTS = ['双塔区', '龙城区', '北票市', '凌源市', '朝阳县', '建平县', '喀左县'];

describe('the Chaoyang demo registry', () => {
  it('has at least 40 enterprises and 80 sources, of every kind, in every district', () => {
    expect(registry.enterprises.length).toBeGreaterThanOrEqual(40);
    expect(registry.sources.length).toBeGreaterThanOrEqual(80);
    expect(new Set(registry.sources.map((s) => s.kind))).toEqual(new Set(SOURCE_KINDS));
    expect(new Set(registry.enterprises.map((e) => e.district))).toEqual(new Set(DISTRICTS));
    expect(cityMap.boundary.features.map((f) => f.properties.name).sort()).toEqual([...DISTRICTS].sort());
  });

  it.each(registry.sources.map((s) => [`${s.mn} ${s.name}`, s] as const))('%s lies in the district it is labelled with', (_n, s) => {
    expect(districtsAt(s.lon, s.lat, cityMap.boundary)).toEqual([sourceDistrict(s, registry.enterprises)]);
  });

  it("spans the plans' industries: power, heat, cement, steel, ferroalloy, coking, chemicals, pharma, coating, printing, waste, fuel", () => {
    const codes = new Set(registry.enterprises.map((e) => e.industry?.code));
    for (const c of [
      'D4411',
      'D4412',
      'D4430',
      'C3011',
      'C3120',
      'C3150',
      'C2521',
      'C2614',
      'C2710',
      'C2641',
      'C3670',
      'C2319',
      'D4417',
      'F5265',
      'G5941',
      'M7461',
    ])
      expect(codes, c).toContain(c);
    for (const e of registry.enterprises) expect(e.industry, e.id).toBeDefined();
  });

  it('gives every enterprise a valid unified social credit code (GB 32100 check characters) of its district', () => {
    const division: Record<string, string> = {
      双塔区: '211302',
      龙城区: '211303',
      朝阳县: '211321',
      建平县: '211322',
      喀左县: '211324',
      北票市: '211381',
      凌源市: '211382',
    };
    const codes = registry.enterprises.map((e) => e.creditCode ?? '');
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of registry.enterprises) {
      expect(creditCodeIssue(e.creditCode ?? ''), e.id).toBeUndefined();
      expect(e.creditCode?.slice(2, 8), e.id).toBe(division[e.district]);
    }
  });

  it('uses MN prefix 211300 and its own HJ 212 and MQTT password on every logger', () => {
    for (const s of registry.sources) expect(s.mn).toMatch(/^211300[A-Z0-9]{18}$/);
    const secrets = registry.sources.flatMap((s) => [s.pw, s.mqttPassword]);
    expect(secrets.every((p) => typeof p === 'string' && /^[A-Z2-9]{24}$/.test(p))).toBe(true);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('uses the richer model: key units, grades, parks, contacts, stacks, capacities, stations of every class, onboarding', () => {
    const ents = registry.enterprises;
    expect(ents.filter((e) => e.keyUnit).length).toBeGreaterThan(20);
    expect(new Set(ents.map((e) => e.grade))).toEqual(new Set(['A', 'B', 'C', 'non-graded', 'ungraded', undefined]));
    expect(new Set(ents.map((e) => e.park).filter(Boolean)).size).toBeGreaterThanOrEqual(5);
    expect(ents.every((e) => (e.contacts ?? []).length > 0)).toBe(true);
    const src = registry.sources;
    expect(src.filter((s) => s.stackHeightM !== undefined && s.capacity !== undefined).length).toBeGreaterThan(20);
    const classes = new Set(src.map((s) => s.stationClass).filter(Boolean));
    expect(classes).toEqual(new Set(['national', 'provincial', 'township', 'micro', 'roadside', 'park']));
    expect(new Set(src.map((s) => s.onboarding?.status).filter(Boolean))).toEqual(new Set(['obligated', 'installed', 'accepted']));
    const stations = src.filter((s) => s.kind === 'vapour');
    expect(stations.every((s) => s.nozzleCount !== undefined && s.annualFuelSalesT !== undefined)).toBe(true);
  });

  it('declares bypasses and flares, and removal-efficiency pairs', () => {
    expect(registry.sources.filter((s) => s.bypass?.seal === 'sealed' && s.kind === 'cems').length).toBeGreaterThanOrEqual(2);
    expect(registry.sources.filter((s) => s.flare === true && s.kind === 'vocs').length).toBeGreaterThanOrEqual(2);
    expect(registry.sources.filter((s) => s.inletMn !== undefined).length).toBeGreaterThanOrEqual(2);
  });

  it('has production lines, treatment facilities and power meters linked to outlets and to what they serve', () => {
    const facilities = registry.facilities ?? [];
    expect(new Set(facilities.map((f) => f.kind))).toEqual(new Set(['production-line', 'treatment', 'power-meter']));
    const meters = facilities.filter((f) => f.kind === 'power-meter');
    expect(meters.length).toBeGreaterThanOrEqual(4);
    for (const m of meters)
      expect(
        [m.serves, m.meterNo, m.ratedKw, m.runningKw].every((v) => v !== undefined),
        m.id,
      ).toBe(true);
    expect(facilities.filter((f) => f.kind === 'treatment').every((f) => (f.outletMns ?? []).length > 0)).toBe(true);
  });

  it('makes the demo accounts for a power plant and the cement works the demo alert is on', () => {
    expect(registry.enterprises.slice(0, 2).map((e) => e.id)).toEqual(['chaoyang-power', 'beipiao-cement']);
  });
});
