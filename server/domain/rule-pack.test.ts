import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_RULE_PARAMS, effectiveRuleParams, parseRulePack, RulePackError } from './rule-pack';

const OUTLET = '370300VOCS00000000000402';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof RulePackError) return e.issues;
    throw e;
  }
  throw new Error('expected a RulePackError');
}

describe('rule pack', () => {
  it('config/rules/rules.yaml is valid and states exactly the defaults', () => {
    const file = parseRulePack(parseYaml(readFileSync('config/rules/rules.yaml', 'utf8')));
    expect(file).toEqual(parseRulePack({}));
    expect(file).toEqual({ ...DEFAULT_RULE_PARAMS, utcOffsetMinutes: 480, sources: {} });
  });

  it('a partial pack keeps the defaults of what it leaves out', () => {
    const pack = parseRulePack({ limitHour: { graceS: 600 }, removalEfficiency: { target: 0.9 } });
    expect(pack.limitHour).toEqual({ minValidMinutes: 45, graceS: 600 });
    expect(pack.removalEfficiency).toEqual({ target: 0.9, minInletKgH: 2, severity: 'major' });
  });

  it.each([
    ['an unknown factor code', { flatLine: { factors: { cems: ['a99999'] } } }, 'flatLine.factors.cems.0: unknown factor code "a99999"'],
    ['an unknown nozzle code', { alRatio: { factors: ['avr99'] } }, 'alRatio.factors.0: unknown factor code "avr99"'],
    ['a negative window', { flatLine: { windowS: -60 } }, 'flatLine.windowS: windowS must be a positive number of seconds'],
    ['a negative duration', { tankPressure: { durationS: -1 } }, 'tankPressure.durationS: durationS must not be negative (seconds)'],
    [
      'a limit without unit',
      { bypass: { limit: { max: 0 } } },
      'bypass.limit.unit: a limit needs its unit (the factor’s unit; "" for a ratio)',
    ],
    ['a limit without bounds', { flareTemperature: { limit: { unit: '°C' } } }, 'flareTemperature.limit: a limit needs min, max or both'],
    ['min ≥ max', { alRatio: { range: { min: 1.2, max: 1.0, unit: '' } } }, 'alRatio.range: min must be below max'],
    [
      'a unit that is not the factor’s',
      { flareTemperature: { limit: { min: 1033, unit: 'K' } } },
      'flareTemperature.limit.unit: unit "K" does not match aft01\'s unit "°C"',
    ],
    ['alarm before warning', { alRatio: { warnDays: 5, alarmDays: 3 } }, 'alRatio.alarmDays: alarmDays (3) must not be below warnDays (5)'],
    ['a percentage for a fraction', { removalEfficiency: { target: 90 } }, 'removalEfficiency.target: target is a fraction: 0.8 for 80 %'],
    [
      'more valid minutes than an hour has',
      { limitHour: { minValidMinutes: 61 } },
      'limitHour.minValidMinutes: minValidMinutes must be at most 60',
    ],
    ['a fractional repeat', { limitInstant: { repeat: 1.5 } }, 'limitInstant.repeat: repeat must be a whole number'],
    [
      'an O2 cap at 21 %',
      { o2Conversion: { measuredCap: 21 } },
      'o2Conversion.measuredCap: measuredCap must be below 21 % O2 (the conversion divides by 21 − O2)',
    ],
    ['an O2 cap of 0', { o2Conversion: { measuredCap: 0 } }, 'o2Conversion.measuredCap: measuredCap must be above 0 % O2'],
    // Working condition (issue 16).
    [
      'an FGR valve closed above 100 %',
      { fgrClosed: { closedMaxPct: 120 } },
      'fgrClosed.closedMaxPct: closedMaxPct must be between 0 and 100',
    ],
    ['a negative start lead', { startOrder: { startLeadS: -60 } }, 'startOrder.startLeadS: startLeadS must not be negative (seconds)'],
    ['a negative reductant flow', { reductantStopped: { flowMax: -1 } }, 'reductantStopped.flowMax: flowMax must not be negative (kg/h)'],
    ['an unknown severity', { bypassOpen: { severity: 'urgent' } }, expect.stringMatching(/^bypassOpen\.severity: /)],
    [
      'an O2 cap that is not a number',
      { o2Conversion: { measuredCap: '19' } },
      'o2Conversion.measuredCap: measuredCap must be a number (% O2)',
    ],
    [
      'a negative detection floor',
      { flatLine: { floors: { a21026: -1 } } },
      'flatLine.floors.a21026: a detection floor must not be negative (factor’s unit)',
    ],
    [
      'a relative tolerance over 100 %',
      { flatLine: { relTolerancePct: 150 } },
      'flatLine.relTolerancePct: relTolerancePct must be between 0 and 100',
    ],
    ['an unknown over-range severity', { overRange: { severity: 'loud' } }, expect.stringMatching(/^overRange\.severity: /)],
    ['a zs tolerance of 0 %', { zsMismatch: { tolerancePct: 0 } }, 'zsMismatch.tolerancePct: tolerancePct must be between 0 and 100'],
    ['an ambient O2 threshold above 21 %', { o2Ambient: { o2Min: 22 } }, 'o2Ambient.o2Min: o2Min must be at most 21 % O2'],
    ['a negative running flow', { o2Ambient: { flowMin: -1 } }, 'o2Ambient.flowMin: flowMin must not be negative (m³/s)'],
    [
      'a near-limit band upside down',
      { nearLimit: { bandLowPct: 95, bandHighPct: 90 } },
      'nearLimit.bandLowPct: bandLowPct (95) must be below bandHighPct (90)',
    ],
    ['an unknown rule', { limitWeek: {} }, '(top level): Unrecognized key: "limitWeek"'],
    ['an unknown parameter', { offline: { missedIntervalls: 3 } }, 'offline: Unrecognized key: "missedIntervalls"'],
    [
      'a source override that breaks a cross-check',
      { sources: { [OUTLET]: { alRatio: { warnDays: 9 } } } },
      `sources.${OUTLET}.alRatio.alarmDays: alarmDays (5) must not be below warnDays (9)`,
    ],
    ['overrides keyed by something not an MN', { sources: { 'rto outlet': {} } }, 'sources.rto outlet: MN must be 14–24 letters or digits'],
  ])('refuses %s', (_name, input, message) => {
    expect(issuesOf(() => parseRulePack(input))).toEqual([message]);
  });
});

