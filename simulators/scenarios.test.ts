import { describe, expect, it } from 'vitest';
import {
  activeEffects,
  buildScenario,
  DEMO_FACILITIES,
  DEMO_UPSETS,
  demoScenario,
  isActive,
  ScenarioError,
  SCENARIO_NAMES,
  type ScenarioEvent,
} from './scenarios';
import type { Registry } from '../server/domain/registry';
import { DEFAULT_RULE_PARAMS, effectiveRuleParams, parseRulePack } from '../server/domain/rule-pack';
import { withDemoRulePack } from './demo-pack';
import { loadRegistry } from './registry-file';
import { testRegistry } from './test-registry';

const event = (timing: Pick<ScenarioEvent, 'startS' | 'durationS' | 'everyS'>): ScenarioEvent => ({
  mn: 'X',
  effect: { type: 'offline' },
  ...timing,
});

const loggerOf = (registry: Registry, facility: string): string => {
  const mn = registry.facilities?.find((f) => f.id === facility)?.mn;
  if (mn === undefined) throw new Error(`${facility} has no logger in the demo registry`);
  return mn;
};

describe('scenario timing', () => {
  it.each([
    // startS, durationS, everyS, elapsed s, active
    [20, 120, 600, 0, false],
    [20, 120, 600, 19.9, false],
    [20, 120, 600, 20, true],
    [20, 120, 600, 139.9, true],
    [20, 120, 600, 140, false],
    [20, 120, 600, 619, false],
    [20, 120, 600, 620, true],
    [20, 120, 600, 6020, true],
    [0, Infinity, undefined, 1e9, true],
    [60, 300, undefined, 400, false],
    [60, 300, undefined, 359, true],
  ])('start %s, duration %s, every %s: at %s s active = %s', (startS, durationS, everyS, elapsedS, expected) => {
    expect(isActive(event({ startS, durationS, everyS }), elapsedS * 1000)).toBe(expected);
  });
});

describe('buildScenario', () => {
  const registry = testRegistry();

  it.each([
    ['exceedance', 'TESTNH300000000000000001', { type: 'exceedance', factor: 'a21001' }],
    ['offline', 'TESTCEMS0000000000000001', { type: 'offline' }],
    ['flatline', 'TESTCEMS0000000000000001', { type: 'flatline', factor: 'a21002' }],
    ['maintenance', 'TESTCEMS0000000000000001', { type: 'flag', flag: 'M' }],
    ['malformed', 'TESTCEMS0000000000000001', { type: 'malformed' }],
  ] as const)('%s targets %s by default', (name, mn, effect) => {
    const scenario = buildScenario(name, registry);
    expect(scenario.events).toHaveLength(1);
    expect(scenario.events[0]).toMatchObject({ mn, effect });
  });

  it('has no events in normal', () => {
    expect(buildScenario('normal', registry).events).toEqual([]);
  });

  it('applies the knobs', () => {
    const s = buildScenario('exceedance', registry, {
      mn: 'TESTCEMS0000000000000002',
      factor: 'a21002',
      value: 70,
      startS: 5,
      durationS: 10,
      everyS: 30,
    });
    expect(s.events[0]).toEqual({
      mn: 'TESTCEMS0000000000000002',
      effect: { type: 'exceedance', factor: 'a21002', value: 70 },
      startS: 5,
      durationS: 10,
      everyS: 30,
    });
  });

  it.each([
    ['an unknown MN', { mn: 'NOSUCHMN00000000000000001' }, /not in the registry/],
    ['a factor the kind does not report', { mn: 'TESTNH300000000000000001', factor: 'a21002' }, /does not report factor "a21002"/],
  ])('refuses %s', (_name, knobs, message) => {
    expect(() => buildScenario('exceedance', registry, knobs)).toThrow(ScenarioError);
    expect(() => buildScenario('exceedance', registry, knobs)).toThrow(message);
  });

  it('builds every named scenario', () => {
    for (const name of SCENARIO_NAMES) expect(buildScenario(name, registry).name).toBe(name);
  });
});

