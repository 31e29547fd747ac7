import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS, effectiveRuleParams, parseRulePack, RulePackError } from '../server/domain/rule-pack';
import { demoRuleOverrides, withDemoRulePack } from './demo-pack';
import { loadRegistry } from './registry-file';
import { testRegistry } from './test-registry';

const GK1 = '211300GKJK00000000000001';
const GK2 = '211300GKJK00000000000002';

describe('the demo rule pack', () => {
  it.each([
    // MN, rule section, what the demo sets there
    [GK2, 'reductantStopped', { durationS: 300 }],
    [GK2, 'declaredStopRunning', { sustainS: 300 }],
    [GK1, 'unplannedStartStop', { season: { from: '01-01', to: '12-31' } }],
  ] as const)('on the demo registry, %s: %s %j', async (mn, section, values) => {
    const pack = withDemoRulePack(parseRulePack({}), await loadRegistry('config/registry.yaml'));
    expect(effectiveRuleParams({ mn }, pack)[section]).toMatchObject(values);
  });

  it('changes no default, and nothing on any other source', async () => {
    const pack = withDemoRulePack(parseRulePack({}), await loadRegistry('config/registry.yaml'));
    expect(Object.keys(pack.sources).sort()).toEqual([GK1, GK2]);
    expect({ ...pack, sources: {} }).toEqual({ ...parseRulePack({}), sources: {} });
    expect(effectiveRuleParams({ mn: '211300CEMS00000000000001' }, pack)).toEqual({ ...DEFAULT_RULE_PARAMS });
  });

  it("keeps a pack's own override of a demo source, key by key", async () => {
    const own = parseRulePack({ sources: { [GK2]: { reductantStopped: { durationS: 120 }, treatmentOff: { durationS: 60 } } } });
    const pack = withDemoRulePack(own, await loadRegistry('config/registry.yaml'));
    const params = effectiveRuleParams({ mn: GK2 }, pack);
    expect(params.reductantStopped.durationS).toBe(120);
    expect(params.treatmentOff.durationS).toBe(60);
    expect(params.declaredStopRunning.sustainS).toBe(300);
  });

  it('refuses a merge the pack would refuse', async () => {
    const own = parseRulePack({ sources: { [GK1]: { unplannedStartStop: { toleranceDays: 3 } } } });
    const bad = { ...own, sources: { [GK1]: { unplannedStartStop: { toleranceDays: -1 } } } } as typeof own;
    expect(() => withDemoRulePack(bad, { sources: [], enterprises: [] } as never)).toThrow(RulePackError);
  });

  it('sets nothing on a registry without the demo facilities', () => {
    expect(demoRuleOverrides(testRegistry())).toEqual({});
  });
});