describe('effectiveRuleParams', () => {
  const pack = parseRulePack({
    removalEfficiency: { target: 0.85 },
    sources: { [OUTLET]: { removalEfficiency: { target: 0.9 }, offline: { missedIntervals: 10 } } },
  });

  it.each([
    ['another source gets the pack', { mn: '370300VOCS00000000000501' }, undefined, { target: 0.85, missed: 5 }],
    ['the pack’s sources entry beats the pack', { mn: OUTLET }, undefined, { target: 0.9, missed: 10 }],
    ['explicit overrides beat both', { mn: OUTLET }, { offline: { missedIntervals: 3 } }, { target: 0.9, missed: 3 }],
  ])('%s', (_n, source, overrides, expected) => {
    const p = effectiveRuleParams(source, pack, overrides);
    expect({ target: p.removalEfficiency.target, missed: p.offline.missedIntervals }).toEqual(expected);
    expect(p.removalEfficiency.minInletKgH).toBe(2);
  });

  it('the O2 cap defaults to 19 % and can be set per source', () => {
    expect(effectiveRuleParams({ mn: OUTLET }, pack).o2Conversion).toEqual({ measuredCap: 19 });
    expect(effectiveRuleParams({ mn: OUTLET }, pack, { o2Conversion: { measuredCap: 20 } }).o2Conversion.measuredCap).toBe(20);
  });

  it('merges detection floors factor by factor', () => {
    const p = effectiveRuleParams({ mn: OUTLET }, pack, { flatLine: { floors: { a21026: 5 } } });
    expect(p.flatLine.floors).toEqual({ ...DEFAULT_RULE_PARAMS.flatLine.floors, a21026: 5 });
  });

  it('merges flat-line factors kind by kind', () => {
    const p = effectiveRuleParams({ mn: OUTLET }, pack, { flatLine: { factors: { vocs: ['a24088', 'a25003'] } } });
    expect(p.flatLine.factors).toMatchObject({ vocs: ['a24088', 'a25003'], cems: DEFAULT_RULE_PARAMS.flatLine.factors.cems });
  });

  it.each([
    [
      'a malformed override',
      { removalEfficiency: { target: -1 } },
      `${OUTLET}.removalEfficiency.target: target is a fraction: 0.8 for 80 %`,
    ],
    [
      'an override making min ≥ max',
      { alRatio: { range: { min: 1.3, max: 1.2, unit: '' } } },
      `${OUTLET}.alRatio.range: min must be below max`,
    ],
    [
      'an unknown factor in an override',
      { tankPressure: { factor: 'apr09' } },
      `${OUTLET}.tankPressure.factor: unknown factor code "apr09"`,
    ],
  ])('refuses %s', (_n, overrides, message) => {
    expect(issuesOf(() => effectiveRuleParams({ mn: OUTLET }, pack, overrides))).toEqual([message]);
  });
});
