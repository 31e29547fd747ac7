/**
 * Catering fumes go through the ordinary limit rules: the limit pack's `catering` limits
 * (config/rules/limits.yaml) judge the fume concentration (afm01) sample by sample (limit-instant)
 * and as hourly means (limit-hour).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Finding } from '../domain/alert';
import { effectiveLimits, limitPackSchema } from '../domain/limit-pack';
import { DEFAULT_RULE_PARAMS, parseRulePack } from '../domain/rule-pack';
import { RuleEngine, type RuleSubject } from './rule-engine';
import { HOUR, MIN, reading, S, source, T0, v } from './test-kit';

const pack = limitPackSchema.parse(parseYaml(readFileSync('config/rules/limits.yaml', 'utf8')));
const KITCHEN = source({ mn: '370300CYYY00000000000101', kind: 'catering' });

function run(fume: (minute: number) => number): Finding[] {
  const subj: RuleSubject = { source: KITCHEN, limits: effectiveLimits(KITCHEN, pack), params: DEFAULT_RULE_PARAMS };
  const engine = new RuleEngine(parseRulePack({}), (mn) => (mn === KITCHEN.mn ? subj : undefined), T0);
  const out: Finding[] = [];
  for (let m = 0; m < 60; m++)
    out.push(...engine.onReading(reading(KITCHEN, '2011', T0 + m * MIN, { afm01: v(fume(m)) }), T0 + m * MIN + S));
  out.push(...engine.tick(T0 + HOUR + 5 * MIN));
  return out.filter((f) => f.rule.startsWith('limit-') && f.type === 'exceeded');
}

describe('catering fumes against the limit pack', () => {
  it('limits.yaml limits the fume concentration of catering sources at 1.0 mg/m³ (and NMHC at 10)', () => {
    expect(pack.limits.catering).toEqual({
      afm01: { max: 1.0, o2Converted: false, severity: 'major' },
      a24088: { max: 10, o2Converted: false, severity: 'major' },
    });
  });

  it('a kitchen at 1.4 mg/m³ exceeds: instant values and the hourly mean', () => {
    const fs = run(() => 1.4);
    expect(fs.some((f) => f.rule === 'limit-instant' && f.type === 'exceeded' && f.factor === 'afm01' && f.limit === 1)).toBe(true);
    expect(fs.filter((f) => f.rule === 'limit-hour')).toEqual([
      expect.objectContaining({ factor: 'afm01', value: expect.closeTo(1.4, 6), limit: 1, unit: 'mg/m³' }),
    ]);
  });

  it('look-alike: a kitchen at 0.9 mg/m³ (below 1.0, above half of GB 18483’s 2.0) raises nothing', () => {
    expect(run(() => 0.9)).toEqual([]);
  });
});
