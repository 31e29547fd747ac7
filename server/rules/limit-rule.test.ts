import { describe, expect, it } from 'vitest';
import type { Reading } from '../domain/reading';
import { sourceSchema, type Limit } from '../domain/registry';
import { effectiveLimits } from '../domain/limit-pack';
import { comparedValue, evaluateLimits } from './limit-rule';

const source = sourceSchema.parse({
  mn: '370300NH3000000000000201',
  enterpriseId: 'e',
  name: 'n',
  kind: 'ammonia',
  lat: 36,
  lon: 118,
});
const cems = sourceSchema.parse({ ...source, mn: '370300CEMS00000000000101', kind: 'cems', o2Ref: 6 });
const nh3: Record<string, Limit> = { a21001: { max: 8, o2Converted: false, severity: 'major' } };
const nox: Limit = { max: 50, o2Converted: true, severity: 'major' };

const reading = (factors: Reading['factors'], cn: Reading['cn'] = '2011'): Reading => ({
  mn: source.mn,
  enterpriseId: 'e',
  kind: 'ammonia',
  cn,
  ts: 1_000,
  factors,
});

describe('limit rule', () => {
  it.each([
    ['8.5 mg/m³ exceeds 8', { a21001: { rtd: 8.5, flag: 'N' } }, 'exceeded'],
    ['7.5 mg/m³ is normal', { a21001: { rtd: 7.5, flag: 'N' } }, 'normal'],
    ['exactly 8 is within the limit', { a21001: { rtd: 8, flag: 'N' } }, 'normal'],
    ['a value flagged M (maintenance) is not judged', { a21001: { rtd: 20, flag: 'M' } }, null],
    ['a value flagged D (fault) is not judged', { a21001: { rtd: 20, flag: 'D' } }, null],
    ['a reading without the factor is not judged', { a19001: { rtd: 6, flag: 'N' } }, null],
  ] as const)('%s', (_name, factors, expected) => {
    const findings = evaluateLimits(reading(factors as Reading['factors']), source, nh3);
    expect(findings.map((f) => f.type)[0] ?? null).toBe(expected);
  });

  it('judges aggregates on their average', () => {
    const [f] = evaluateLimits(reading({ a21001: { avg: 9, max: 12, min: 6, flag: 'N' } }, '2061'), source, nh3);
    expect(f).toMatchObject({ type: 'exceeded', value: 9, limit: 8, unit: 'mg/m³' });
  });

  it.each([
    // DOMAIN §5: C × (21 − O2ref) / (21 − O2): 40 × 15 / 11 = 54.545…
    ['converted from measured O2', { a21002: { rtd: 40, flag: 'N' }, a19001: { rtd: 10, flag: 'N' } }, (40 * 15) / 11],
    ['the logger’s zs wins over computing', { a21002: { rtd: 40, zs: 45, flag: 'N' }, a19001: { rtd: 10, flag: 'N' } }, 45],
    ['O2 above the cap is capped at 19 %', { a21002: { rtd: 10, flag: 'N' }, a19001: { rtd: 20.5, flag: 'N' } }, (10 * 15) / 2],
    ['a cap of 20 % from the rule pack', { a21002: { rtd: 10, flag: 'N' }, a19001: { rtd: 20.5, flag: 'N' } }, (10 * 15) / 1, 20],
  ] as const)('O2 conversion: %s', (_n, factors, expected, cap?: number) => {
    const r = { ...reading(factors as Reading['factors']), mn: cems.mn, kind: 'cems' as const };
    expect(comparedValue(r, 'a21002', nox, cems.o2Ref, cap)?.value).toBeCloseTo(expected, 6);
  });

  // A limit on converted values is judged only on converted values (issue 12, domain 2).
  it.each([
    ['no O2 in the reading', { a21002: { rtd: 40, flag: 'N' } }],
    ['O2 flagged D', { a21002: { rtd: 40, flag: 'N' }, a19001: { rtd: 10, flag: 'D' } }],
    ['O2 flagged M', { a21002: { rtd: 40, flag: 'N' }, a19001: { rtd: 10, flag: 'M' } }],
  ] as const)('O2 conversion: %s → cannot be converted, nothing to judge (not the measured value)', (_n, factors) => {
    const r = { ...reading(factors as Reading['factors']), mn: cems.mn, kind: 'cems' as const };
    expect(comparedValue(r, 'a21002', nox, cems.o2Ref)).toBeUndefined();
    expect(evaluateLimits({ ...r, factors: { ...r.factors, a21002: { rtd: 400, flag: 'N' } } }, cems, { a21002: nox })).toEqual([]);
  });

  it.each([
    [
      'computed',
      { a21002: { rtd: 40, flag: 'N' }, a19001: { rtd: 10, flag: 'N' } },
      nox,
      { o2Converted: true, fromLogger: false, o2: 10, measured: 40 },
    ],
    ['the logger’s zs', { a21002: { rtd: 40, zs: 45, flag: 'N' } }, nox, { o2Converted: true, fromLogger: true, o2: null, measured: 40 }],
    [
      'a limit on measured values',
      { a21002: { rtd: 40, flag: 'N' } },
      { ...nox, o2Converted: false },
      { o2Converted: false, value: 40, measured: 40 },
    ],
  ] as const)('says what it compared: %s', (_n, factors, limit, expected) => {
    const r = { ...reading(factors as Reading['factors']), mn: cems.mn, kind: 'cems' as const };
    expect(comparedValue(r, 'a21002', limit, cems.o2Ref)).toMatchObject(expected);
  });

  it('a range limit flags values below min', () => {
    const [f] = evaluateLimits(reading({ avr01: { rtd: 0.9, flag: 'N' } }), source, {
      avr01: { min: 1, max: 1.2, o2Converted: false, severity: 'warning' },
    });
    expect(f).toMatchObject({ type: 'exceeded', limit: 1, severity: 'warning' });
  });

  it('source overrides beat the pack, and inlets are not judged', () => {
    const pack = { limits: { ammonia: { a21001: { max: 8, o2Converted: false, severity: 'major' as const } } } };
    const scr = { ...source, limits: { a21001: { max: 2.5, o2Converted: false, severity: 'critical' as const } } };
    expect(effectiveLimits(scr, pack).a21001).toMatchObject({ max: 2.5, severity: 'critical' });
    expect(effectiveLimits(source, pack).a21001?.max).toBe(8);
    expect(effectiveLimits({ ...source, position: 'inlet' }, pack)).toEqual({});
  });
});
