import { describe, expect, it } from 'vitest';
import { factorUnitOf } from './catalog';
import { AIR_FACTORS } from './aqi-records';

describe('a factor’s unit as a source kind sends it (DOMAIN §2)', () => {
  it('SO2 is mg/m³ at a stack and µg/m³ at an ambient station; CO mg/m³ at both', () => {
    expect(factorUnitOf('a21026', 'cems')).toBe('mg/m³');
    expect(factorUnitOf('a21026')).toBe('mg/m³');
    expect(factorUnitOf('a21026', 'ambient')).toBe('µg/m³');
    expect(factorUnitOf('a21005', 'ambient')).toBe('mg/m³');
    expect(factorUnitOf('zz999', 'ambient')).toBe('');
  });

  it('an ambient station’s six AQI pollutants: µg/m³ except CO', () => {
    expect(Object.fromEntries(Object.entries(AIR_FACTORS).map(([p, code]) => [p, factorUnitOf(code, 'ambient')]))).toEqual({
      so2: 'µg/m³',
      no2: 'µg/m³',
      pm10: 'µg/m³',
      pm25: 'µg/m³',
      co: 'mg/m³',
      o3: 'µg/m³',
    });
  });
});
