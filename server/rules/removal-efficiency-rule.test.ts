import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { registrySchema } from '../domain/registry';
import { judgeEfficiency, massRateKgH } from './removal-efficiency-rule';
import { TEST_REGISTRY_FILE } from '../../tests/helpers/fixtures';
import { ctx, INLET, MN, OUTLET, T0 } from './test-kit';

const rate = (kgH: number, hourStart = T0) => ({ hourStart, kgH });

describe('removal-efficiency', () => {
  it.each([
    // DOMAIN §4: kg/h = mg/m³ × m³/s × 3600 × 10⁻⁶
    [833.333, 1, 3],
    [250, 1, 0.9],
    [60, 10, 2.16],
  ])('%s mg/m³ × %s m³/s = %s kg/h', (mg, flow, kgH) => {
    expect(massRateKgH(mg, flow)).toBeCloseTo(kgH, 3);
  });

  it.each([
    ['inlet 3 kg/h, outlet 0.9 kg/h → 70 % < 80 % → alert', 3, 0.9, {}, 'exceeded', 70],
    ['inlet 3 kg/h, outlet 0.3 kg/h → 90 % → normal', 3, 0.3, {}, 'normal', 90],
    ['exactly 80 % meets the target', 3, 0.6, {}, 'normal', 80],
    ['inlet 1.5 kg/h (< 2) → not judged', 1.5, 1.4, {}, null, null],
    ['inlet 2.5 kg/h with a 3 kg/h threshold (outside key regions) → not judged', 2.5, 2, { minInletKgH: 3 }, null, null],
    ['a city target of 90 %: 85 % is an alert', 4, 0.6, { target: 0.9 }, 'exceeded', 85],
  ] as const)('%s', (_n, inlet, outlet, removalEfficiency, type, value) => {
    const findings = judgeEfficiency(rate(inlet), rate(outlet), ctx(OUTLET, { removalEfficiency }), MN.inlet);
    expect(findings.map((f) => f.type)[0] ?? null).toBe(type);
    if (value !== null) expect(findings[0]?.value).toBeCloseTo(value, 2);
  });

  it('an alert carries %, the target and both rates as evidence', () => {
    const [f] = judgeEfficiency(rate(3), rate(0.9), ctx(OUTLET), MN.inlet);
    expect(f).toEqual({
      type: 'exceeded',
      mn: MN.outlet,
      factor: 'a24088',
      rule: 'removal-efficiency',
      severity: 'major',
      value: 70,
      limit: 80,
      unit: '%',
      ts: T0,
      evidence: { inletMn: MN.inlet, inletKgH: 3, outletKgH: 0.9, windowStart: T0, windowEnd: T0 + 3_600_000 },
    });
  });

  it('rates of different hours are not compared', () => {
    expect(judgeEfficiency(rate(3, T0), rate(0.9, T0 + 3_600_000), ctx(OUTLET), MN.inlet)).toEqual([]);
  });
});

describe('registry: an outlet names its inlet', () => {
  const enterprises = [
    { id: 'e', name: 'E', district: 'd' },
    { id: 'f', name: 'F', district: 'd' },
  ];
  const base = { lat: 36, lon: 118, kind: 'vocs', name: 'n' };
  const inlet = { ...base, mn: MN.inlet, enterpriseId: 'e', position: 'inlet' };
  const issues = (sources: object[]) =>
    registrySchema.safeParse({ enterprises, sources }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it.each([
    ['an inlet of the same enterprise', [inlet, { ...base, mn: MN.outlet, enterpriseId: 'e', inletMn: MN.inlet }], []],
    [
      'an unknown MN',
      [{ ...base, mn: MN.outlet, enterpriseId: 'e', inletMn: '370300VOCS00000000000499' }],
      ['sources.0.inletMn: unknown inlet MN "370300VOCS00000000000499"'],
    ],
    [
      'a source that is not an inlet',
      [
        { ...inlet, position: 'outlet' },
        { ...base, mn: MN.outlet, enterpriseId: 'e', inletMn: MN.inlet },
      ],
      [`sources.1.inletMn: source "${MN.inlet}" is not an inlet (position: outlet)`],
    ],
    [
      'another enterprise’s inlet',
      [inlet, { ...base, mn: MN.outlet, enterpriseId: 'f', inletMn: MN.inlet }],
      [`sources.1.inletMn: inlet "${MN.inlet}" belongs to enterprise "e", not "f"`],
    ],
    [
      'an inlet naming an inlet',
      [inlet, { ...inlet, mn: MN.outlet, inletMn: MN.inlet }],
      [`sources.1.inletMn: only an outlet names an inlet; ${MN.outlet} is an inlet`],
    ],
  ])('%s', (_n, sources, expected) => {
    expect(issues(sources)).toEqual(expected);
  });

  it('the test registry pairs the RTO outlet with its inlet', () => {
    const reg = registrySchema.parse(parseYaml(readFileSync(TEST_REGISTRY_FILE, 'utf8')));
    expect(reg.sources.find((s) => s.mn === MN.outlet)?.inletMn).toBe(INLET.mn);
  });
});
