import { describe, expect, it } from 'vitest';
import { sourceSchema, type Source } from '../../server/domain/registry';
import { createRng } from '../random';
import { chinaTime } from '../test-registry';
import { cemsSample } from './cems';
import { vocsSample } from './vocs';

const source = (extra: Partial<Source>): Source =>
  sourceSchema.parse({ mn: 'TESTSAFE0000000000000001', enterpriseId: 'x', name: 'x', lat: 41.6, lon: 120.4, ...extra });

describe('safety devices the demo feeds', () => {
  it('a flare reports its combustion temperature, hot enough (≥ 790 °C, the rule wants ≥ 760), and its gas flow; no NMHC', () => {
    const rng = createRng(7);
    for (let h = 0; h < 48; h += 1) {
      const s = vocsSample(source({ kind: 'vocs', flare: true }), chinaTime('2026-07-01T00:00') + h * 1_800_000, rng);
      expect(Object.keys(s).sort()).toEqual(['a00000', 'aft01']);
      expect(s.aft01!.rtd).toBeGreaterThanOrEqual(790);
      expect(s.aft01!.rtd).toBeLessThanOrEqual(990);
    }
  });

  it('a stack with a declared bypass reports the bypass flow meter, closed: 0 m³/s; one without has none', () => {
    const at = chinaTime('2026-07-01T10:00');
    expect(cemsSample(source({ kind: 'cems', o2Ref: 8, bypass: { seal: 'sealed' } }), at, createRng(1)).abp01).toEqual({ rtd: 0 });
    expect(cemsSample(source({ kind: 'cems', o2Ref: 8 }), at, createRng(1)).abp01).toBeUndefined();
  });

  it('a VOCs source that is not a flare reports NMHC and no flare temperature', () => {
    const s = vocsSample(source({ kind: 'vocs' }), chinaTime('2026-07-01T10:00'), createRng(3));
    expect(s.a24088).toBeDefined();
    expect(s.aft01).toBeUndefined();
  });
});
