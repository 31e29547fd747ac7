import { describe, expect, it } from 'vitest';
import { catalog, factorUnitOf } from './catalog';
import { facilitiesByLogger, signalOf } from './facility-signals';
import { registrySchema, type Facility } from './registry';
import { equipmentStateCode, parseSignalCode, signalCode, SIGNAL } from './working-condition';

describe('working-condition signal codes', () => {
  it.each([
    ['gkw03', 'gkw', '03'],
    ['grs01', 'grs', '01'],
    ['gtc99', 'gtc', '99'],
  ])('%s is family %s on channel %s', (code, family, channel) => {
    expect(parseSignalCode(code)).toMatchObject({ family: { family }, channel });
  });

  it.each(['gkw00', 'gkw1', 'gkw001', 'gxx01', 'a21002', 'GKW01'])('%s is not a signal code', (code) => {
    expect(parseSignalCode(code)).toBeUndefined();
  });

  it('HJ 212 CN 2021 equipment keys map to the running state of the same channel', () => {
    expect(equipmentStateCode('SB3')).toBe('grs03');
    expect(equipmentStateCode('SB12')).toBe('grs12');
    expect(equipmentStateCode('SB0')).toBeUndefined();
    expect(equipmentStateCode('SB100')).toBeUndefined();
    expect(equipmentStateCode('a21002')).toBeUndefined();
  });

  it('the catalog knows every channel of every family, with its unit', () => {
    expect(catalog.has('gkw07')).toBe(true);
    expect(catalog.get('gkw07')).toMatchObject({ zh: '用电功率', unit: 'kW', couUnit: 'kWh' });
    expect(factorUnitOf('gtc02')).toBe('°C');
    expect(catalog.has('gkw00')).toBe(false);
    expect(catalog.all().some((f) => f.code.startsWith('g'))).toBe(false);
  });
});

describe('facilities with signals in the registry', () => {
  const base = {
    enterprises: [
      { id: 'e1', name: '甲', district: '双塔区' },
      { id: 'e2', name: '乙', district: '双塔区' },
    ],
    sources: [
      { mn: 'MN00000000000001', enterpriseId: 'e1', name: '工况', kind: 'condition', lat: 41.5, lon: 120.4, pw: 'x' },
      { mn: 'MN00000000000002', enterpriseId: 'e2', name: '排口', kind: 'cems', lat: 41.5, lon: 120.4, pw: 'x' },
    ],
  };
  const facility = (f: Partial<Facility>): Facility => ({ id: 'f1', enterpriseId: 'e1', kind: 'treatment', name: 'RTO', ...f });
  const issues = (facilities: Facility[]): string[] => {
    const r = registrySchema.safeParse({ ...base, facilities });
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it('accepts a facility on a channel of its own enterprise’s logger', () => {
    expect(issues([facility({ mn: 'MN00000000000001', channel: '02' })])).toEqual([]);
  });

  it('refuses a logger of another enterprise, an unknown one, a shared channel, or half of the pair', () => {
    expect(issues([facility({ mn: 'MN00000000000002', channel: '02' })])).toEqual(['source "MN00000000000002" belongs to enterprise "e2"']);
    expect(issues([facility({ mn: 'MN00000000000009', channel: '02' })])).toEqual(['unknown MN "MN00000000000009"']);
    expect(
      issues([facility({ mn: 'MN00000000000001', channel: '02' }), facility({ id: 'f2', mn: 'MN00000000000001', channel: '02' })]),
    ).toEqual(['channel MN00000000000001/02 is facility "f1"\'s']);
    expect(issues([facility({ mn: 'MN00000000000001' })])).toEqual(['a facility with signals names both its logger (mn) and its channel']);
    expect(issues([facility({ channel: '00' })]).length).toBeGreaterThan(0);
  });

  it('finds a facility’s signal and the facilities of a logger', () => {
    const f = facility({ mn: 'MN00000000000001', channel: '02' });
    expect(signalOf(f, SIGNAL.power)).toEqual({ mn: 'MN00000000000001', code: 'gkw02' });
    expect(signalOf(facility({}), SIGNAL.power)).toBeUndefined();
    expect(
      facilitiesByLogger([f, facility({ id: 'f3' })])
        .get('MN00000000000001')
        ?.get('02'),
    ).toBe(f);
    expect(signalCode(SIGNAL.combustionTemp, '05')).toBe('gtc05');
  });
});
