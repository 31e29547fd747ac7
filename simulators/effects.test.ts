import { describe, expect, it } from 'vitest';
import { convertToReferenceO2 } from '../server/domain/o2-conversion';
import { applyEffects } from './effects';
import { KIND_GENERATORS } from './kinds/index';
import { createRng } from './random';
import type { Effect } from './scenarios';
import { chinaTime, testSource } from './test-registry';

const AT = chinaTime('2026-07-01T10:00');
const NH3 = testSource('TESTNH300000000000000001');
const SCR = testSource('TESTNH300000000000000002');
const BOILER = testSource('TESTCEMS0000000000000002');

function run(source: typeof NH3, effects: Effect[], stuck = new Map<string, number>(), seed = 1) {
  const rng = createRng(seed);
  return applyEffects(KIND_GENERATORS[source.kind](source, AT, rng), effects, { source, rng, stuck });
}

describe('scenario effects on a sample', () => {
  it('flags everything N without effects', () => {
    const out = run(NH3, []);
    expect(Object.values(out).every((v) => v.flag === 'N')).toBe(true);
  });

  it.each([
    ['default limit 8', NH3, 8],
    ['permit limit 2.5', SCR, 2.5],
  ])('exceedance puts a21001 above its limit (%s) by 15–50 %%', (_name, source, limit) => {
    for (let seed = 1; seed < 50; seed += 1) {
      const v = run(source, [{ type: 'exceedance', factor: 'a21001' }], new Map(), seed).a21001!;
      expect(v.rtd).toBeGreaterThan(limit * 1.14);
      expect(v.rtd).toBeLessThan(limit * 1.51);
      expect(v.flag).toBe('N');
    }
  });

  it('exceedance of a converted pollutant sets zs and a consistent measured rtd', () => {
    const out = run(BOILER, [{ type: 'exceedance', factor: 'a21002', value: 65 }]);
    expect(out.a21002!.zs).toBe(65);
    expect(convertToReferenceO2(out.a21002!.rtd!, out.a19001!.rtd!, 3.5)).toBeCloseTo(65, 1);
  });

  it('flatline keeps the first value while active and forgets it afterwards', () => {
    const stuck = new Map<string, number>();
    const first = run(NH3, [{ type: 'flatline', factor: 'a21001' }], stuck, 1).a21001!.rtd;
    for (let seed = 2; seed < 20; seed += 1) {
      expect(run(NH3, [{ type: 'flatline', factor: 'a21001' }], stuck, seed).a21001!.rtd).toBe(first);
    }
    run(NH3, [], stuck, 3);
    expect(stuck.size).toBe(0);
  });

  it('flatline with a value keeps zs consistent with the stuck rtd', () => {
    const out = run(BOILER, [{ type: 'flatline', factor: 'a21002', value: 20 }]);
    expect(out.a21002!.rtd).toBe(20);
    expect(out.a21002!.zs).toBeCloseTo(convertToReferenceO2(20, out.a19001!.rtd!, 3.5), 2);
  });

  it('maintenance flags every factor M, including one an exceedance forced', () => {
    const out = run(NH3, [
      { type: 'exceedance', factor: 'a21001' },
      { type: 'flag', flag: 'M' },
    ]);
    expect(Object.values(out).map((v) => v.flag)).toEqual(['M', 'M']);
  });
});
