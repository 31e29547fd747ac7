import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assessmentRulesSchema } from './assessment-rules';
import { ozoneRulesSchema } from './ozone-rules';

const shipped = ozoneRulesSchema.parse(parse(readFileSync(resolve(import.meta.dirname, '../../config/rules/ozone.yaml'), 'utf8')));

describe('assessment targets (ozone.yaml `assessment`)', () => {
  it('ships the plans’ defaults: 85 % good days, ≤ 0.65 % heavy days, PM2.5 60 µg/m³', () => {
    expect(shipped.assessment.targets.city).toMatchObject({ goodDaysPct: 85, heavyDaysPct: 0.65, pm25: 60 });
    expect(shipped.assessment.autumnWinter.city).toEqual({ pm25CutPct: 5, heavyDaysCut: 2 });
  });

  it.each([
    [{ city: { goodDaysPct: 120, heavyDaysPct: 1 } }, 'targets.city.goodDaysPct'],
    [{ city: { goodDaysPct: 85, heavyDaysPct: 1, pm25: -1 } }, 'targets.city.pm25'],
    [{ city: { goodDaysPct: 85, heavyDaysPct: 1, pm26: 1 } }, 'targets.city'],
    [{ city: { goodDaysPct: 85 } }, 'targets.city.heavyDaysPct'],
  ])('refuses %j at %s', (targets, path) => {
    const r = assessmentRulesSchema.safeParse({ ...shipped.assessment, targets });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('refuses a fractional day cut', () => {
    const r = assessmentRulesSchema.safeParse({ ...shipped.assessment, autumnWinter: { city: { pm25CutPct: 5, heavyDaysCut: 1.5 } } });
    expect(r.success).toBe(false);
  });
});