describe('demo schedule', () => {
  it('on the demo registry: ammonia slip on 211300NH3000000000000003 from 20 s for 2 min every 10 min, plus other events', async () => {
    const registry = await loadRegistry('config/registry.yaml');
    const demo = demoScenario(registry);
    const nh3 = '211300NH3000000000000003';
    const at = (s: number): string[] => activeEffects(demo, nh3, s * 1000).map((e) => e.type);
    expect(at(10)).toEqual([]);
    expect(at(25)).toEqual(['exceedance']);
    expect(at(139)).toEqual(['exceedance']);
    expect(at(145)).toEqual([]);
    expect(at(625)).toEqual(['exceedance']);
    expect(demo.events.slice(0, 6).map((e) => [e.mn, e.effect.type])).toEqual([
      [nh3, 'exceedance'],
      ['211300CEMS00000000000027', 'exceedance'],
      ['211300VOCS00000000000012', 'flag'],
      ['211300VRS000000000000007', 'offline'],
      ['211300CEMS00000000000010', 'exceedance'],
      ['211300VOCS00000000000006', 'exceedance'],
    ]);
    const source = (mn: string) => registry.sources.find((s) => s.mn === mn);
    for (const e of demo.events) expect(source(e.mn)).toBeDefined();
    // The safety devices: the coke oven's declared bypass opens, the flare cools below 760 °C for longer than 5 min.
    expect(source('211300CEMS00000000000010')).toMatchObject({ enterpriseId: 'lingyuan-coking', bypass: { seal: 'sealed' } });
    expect(source('211300VOCS00000000000006')).toMatchObject({ enterpriseId: 'liucheng-chem', flare: true });
    expect(demo.events[4]).toMatchObject({ effect: { factor: 'abp01', value: 2.4 }, startS: 660, durationS: 120 });
    expect(demo.events[5]).toMatchObject({ effect: { factor: 'aft01', value: 640 }, startS: 780, durationS: 420 });
  });

  it('the exceedance scenario on the demo registry also targets that ammonia slip by default', async () => {
    const registry = await loadRegistry('config/registry.yaml');
    expect(buildScenario('exceedance', registry).events[0]).toMatchObject({
      mn: '211300NH3000000000000003',
      effect: { type: 'exceedance', factor: 'a21001' },
    });
  });

  it('falls back to the first source of each kind on another registry', () => {
    const demo = demoScenario(testRegistry());
    expect(demo.events.map((e) => e.mn)).toEqual([
      'TESTNH300000000000000001',
      'TESTCEMS0000000000000001',
      'TESTVOCS0000000000000001',
      'TESTVRS00000000000000001',
    ]);
  });

  it('on the demo registry every working-condition upset begins within ten minutes of start, staggered, and ends', async () => {
    const registry = await loadRegistry('config/registry.yaml');
    const events = demoScenario(registry).events.filter((e) => e.upset !== undefined);
    const begins = DEMO_UPSETS.map((u) => Math.min(...events.filter((e) => e.upset === u).map((e) => e.startS)));
    for (const [i, u] of DEMO_UPSETS.entries()) {
      // The declared stop's event is the unit stopping after it has run through its first 12 min.
      if (u !== 'declared-stop-running') expect(begins[i], u).toBeLessThan(600);
      for (const e of events.filter((x) => x.upset === u)) {
        expect(Number.isFinite(e.durationS), u).toBe(true);
        expect(e.everyS, u).toBe(3600);
      }
    }
    // Each upset outlasts its rule's wait in the demo (the default, or the demo pack's shorter one on
    // that facility's logger) by two minutes (the declared stop: the unit runs its first 7 min).
    const lasts = (u: string) => Math.max(...events.filter((e) => e.upset === u).map((e) => e.durationS));
    const pack = DEFAULT_RULE_PARAMS;
    const demo = withDemoRulePack(parseRulePack({}), registry);
    const onLogger = (facility: string) => effectiveRuleParams({ mn: loggerOf(registry, facility) }, demo);
    expect(lasts('reductant-stopped')).toBeGreaterThanOrEqual(onLogger(DEMO_FACILITIES.scr).reductantStopped.durationS + 120);
    expect(onLogger(DEMO_FACILITIES.scr).reductantStopped.durationS).toBeLessThan(pack.reductantStopped.durationS);
    expect(lasts('treatment-off')).toBeGreaterThanOrEqual(pack.treatmentOff.durationS + 120);
    expect(lasts('catering-purifier-off')).toBeGreaterThanOrEqual(pack.treatmentOff.durationS + 120);
    expect(lasts('combustion-temp-low')).toBeGreaterThanOrEqual(pack.combustionTempLow.durationS + 120);
    expect(lasts('flare-upset')).toBeGreaterThanOrEqual(pack.flareUpset.durationS + 120);
    expect(lasts('fgr-closed')).toBeGreaterThanOrEqual(pack.fgrClosed.durationS + 120);
    expect(lasts('dust-mean')).toBeGreaterThanOrEqual(2 * 900);
    const stopped = events.find((e) => e.upset === 'declared-stop-running');
    const sustainS = onLogger(DEMO_FACILITIES.stoppedUnit).declaredStopRunning.sustainS;
    expect(sustainS).toBeLessThan(pack.declaredStopRunning.sustainS);
    expect(stopped?.startS).toBeGreaterThanOrEqual(sustainS + 120);
    // The demo pack changes nothing else on those loggers.
    expect({ ...onLogger(DEMO_FACILITIES.scr), reductantStopped: null, declaredStopRunning: null }).toEqual({
      ...pack,
      reductantStopped: null,
      declaredStopRunning: null,
    });
    const mns = new Set(registry.sources.map((s) => s.mn));
    for (const e of events) expect(mns.has(e.mn), e.mn).toBe(true);
  });

  it("on the demo registry each working-condition rule's wait has passed within ten minutes of start (all but dust)", async () => {
    const registry = await loadRegistry('config/registry.yaml');
    const events = demoScenario(registry).events.filter((e) => e.upset !== undefined);
    const params = (facility: string) =>
      effectiveRuleParams({ mn: loggerOf(registry, facility) }, withDemoRulePack(parseRulePack({}), registry));
    const begins = (u: string) => Math.min(...events.filter((e) => e.upset === u).map((e) => e.startS));
    const lineStarts = events.find(
      (e) => e.upset === 'start-order' && e.effect.type === 'facility' && e.effect.facility === DEMO_FACILITIES.line,
    );
    const F = DEMO_FACILITIES;
    // The instant (s after start) each rule can fire: its upset's begin plus the rule's wait in the demo.
    const firesAt: [string, number][] = [
      ['start-order', (lineStarts?.startS ?? Infinity) + (lineStarts?.durationS ?? Infinity)],
      ['reductant-stopped', begins('reductant-stopped') + params(F.scr).reductantStopped.durationS],
      ['declared-stop-running', 0 + params(F.stoppedUnit).declaredStopRunning.sustainS],
      ['combustion-temp-low', begins('combustion-temp-low') + params(F.rco).combustionTempLow.durationS],
      ['bypass-open', begins('bypass-open')],
      ['catering-purifier-off', begins('catering-purifier-off') + params(F.purifier).treatmentOff.durationS],
      ['flare-upset', begins('flare-upset') + params(F.flare).flareUpset.durationS],
      ['fgr-closed', begins('fgr-closed') + params(F.fgr).fgrClosed.durationS],
      ['treatment-off', begins('treatment-off') + params(F.rto).treatmentOff.durationS],
    ];
    for (const [u, at] of firesAt) expect(at, u).toBeLessThanOrEqual(570);
  });

  it('leaves the upsets out on a registry without their facilities', () => {
    expect(demoScenario(testRegistry()).events.some((e) => e.upset !== undefined)).toBe(false);
  });
});
